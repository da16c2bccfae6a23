/**
 * LocalCluster: worker threads, a chunk store with a memory limit and spill
 * folder, and (later) the dashboard, on this machine. Starting one makes it
 * the cluster every computation uses until it closes or another starts.
 *
 *   const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "4GB" });
 *   await x.sum().compute();
 *   await cluster.close();
 */
import { MIMEBUNDLE, MimeBundle } from "./collections/repr";
import { clusterBundle } from "./diagnostics/cluster-repr";
import { Errors } from "./errors";
import { WorkerInfo } from "./events";
import { Runtime, RuntimeOptions, currentRuntime, peekRuntime, setCurrentRuntime } from "./schedule";
import { formatBytes } from "./store/bytes";

export interface LocalClusterOptions {
  /** Worker threads (default: one per core). */
  workers?: number;
  /** Memory for chunks before they spill to disk: bytes or "4GB" (default: the machine's memory). */
  memoryLimit?: number | string;
  /** Folder where chunks spill (default: the OS temp folder). */
  spillDir?: string;
  /** Fractions of memoryLimit: start spilling, spill on process memory, pause new work. */
  target?: number;
  spill?: number;
  pause?: number;
  /** Scheduler used when a computation names none: "threads" (default) or "sync". */
  scheduler?: "threads" | "sync";
}

const OPTIONS: readonly (keyof LocalClusterOptions)[] = ["workers", "memoryLimit", "spillDir", "target", "spill", "pause", "scheduler"];

/** One LocalCluster object per runtime, so that `current()` is the object `start()` returned. */
const clusters = new WeakMap<Runtime, LocalCluster>();

export class LocalCluster {
  private constructor(readonly runtime: Runtime) {
    clusters.set(runtime, this);
  }

  /**
   * Starts a cluster and makes it the current one.
   * @example const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "2GB" })
   */
  static async start(options: LocalClusterOptions = {}): Promise<LocalCluster> {
    if (typeof options !== "object" || options === null) throw Errors.badOption("LocalCluster.start(options)", options, "an options object");
    for (const k of Object.keys(options)) {
      if (!(OPTIONS as readonly string[]).includes(k)) {
        throw Errors.badOption(`LocalCluster option "${k}"`, (options as Record<string, unknown>)[k], `one of ${OPTIONS.join(", ")}`);
      }
    }
    const rtOptions: RuntimeOptions = {};
    if (options.workers !== undefined) rtOptions.workers = options.workers;
    if (options.memoryLimit !== undefined) rtOptions.memoryLimit = options.memoryLimit;
    if (options.spillDir !== undefined) rtOptions.spillDir = options.spillDir;
    if (options.target !== undefined) rtOptions.target = options.target;
    if (options.spill !== undefined) rtOptions.spill = options.spill;
    if (options.pause !== undefined) rtOptions.pause = options.pause;
    if (options.scheduler !== undefined) rtOptions.scheduler = options.scheduler;
    const runtime = new Runtime(rtOptions);
    runtime.executor("threads"); // start the threads now, so the cluster is ready when it says so
    const cluster = new LocalCluster(runtime);
    setCurrentRuntime(runtime);
    return cluster;
  }

  /** The cluster computations use now (a default one is made on first use). */
  static current(): LocalCluster {
    const rt = currentRuntime();
    return clusters.get(rt) ?? new LocalCluster(rt);
  }

  /** The cluster `start()` made for a runtime, if one did (the default runtime has none). */
  static forRuntime(runtime: Runtime): LocalCluster | undefined {
    return clusters.get(runtime);
  }

  get workers(): WorkerInfo[] {
    return this.runtime.workers();
  }

  get memoryLimit(): number {
    return this.runtime.store.memoryLimit;
  }

  get closed(): boolean {
    return this.runtime.isClosed;
  }

  /** Stops the workers and deletes every chunk and spill file of this cluster. */
  async close(): Promise<void> {
    if (peekRuntime() === this.runtime) setCurrentRuntime(undefined);
    await this.runtime.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toString(): string {
    const s = this.runtime.store.stats();
    return `LocalCluster(workers=${this.runtime.workerCount}, memoryLimit=${formatBytes(this.memoryLimit)}, managed=${formatBytes(s.managed)}, spilled=${formatBytes(s.spilled)}${this.closed ? ", closed" : ""})`;
  }

  /** What a notebook shows: workers, memory, chunks and, once a dashboard serves the cluster, its link. */
  [MIMEBUNDLE](): MimeBundle {
    const s = this.runtime.store.stats();
    // `dashboardLink` is set by the dashboard server when it starts for this cluster (kernel/diagnostics).
    const link = (this as { dashboardLink?: unknown }).dashboardLink;
    return clusterBundle({
      workers: this.runtime.workerCount,
      memoryLimit: this.memoryLimit,
      managed: s.managed,
      spilled: s.spilled,
      closed: this.closed,
      dashboardLink: typeof link === "string" ? link : undefined,
    });
  }
}
