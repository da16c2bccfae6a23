/**
 * The dashboard's model of a cluster: it listens to a Runtime's EventBus from
 * the moment the dashboard starts, keeps an aggregate of what happened
 * (workers, memory, runs and their graphs, the task stream, collections), and
 * turns it into protocol messages: a snapshot of a stream for a new client,
 * and one delta per stream per flush for everyone (`flush`, called by the
 * server at most every `flushIntervalMs`).
 *
 * Deltas carry absolute values (counts, states, whole worker tables), so a
 * client that gets one it already saw in a snapshot is still right; numbered
 * records (task stream, memory points) carry a `seq` to drop repeats.
 */
import { randomUUID } from "node:crypto";
import type { EngineEvents } from "../events";
import { keyLabel } from "../graph";
import type { ChunkStateCode, ClusterInfo, CollectionInfo, ServerMessage, ServerMessages, StoreState, StreamName, TaskRecord } from "../protocol";
import type { Runtime } from "../schedule";
import { CollectionRegistry } from "./collections";
import { GraphModel } from "./graph-model";
import { Limits } from "./limits";
import { Ring } from "./ring";
import { WorkersModel } from "./workers-model";

/** What one flush sends: per stream at most one message; task changes per expanded node. */
export interface Flush {
  streams: Partial<Record<StreamName, ServerMessage>>;
  tasks: ServerMessages["tasks-delta"][];
}

const CODES: Record<string, ChunkStateCode> = { memory: "m", spilled: "s", waiting: "w", processing: "p", released: "r", erred: "e" };
const COUNT_FIELD: Record<ChunkStateCode, keyof CollectionInfo["counts"]> = { n: "none", w: "waiting", p: "processing", m: "memory", s: "spilled", r: "released", e: "erred" };

export class DashboardModel {
  readonly info: ClusterInfo;
  readonly graph: GraphModel;
  readonly workers: WorkersModel;
  readonly collections: CollectionRegistry;
  readonly stream: Ring<TaskRecord>;
  private readonly offs: (() => void)[] = [];
  private listener: (() => void) | undefined;
  private streamSeq: number;
  private memorySeq: number;
  private lastStore = "";

  constructor(
    private readonly runtime: Runtime,
    private readonly limits: Limits,
    kind: ClusterInfo["kind"],
  ) {
    const store = runtime.store;
    this.info = {
      id: randomUUID(), kind, pid: process.pid, startTime: Date.now(), scheduler: runtime.defaultScheduler,
      workers: runtime.workerCount, memoryLimit: store.memoryLimit, thresholds: { ...store.thresholds },
    };
    this.graph = new GraphModel(limits, (k) => store.where(k));
    this.workers = new WorkersModel(limits.memoryHistory, store);
    this.workers.setWorkers(runtime.workers(), Date.now());
    this.collections = new CollectionRegistry(limits.maxCollections, runtime);
    this.stream = new Ring(limits.taskStreamHistory);
    this.streamSeq = this.stream.nextSeq - 1;
    this.memorySeq = this.workers.timeline.nextSeq - 1;
    this.subscribe();
  }

  /** Called (at most once between flushes) when something changed. */
  onChange(fn: () => void): void {
    this.listener = fn;
  }

  dispose(): void {
    for (const off of this.offs) off();
    this.offs.length = 0;
    this.collections.dispose();
    this.listener = undefined;
  }

  /** The whole current state of one stream, for a client that subscribes or falls behind. */
  snapshot(stream: StreamName): ServerMessage {
    switch (stream) {
      case "workers":
        return { type: "workers", data: this.workersData() };
      case "memory":
        return { type: "memory", data: { snapshot: true, points: this.workers.timeline.since(-1).records } };
      case "graph":
        return { type: "graph", data: { runs: this.graph.snapshot() } };
      case "task-stream": {
        const { records, dropped } = this.stream.since(-1, this.limits.taskStreamPerMessage);
        return { type: "task-stream", data: { snapshot: true, records, dropped } };
      }
      case "collections":
        return { type: "collections", data: this.collectionsData() };
    }
  }

  /** Deltas since the last flush (each stream's message is shared by every client). */
  flush(): Flush {
    const streams: Flush["streams"] = {};
    const store = this.storeState();
    const storeKey = `${store.managed}/${store.unmanaged}/${store.spilled}/${store.chunks}/${store.paused}`;
    if (this.workers.takeDirty() || storeKey !== this.lastStore) {
      this.lastStore = storeKey;
      streams.workers = { type: "workers", data: { t: store.t, workers: this.workers.list(), store } };
    }
    const points = this.workers.timeline.since(this.memorySeq).records;
    if (points.length > 0) {
      this.memorySeq = points[points.length - 1]!.seq;
      streams.memory = { type: "memory", data: { snapshot: false, points } };
    }
    const delta = this.graph.takeDelta();
    if (delta !== undefined) streams.graph = { type: "graph-delta", data: delta };
    if (this.stream.nextSeq - 1 > this.streamSeq) {
      const { records, dropped } = this.stream.since(this.streamSeq, this.limits.taskStreamPerMessage);
      this.streamSeq = this.stream.nextSeq - 1;
      streams["task-stream"] = { type: "task-stream", data: { snapshot: false, records, dropped } };
    }
    if (this.collections.takeDirty()) streams.collections = { type: "collections", data: this.collectionsData() };
    return { streams, tasks: this.graph.takeTaskChanges() };
  }

  storeState(): StoreState {
    const s = this.runtime.store.stats();
    return {
      t: s.t, memoryLimit: s.memoryLimit, managed: s.managed, unmanaged: Math.round(s.unmanaged), spilled: s.spilled,
      spilledTotal: this.runtime.store.spilledTotalBytes, chunks: s.count, paused: s.paused,
    };
  }

  private workersData(): ServerMessages["workers"] {
    const store = this.storeState();
    return { t: store.t, workers: this.workers.list(), store };
  }

  private collectionsData(): ServerMessages["collections"] {
    const workerIds: string[] = [];
    const workerIndex = new Map<string, number>();
    let budget = this.limits.maxPlacementChunks * 4;
    const collections = this.collections.list().map((e): CollectionInfo => {
      const counts = { none: 0, waiting: 0, processing: 0, memory: 0, spilled: 0, released: 0, erred: 0 };
      const place = e.keys.length <= this.limits.maxPlacementChunks && e.keys.length <= budget;
      let states = "";
      const workers: number[] = [];
      for (const k of e.keys) {
        const loc = this.runtime.store.where(k);
        const code: ChunkStateCode = loc !== undefined ? CODES[loc.state]! : CODES[this.graph.stateOf(k) ?? ""] ?? "n";
        counts[COUNT_FIELD[code]]++;
        if (!place) continue;
        states += code;
        let w = -1;
        if (loc?.worker !== undefined) {
          w = workerIndex.get(loc.worker) ?? -1;
          if (w < 0) workerIndex.set(loc.worker, (w = workerIds.push(loc.worker) - 1));
        }
        workers.push(w);
      }
      const info: CollectionInfo = { id: e.id, name: e.name, kind: e.kind, layer: e.layer, source: e.source, t: e.t, nchunks: e.keys.length, ...e.layout, counts };
      if (place) {
        budget -= e.keys.length;
        info.placement = { states, workers };
      }
      return info;
    });
    return { workers: workerIds, collections };
  }

  private subscribe(): void {
    const bus = this.runtime.events;
    const on = <K extends keyof EngineEvents>(type: K, fn: (e: EngineEvents[K]) => void) => {
      this.offs.push(bus.on(type, (e) => {
        fn(e);
        this.listener?.();
      }));
    };
    on("run-start", (e) => this.graph.onRunStart(e));
    on("batch-start", (e) => {
      this.graph.onBatchStart(e);
      this.workers.onBatchStart(e);
    });
    on("tasks", (e) => {
      this.graph.onTransitions(e);
      this.workers.onTransitions(e);
      for (const tr of e.transitions) {
        this.collections.touch(tr.key);
        if (e.runId === undefined || (tr.state !== "memory" && tr.state !== "erred") || tr.start === undefined || tr.stop === undefined) continue;
        const { key, worker = "?", start, stop, nbytes, state } = tr;
        this.stream.push((seq) => {
          const r: TaskRecord = { seq, worker, key, op: keyLabel(key), start, stop, status: state };
          if (nbytes !== undefined) r.nbytes = nbytes;
          return r;
        });
      }
    });
    on("run-end", (e) => {
      this.graph.onRunEnd(e);
      this.workers.onRunEnd(e.runId);
    });
    on("workers", (e) => this.workers.setWorkers(e.workers, Date.now()));
    on("memory", (e) => this.workers.onSample(e));
    on("store", (e) => this.workers.onStore(e));
    on("collections", (e) => {
      // compute(...100,000 delayed values) is not a list of collections anyone browses; say so by listing none.
      if (e.collections.length > this.limits.maxCollections) return;
      for (const c of e.collections) this.collections.add(c, e.action);
    });
  }
}
