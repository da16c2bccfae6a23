/**
 * A Runtime is what a cluster is made of on one machine: one chunk store,
 * one event bus, the executors (sync now, a thread pool made on first use),
 * and a memory monitor. `run()` is the path of every computation:
 *
 *   layers -> blockwise fusion of layers -> tasks -> cull (stopping at
 *   chunks already stored) -> fuse linear chains -> priorities -> the loop
 *   -> results out of the store.
 *
 * Computations started concurrently share the store and the pool; each has
 * its own loop, so one failing or being cancelled leaves the others running.
 */
import { randomUUID } from "node:crypto";
import { Errors, SerializedError, serializeError } from "../errors";
import { EngineEvents, EventBus, LayerSummary, WorkerInfo, now } from "../events";
import { Arg, Callable, LayeredGraph, Task, TaskGraph, builtin, keyName, task } from "../graph";
import { cull, fuseBlockwise, fuseLinear, optimizeLayers, order } from "../optimize";
import { LocalStore, StoreOptions } from "../store/store";
import { checkShippable } from "../worker/callable";
import { unpackValue } from "../worker/wire";
import { Executor } from "./executor";
import { runLoop } from "./loop";
import { SyncExecutor } from "./sync";
import { ThreadsExecutor, defaultThreads } from "./threads";

export const SCHEDULERS = ["threads", "sync"] as const;
export type SchedulerName = (typeof SCHEDULERS)[number];

export interface RuntimeOptions extends Omit<StoreOptions, "events" | "unmanaged"> {
  /** Worker threads; default: the number of cores. */
  workers?: number;
  /** Default scheduler for computations on this runtime. */
  scheduler?: SchedulerName;
}

export interface RunOptions {
  scheduler?: SchedulerName | string;
  signal?: AbortSignal;
  /** Keep the outputs in the store, each pinned once more, instead of returning them. */
  persist?: boolean;
  /** Fuse linear chains (default true). */
  optimize?: boolean;
}

export interface RunResult {
  /** Output values by key (empty when persisting). */
  values: Map<string, unknown>;
  runId: string;
  elapsedMs: number;
  ntasks: number;
  spilledBytes: number;
}

const MONITOR_MS = 500;

export class Runtime {
  readonly events = new EventBus();
  readonly store: LocalStore;
  readonly workerCount: number;
  readonly defaultScheduler: SchedulerName;
  private readonly sync = new SyncExecutor();
  private threads: ThreadsExecutor | undefined;
  private readonly monitor: NodeJS.Timeout;
  private readonly baselineRss = process.memoryUsage.rss();
  private unmanaged = 0;
  private closed = false;
  private readonly running = new Set<AbortController>();

  constructor(options: RuntimeOptions = {}) {
    const workers = options.workers ?? defaultThreads();
    if (!Number.isInteger(workers) || workers < 1) throw Errors.badOption("workers", workers, "a positive integer");
    this.workerCount = workers;
    const scheduler = options.scheduler ?? "threads";
    if (!(SCHEDULERS as readonly string[]).includes(scheduler)) throw Errors.unknownScheduler(scheduler, SCHEDULERS);
    this.defaultScheduler = scheduler;
    this.store = new LocalStore({ ...options, events: this.events, unmanaged: () => this.unmanaged });
    this.monitor = setInterval(() => this.sampleProcess(), MONITOR_MS);
    this.monitor.unref();
  }

  /** The executor behind a scheduler name. */
  executor(name: string = this.defaultScheduler): Executor {
    if (this.closed) throw Errors.closed("this cluster");
    if (name === "sync") return this.sync;
    if (name === "threads") return (this.threads ??= new ThreadsExecutor({ threads: this.workerCount, events: this.events }));
    throw Errors.unknownScheduler(name, SCHEDULERS);
  }

  workers(): WorkerInfo[] {
    return this.threads?.workers() ?? [];
  }

  async run(graph: LayeredGraph, outputs: readonly string[], options: RunOptions = {}): Promise<RunResult> {
    const executor = this.executor(options.scheduler);
    const runId = randomUUID();
    const t0 = now();
    const spilledBefore = this.store.spilledTotalBytes;
    const wanted = [...new Set(outputs)];

    // Layer-level optimization first, while layers are descriptions: blockwise
    // chains become one task per block, then the passes collections registered
    // (e.g. DataFrame column pruning). Layers whose chunks are outputs or
    // already stored are kept, so their keys stay addressable.
    if (options.optimize !== false) graph = optimizeLayers(this.fuseLayers(graph, wanted), wanted);
    const all = graph.materialize();
    const done = new Set<string>();
    for (const k of this.store.keys()) if (all.has(k)) done.add(k);
    const needed = cull(all, wanted, done);
    // A stored chunk stands for itself: its task (and its inputs) must not run again.
    for (const k of done) if (needed.has(k)) needed.set(k, task(builtin("tessera.stored"), [k]));
    const tasks: TaskGraph = options.optimize === false ? needed : fuseLinear(needed, { keep: new Set([...wanted, ...done]) });
    if (!executor.inProcess) checkShippable(callables(tasks.values()));
    const priority = order(tasks, wanted, done);
    // Chunks already stored (persisted) stand in the graph but do not run: runs report only work.
    const toRun = done.size === 0 ? [...tasks.keys()] : [...tasks.keys()].filter((k) => !done.has(k));

    if (this.events.listening("run-start")) {
      this.events.emit("run-start", { runId, scheduler: executor.name, t: t0, ntasks: toRun.length, outputs: wanted, layers: summarize(graph, toRun), graph: tasks });
    }
    const controller = new AbortController();
    const signal = options.signal === undefined ? controller.signal : AbortSignal.any([options.signal, controller.signal]);
    this.running.add(controller);
    let status: "done" | "erred" | "cancelled" = "done";
    let error: SerializedError | undefined;
    try {
      await runLoop({ runId, graph: tasks, outputs: wanted, priority, done, executor, store: this.store, events: this.events, signal });
      const values = new Map<string, unknown>();
      if (options.persist) {
        for (const k of wanted) this.store.pin(k);
      } else {
        for (const k of wanted) values.set(k, unpackValue(await this.store.get(k)));
        for (const k of wanted) if (!done.has(k)) this.store.release(k);
      }
      return { values, runId, elapsedMs: now() - t0, ntasks: toRun.length, spilledBytes: this.store.spilledTotalBytes - spilledBefore };
    } catch (e) {
      status = (e as { code?: string }).code === "TESSERA_CANCELLED" ? "cancelled" : "erred";
      error = serializeError(e);
      throw e;
    } finally {
      this.running.delete(controller);
      if (this.events.listening("run-end")) {
        const end = now();
        const ended: EngineEvents["run-end"] = { runId, status, t: end, elapsedMs: end - t0, ntasks: toRun.length, spilledBytes: this.store.spilledTotalBytes - spilledBefore };
        if (error !== undefined) ended.error = error;
        this.events.emit("run-end", ended);
      }
    }
  }

  private fuseLayers(graph: LayeredGraph, outputs: readonly string[]): LayeredGraph {
    const outLayers = new Set(outputs.map(keyName));
    const keep = new Set(outLayers);
    for (const k of this.store.keys()) keep.add(keyName(k));
    // Hand-made graphs may name keys apart from their layer: cull layers only when every output names one.
    const layers = graph.layers;
    const culled = [...outLayers].every((n) => layers.has(n)) ? graph.cullLayers(outLayers) : graph;
    return fuseBlockwise(culled, keep);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Cancels running computations, stops the threads, deletes every chunk and spill file. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.running) c.abort(Errors.closed("this cluster"));
    clearInterval(this.monitor);
    await this.threads?.close();
    await this.store.close();
  }

  private sampleProcess(): void {
    const rss = process.memoryUsage.rss();
    const managed = this.store.stats().managed;
    this.unmanaged = Math.max(0, rss - this.baselineRss - managed);
    if (this.events.listening("store")) this.events.emit("store", this.store.stats());
  }
}

/** Every callable in the tasks: inline tasks and function arguments (at any depth of their arguments) included. */
function* callables(tasks: Iterable<Task>): Generator<Callable> {
  for (const t of tasks) {
    yield t.fn;
    for (const a of t.args) yield* argCallables(a);
  }
}

function* argCallables(a: Arg): Generator<Callable> {
  if ("task" in a) yield* callables([a.task]);
  else if ("fn" in a) yield a.fn;
  else if ("list" in a) for (const x of a.list) yield* argCallables(x);
  else if ("dict" in a) for (const k in a.dict) yield* argCallables(a.dict[k]!);
}

function summarize(graph: LayeredGraph, keys: Iterable<string>): LayerSummary[] {
  const counts = new Map<string, number>();
  for (const k of keys) {
    const n = keyName(k);
    counts.set(n, (counts.get(n) ?? 0) + 1);
  }
  const out: LayerSummary[] = [];
  for (const [name, layer] of graph.layers) {
    const s: LayerSummary = { name, op: layer.op, ntasks: counts.get(name) ?? 0, dependencies: [...layer.dependencies] };
    if (layer.meta !== undefined) s.meta = layer.meta;
    out.push(s);
  }
  return out;
}
