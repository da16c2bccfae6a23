/**
 * The engine's typed event stream: what progress bars, the dashboard server
 * and tests observe. The scheduler, the store and the executors emit; they
 * never wait for listeners, and build no event at all when nobody listens
 * (`bus.listening(type)`), so a run without observers pays nothing.
 *
 * Times are epoch milliseconds with sub-millisecond precision
 * (`performance.timeOrigin + performance.now()`), comparable across worker
 * threads and processes of one machine.
 */
import type { SerializedError } from "./errors";
import type { Key, LayeredGraph, LayerMeta, TaskGraph } from "./graph";

export type TaskState = "waiting" | "processing" | "memory" | "erred" | "released" | "spilled";

export interface TaskTransition {
  key: string;
  /**
   * The task's position in its run's graph index (graph/graph.ts indexGraph
   * of run-start's `graph`), when the scheduler sends it: lets listeners
   * skip a key lookup. Store-driven transitions have none.
   */
  index?: number;
  state: TaskState;
  /** When the transition happened. */
  t: number;
  /** Worker that ran (processing, memory, erred) or holds (spilled) the result. */
  worker?: string;
  /** Bytes of the result (memory, spilled). */
  nbytes?: number;
  /** When the task started and stopped running on its worker (memory, erred). */
  start?: number;
  stop?: number;
  error?: SerializedError;
}

export interface LayerSummary {
  name: string;
  op: string;
  /** Tasks of this layer that run in this run, after optimization (chunks already stored are not counted). */
  ntasks: number;
  dependencies: string[];
  meta?: LayerMeta;
}

export interface WorkerInfo {
  id: string;
  /** "thread" for a worker thread of this process; "process" for a remote worker. */
  kind: "thread" | "process" | "main";
  threads: number;
  memoryLimit?: number;
  host?: string;
}

export interface MemorySample {
  worker: string;
  t: number;
  /** V8 heap in use by the worker's isolate. */
  heapUsed: number;
  /** ArrayBuffer bytes the worker's isolate holds (shared chunks count in the store, not here). */
  arrayBuffers: number;
}

export interface StoreStats {
  t: number;
  memoryLimit: number;
  /** Bytes of chunks held in memory (Dask's "managed" memory). */
  managed: number;
  /** Bytes of chunks on disk. */
  spilled: number;
  /** Process memory the store does not account for (RSS growth since start minus managed). */
  unmanaged: number;
  count: number;
  thresholds: { target: number; spill: number; pause: number };
  paused: boolean;
}

/** What the dashboard needs of a collection: its output keys and its graph (collections/base.ts). */
export interface CollectionRef {
  keys(): Key[];
  graph(): LayeredGraph;
}

export interface EngineEvents {
  "run-start": {
    runId: string;
    scheduler: string;
    t: number;
    ntasks: number;
    outputs: string[];
    layers: LayerSummary[];
    /**
     * The tasks this run schedules, after culling and fusion, by reference
     * (listeners must not change it). Fused tasks carry the keys they absorbed
     * as inline tasks; keys already stored are `tessera.stored` tasks.
     */
    graph: TaskGraph;
  };
  /**
   * A worker began running a batch: its tasks are processing on `worker`
   * until each one reaches memory or erred, or the run ends. (The "processing"
   * transitions come earlier, when the batch is sent, before any worker is
   * known.) Emitted only while someone listens.
   */
  "batch-start": { runId: string; worker: string; t: number; keys: string[]; indices?: number[] };
  /** State changes of tasks. runId is absent for store-driven changes (spill, unspill, release). */
  tasks: { runId?: string; transitions: TaskTransition[] };
  "run-end": {
    runId: string;
    status: "done" | "erred" | "cancelled";
    t: number;
    elapsedMs: number;
    ntasks: number;
    spilledBytes: number;
    error?: SerializedError;
  };
  workers: { workers: WorkerInfo[] };
  memory: MemorySample;
  store: StoreStats;
  /** Collections about to be computed or persisted (for registries such as the dashboard's Chunks view). */
  collections: { action: "compute" | "persist"; collections: readonly CollectionRef[] };
}

export type EventType = keyof EngineEvents;
type Listener<K extends EventType> = (payload: EngineEvents[K]) => void;

export function now(): number {
  return performance.timeOrigin + performance.now();
}

export class EventBus {
  private readonly listeners = new Map<EventType, Set<Listener<EventType>>>();

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends EventType>(type: K, fn: Listener<K>): () => void {
    let set = this.listeners.get(type);
    if (set === undefined) this.listeners.set(type, (set = new Set()));
    set.add(fn as Listener<EventType>);
    return () => {
      set!.delete(fn as Listener<EventType>);
    };
  }

  /** Resolves with the first event of `type` that `match` accepts. */
  once<K extends EventType>(type: K, match: (p: EngineEvents[K]) => boolean = () => true): Promise<EngineEvents[K]> {
    return new Promise((resolve) => {
      const off = this.on(type, (p) => {
        if (!match(p)) return;
        off();
        resolve(p);
      });
    });
  }

  listening(type: EventType): boolean {
    const set = this.listeners.get(type);
    return set !== undefined && set.size > 0;
  }

  emit<K extends EventType>(type: K, payload: EngineEvents[K]): void {
    const set = this.listeners.get(type);
    if (set === undefined) return;
    for (const fn of set) {
      try {
        (fn as Listener<K>)(payload);
      } catch (e) {
        // A broken observer must never break a computation.
        process.emitWarning(`tessera: a "${type}" event listener threw: ${(e as Error)?.message ?? e}`);
      }
    }
  }
}
