/**
 * Workers and memory as the dashboard sees them.
 *
 * State and invariants:
 *   - chunks mirrors the store: key -> { state, nbytes, worker } for every
 *     chunk in it, kept by the "tasks" transitions that carry bytes (the
 *     loop's "memory", the store's spill, unspill and release), seeded from
 *     the store when the dashboard starts. So for each worker, managed and
 *     spilled are the bytes of the chunks it produced, and their sums over
 *     workers equal the store's own managed and spilled bytes.
 *   - processing[w] = tasks of batches that began on w ("batch-start") and
 *     have not reached memory or erred; a run's leftovers are dropped when
 *     it ends.
 *   - the memory timeline keeps the last `memoryHistory` store samples.
 */
import type { EngineEvents, MemorySample, WorkerInfo } from "../events";
import type { MemoryPoint, WorkerState } from "../protocol";
import type { ChunkLocation } from "../store/store";
import { Ring } from "./ring";

interface WorkerRec {
  id: string;
  kind: WorkerInfo["kind"];
  threads: number;
  live: boolean;
  heap: number;
  managed: number;
  spilled: number;
  processing: number;
  tasksRun: number;
  lastSeen: number;
}

export class WorkersModel {
  private readonly workers = new Map<string, WorkerRec>();
  private readonly chunks = new Map<string, ChunkLocation>();
  /** runId -> key -> worker the key is processing on. */
  private readonly processing = new Map<string, Map<string, WorkerRec>>();
  readonly timeline: Ring<MemoryPoint>;
  /** The worker table changed since the last `takeDirty()`. */
  private changed = true;

  constructor(
    memoryHistory: number,
    private readonly memoryLimit: number,
    seed: Iterable<[string, ChunkLocation]>,
  ) {
    this.timeline = new Ring(memoryHistory);
    for (const [k, loc] of seed) this.putChunk(k, loc);
  }

  takeDirty(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  setWorkers(infos: readonly WorkerInfo[], t: number): void {
    const ids = new Set(infos.map((w) => w.id));
    for (const w of this.workers.values()) if (w.kind === "thread" && !ids.has(w.id)) w.live = false;
    for (const info of infos) {
      const w = this.worker(info.id, t);
      w.kind = info.kind;
      w.threads = info.threads;
      w.live = true;
    }
    this.prune();
    this.changed = true;
  }

  onSample(s: MemorySample): void {
    const w = this.workers.get(s.worker);
    if (w === undefined || !w.live) return; // a sample from a thread already gone
    w.heap = s.heapUsed + s.arrayBuffers;
    w.lastSeen = s.t;
    this.changed = true;
  }

  onStore(s: EngineEvents["store"]): void {
    this.timeline.push((seq) => ({ seq, t: s.t, managed: s.managed, unmanaged: s.unmanaged, spilled: s.spilled }));
  }

  onBatchStart(e: EngineEvents["batch-start"]): void {
    const w = this.worker(e.worker, e.t);
    let byKey = this.processing.get(e.runId);
    if (byKey === undefined) this.processing.set(e.runId, (byKey = new Map()));
    for (const k of e.keys) byKey.set(k, w);
    w.processing += e.keys.length;
    w.lastSeen = e.t;
    this.changed = true;
  }

  onTransitions(e: EngineEvents["tasks"]): void {
    const byKey = e.runId === undefined ? undefined : this.processing.get(e.runId);
    for (const tr of e.transitions) {
      if (tr.state === "memory" || tr.state === "erred") {
        const w = byKey?.get(tr.key);
        if (w !== undefined) {
          byKey!.delete(tr.key);
          w.processing--;
        }
        if (e.runId !== undefined && tr.worker !== undefined && tr.worker !== "?") {
          const ran = this.worker(tr.worker, tr.t);
          ran.tasksRun++;
          ran.lastSeen = tr.t;
        }
      }
      if ((tr.state === "memory" || tr.state === "spilled") && tr.nbytes !== undefined) {
        const loc: ChunkLocation = { state: tr.state, nbytes: tr.nbytes };
        if (tr.worker !== undefined) loc.worker = tr.worker;
        this.putChunk(tr.key, loc);
      } else if (tr.state === "released") {
        this.dropChunk(tr.key);
      }
    }
    this.changed = true;
  }

  onRunEnd(runId: string): void {
    const byKey = this.processing.get(runId);
    if (byKey === undefined) return;
    for (const w of byKey.values()) w.processing--;
    this.processing.delete(runId);
    this.prune();
    this.changed = true;
  }

  /** Workers now: live ones, and gone ones that still hold chunks. */
  list(): WorkerState[] {
    const live = [...this.workers.values()].filter((w) => w.live && w.kind === "thread").length;
    const share = Math.floor(this.memoryLimit / Math.max(1, live));
    return [...this.workers.values()].map((w) => ({
      id: w.id, kind: w.kind, threads: w.threads, memoryLimit: w.kind === "thread" ? share : this.memoryLimit,
      managed: w.managed, unmanaged: w.heap, spilled: w.spilled, processing: Math.max(0, w.processing), tasksRun: w.tasksRun, lastSeen: w.lastSeen,
    }));
  }

  /** Where a chunk is, as the store said last. */
  chunk(key: string): ChunkLocation | undefined {
    return this.chunks.get(key);
  }

  private worker(id: string, t: number): WorkerRec {
    let w = this.workers.get(id);
    if (w === undefined) {
      const kind: WorkerInfo["kind"] = id === "main" ? "main" : id.startsWith("thread-") ? "thread" : "process";
      this.workers.set(id, (w = { id, kind, threads: 1, live: kind !== "thread", heap: 0, managed: 0, spilled: 0, processing: 0, tasksRun: 0, lastSeen: t }));
      this.changed = true;
    }
    return w;
  }

  private putChunk(key: string, loc: ChunkLocation): void {
    this.dropChunk(key);
    this.chunks.set(key, loc);
    const w = this.worker(loc.worker ?? "unknown", 0);
    if (loc.state === "memory") w.managed += loc.nbytes;
    else w.spilled += loc.nbytes;
  }

  private dropChunk(key: string): void {
    const old = this.chunks.get(key);
    if (old === undefined) return;
    this.chunks.delete(key);
    const w = this.workers.get(old.worker ?? "unknown");
    if (w === undefined) return;
    if (old.state === "memory") w.managed -= old.nbytes;
    else w.spilled -= old.nbytes;
  }

  /** Gone threads are listed only while they hold chunks or run tasks. */
  private prune(): void {
    for (const [id, w] of this.workers) {
      if (!w.live && w.managed === 0 && w.spilled === 0 && w.processing <= 0) this.workers.delete(id);
    }
  }
}
