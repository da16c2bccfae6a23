/**
 * Workers and memory as the dashboard sees them.
 *
 * State and invariants:
 *   - a worker's managed and spilled bytes are the store's own count of the
 *     chunks it produced (LocalStore.bytesByWorker), read when listed, so
 *     their sums are the store's managed and spilled bytes.
 *   - processing[w] = tasks of batches that began on w ("batch-start") and
 *     have not reached memory or erred; a run's leftovers are dropped when
 *     it ends.
 *   - the memory timeline keeps the last `memoryHistory` store samples.
 */
import type { EngineEvents, MemorySample, WorkerInfo } from "../events";
import type { MemoryPoint, WorkerState } from "../protocol";
import type { LocalStore } from "../store/store";
import { Ring } from "./ring";

interface WorkerRec {
  id: string;
  kind: WorkerInfo["kind"];
  threads: number;
  live: boolean;
  heap: number;
  processing: number;
  tasksRun: number;
  lastSeen: number;
}

export class WorkersModel {
  private readonly workers = new Map<string, WorkerRec>();
  /** runId -> key -> worker the key is processing on. */
  private readonly processing = new Map<string, Map<string, WorkerRec>>();
  readonly timeline: Ring<MemoryPoint>;
  /** The worker table changed since the last `takeDirty()`. */
  private changed = true;

  constructor(
    memoryHistory: number,
    private readonly store: LocalStore,
  ) {
    this.timeline = new Ring(memoryHistory);
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

  /** Workers now: live ones, and gone ones that still hold chunks or run tasks. */
  list(): WorkerState[] {
    const bytes = this.store.bytesByWorker();
    for (const id of bytes.keys()) this.worker(id || "unknown", 0);
    const live = [...this.workers.values()].filter((w) => w.live && w.kind === "thread").length;
    const limit = this.store.memoryLimit;
    const share = Math.floor(limit / Math.max(1, live));
    const out: WorkerState[] = [];
    for (const w of this.workers.values()) {
      const b = bytes.get(w.id === "unknown" ? "" : w.id) ?? { managed: 0, spilled: 0 };
      // A gone thread is listed only while it still holds chunks or tasks.
      if (!w.live && b.managed === 0 && b.spilled === 0 && w.processing <= 0) continue;
      out.push({
        id: w.id, kind: w.kind, threads: w.threads, memoryLimit: w.kind === "thread" ? share : limit,
        managed: b.managed, unmanaged: w.heap, spilled: b.spilled, processing: Math.max(0, w.processing), tasksRun: w.tasksRun, lastSeen: w.lastSeen,
      });
    }
    return out;
  }

  private worker(id: string, t: number): WorkerRec {
    let w = this.workers.get(id);
    if (w === undefined) {
      const kind: WorkerInfo["kind"] = id === "main" ? "main" : id.startsWith("thread-") ? "thread" : "process";
      this.workers.set(id, (w = { id, kind, threads: 1, live: kind !== "thread", heap: 0, processing: 0, tasksRun: 0, lastSeen: t }));
      this.changed = true;
    }
    return w;
  }

  /** Forgets gone threads with nothing left (list() reports the ones still holding chunks). */
  private prune(): void {
    const bytes = this.store.bytesByWorker();
    for (const [id, w] of this.workers) if (!w.live && !bytes.has(id) && w.processing <= 0) this.workers.delete(id);
  }
}
