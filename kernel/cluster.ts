/**
 * LocalCluster: worker threads, a chunk store with a memory limit and spill
 * folder, and the dashboard, on this machine. Starting one makes it the
 * cluster every computation uses until it closes or another starts.
 *
 *   const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "4GB" });
 *   console.log(cluster.dashboardLink);   // http://127.0.0.1:PORT/?token=…
 *   await x.sum().compute();
 *   await cluster.close();
 */
import { MIMEBUNDLE, MimeBundle } from "./collections/repr";
import { clusterBundle } from "./diagnostics/cluster-repr";
import { DashboardServer } from "./diagnostics";
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
  /**
   * The dashboard server (default true: on 127.0.0.1, a free port, a random
   * token, announced in a runtime file); false for none; { port } for a fixed port.
   */
  dashboard?: boolean | { port?: number };
}

const OPTIONS: readonly (keyof LocalClusterOptions)[] = ["workers", "memoryLimit", "spillDir", "target", "spill", "pause", "scheduler", "dashboard"];

/** One LocalCluster object per runtime, so that `current()` is the object `start()` returned. */
const clusters = new WeakMap<Runtime, LocalCluster>();

export class LocalCluster {
  private constructor(
    readonly runtime: Runtime,
    /** The dashboard server, unless started with `dashboard: false`. */
    readonly dashboard: DashboardServer | undefined,
  ) {
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
    const dashboard = dashboardOption(options.dashboard);
    const runtime = new Runtime(rtOptions);
    runtime.executor("threads"); // start the threads now, so the cluster is ready when it says so
    let server: DashboardServer | undefined;
    if (dashboard !== false) {
      try {
        server = await DashboardServer.start(runtime, { ...dashboard, kind: "LocalCluster" });
      } catch (e) {
        await runtime.close();
        throw e;
      }
    }
    if (server !== undefined) dashboards.set(runtime, server);
    const cluster = new LocalCluster(runtime, server);
    setCurrentRuntime(runtime);
    return cluster;
  }

  /** The cluster computations use now (a default one is made on first use; it has no dashboard). */
  static current(): LocalCluster {
    const rt = currentRuntime();
    return clusters.get(rt) ?? new LocalCluster(rt, dashboards.get(rt));
  }

  /** The cluster `start()` made for a runtime, if one did (the default runtime has none). */
  static forRuntime(runtime: Runtime): LocalCluster | undefined {
    return clusters.get(runtime);
  }

  /**
   * The dashboard's URL with its token, as Jupyter prints it (undefined with
   * `dashboard: false`): open it in a browser, or let the VS Code extension
   * find it through the runtime file.
   * @example console.log(cluster.dashboardLink) // http://127.0.0.1:41234/?token=9f…
   */
  get dashboardLink(): string | undefined {
    return this.dashboard?.link;
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

  /** Stops the dashboard and the workers, and deletes every chunk and spill file of this cluster. */
  async close(): Promise<void> {
    if (peekRuntime() === this.runtime) setCurrentRuntime(undefined);
    await this.dashboard?.close();
    await this.runtime.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  toString(): string {
    const s = this.runtime.store.stats();
    const link = this.dashboard === undefined || this.closed ? "" : `, dashboard=${this.dashboard.link}`;
    return `LocalCluster(workers=${this.runtime.workerCount}, memoryLimit=${formatBytes(this.memoryLimit)}, managed=${formatBytes(s.managed)}, spilled=${formatBytes(s.spilled)}${link}${this.closed ? ", closed" : ""})`;
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

/** Each runtime's dashboard, so LocalCluster.current() finds it. */
const dashboards = new WeakMap<Runtime, DashboardServer>();

function dashboardOption(v: unknown): false | { port?: number } {
  if (v === undefined || v === true) return {};
  if (v === false) return false;
  if (v !== null && typeof v === "object" && !Array.isArray(v)) {
    const extra = Object.keys(v).filter((k) => k !== "port");
    if (extra.length === 0) return v as { port?: number };
    throw Errors.badOption(`LocalCluster option dashboard.${extra[0]}`, (v as Record<string, unknown>)[extra[0]!], "absent: the only dashboard option is port");
  }
  throw Errors.badOption("LocalCluster option dashboard", v, "true (the default), false, or { port: number }");
}
