/**
 * The scheduling loop: one per computation, the same for every executor.
 *
 * Policy
 *   - Ready tasks run in static priority order (optimize/order: depth-first),
 *     smallest first, so one subtree finishes before the next starts.
 *   - Ready tasks go out in batches, one message each. A batch takes up to
 *     `limit` ready tasks, plus every task all of whose unfinished inputs are
 *     in the same batch (a subtree runs on one worker with no round trip).
 *     `limit` aims at ~TARGET_BATCH_MS of work from the measured mean task
 *     time, and never takes more than a fair share of the ready tasks.
 *   - At most `executor.slots` batches are in flight.
 *   - Root tasks (no dependencies) are held back while the store is above its
 *     pause threshold, so that reductions catch up and free memory instead of
 *     new data piling up. When nothing else can run, the loop waits for the
 *     store's spill in progress to free memory; when no spill is in progress
 *     either, a root goes anyway: a run must always make progress.
 *   - A result is released from the store as soon as its last reader has
 *     finished, unless it is an output or was in the store before the run.
 *
 * State, per task index i (keys are mapped to dense indices once):
 *   state[i]     WAITING -> READY -> PROCESSING -> MEMORY -> RELEASED, or ERRED
 *   waiting[i]   inputs of i not yet in MEMORY
 *   readers[i]   tasks reading i that have not finished
 * Invariants: a task is in a ready heap iff state READY (then waiting = 0);
 * `remaining` = number of tasks not yet finished; every batch in flight was
 * counted in `inflight` when sent and uncounted when its outcome arrived.
 *
 * Failure and cancellation: the first failure (a task error, a worker crash,
 * or the caller's AbortSignal) ends the run at once: no more batches are
 * sent, batches in flight are aborted through the executor, and every chunk
 * the run put in the store is released, including ones that arrive late.
 */
import { Errors, TaskError, TesseraError } from "../errors";
import { EventBus, TaskTransition, now } from "../events";
import { TaskGraph, indexGraph, keyLabel } from "../graph";
import type { ChunkStore } from "../store/store";
import { Batch, BatchOutcome, Executor } from "./executor";
import { IndexHeap } from "./heap";

export interface LoopInput {
  runId: string;
  /** Culled and optimized; keys in `done` have no dependencies. */
  graph: TaskGraph;
  outputs: readonly string[];
  priority: ReadonlyMap<string, number>;
  /** Keys whose results are already in the store. */
  done: ReadonlySet<string>;
  executor: Executor;
  store: ChunkStore;
  events: EventBus;
  signal?: AbortSignal;
}

export interface LoopStats {
  ntasks: number;
  batches: number;
}

const WAITING = 0, READY = 1, PROCESSING = 2, MEMORY = 3, RELEASED = 4, ERRED = 5;
const TARGET_BATCH_MS = 10;
const MAX_BATCH = 2048;

export function runLoop(input: LoopInput): Promise<LoopStats> {
  return new Loop(input).start();
}

class Loop {
  private readonly keys: readonly string[];
  private readonly deps: readonly (readonly number[])[];
  private readonly dependents: readonly (readonly number[])[];
  private readonly state: Uint8Array;
  private readonly waiting: Int32Array;
  private readonly readers: Int32Array;
  private readonly isOutput: Uint8Array;
  private readonly wasDone: Uint8Array;
  private readonly prio: Float64Array;
  private readonly readyRoots: IndexHeap;
  private readonly readyOther: IndexHeap;
  private readonly abort = new AbortController();
  private remaining = 0;
  private inflight = 0;
  private batches = 0;
  /** Mean milliseconds per task, measured (undefined until the first outcome). */
  private msPerTask: number | undefined;
  private finished = false;
  /** Paused, nothing in flight: waiting for the store to free memory. */
  private awaitingRelief = false;
  private resolve!: (s: LoopStats) => void;
  private reject!: (e: Error) => void;
  private readonly observe: boolean;
  private readonly onAbort = () => this.fail(Errors.cancelled(this.input.signal?.reason));

  constructor(private readonly input: LoopInput) {
    const { graph, priority, done, outputs } = input;
    const ix = indexGraph(graph);
    const n = ix.keys.length;
    const index = ix.index;
    this.keys = ix.keys;
    this.deps = ix.deps;
    this.dependents = ix.dependents;
    const prio = (this.prio = new Float64Array(n));
    this.state = new Uint8Array(n);
    this.waiting = new Int32Array(n);
    this.readers = new Int32Array(n);
    this.isOutput = new Uint8Array(n);
    this.wasDone = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const k = this.keys[i]!;
      prio[i] = priority.get(k) ?? i;
      if (done.has(k)) this.wasDone[i] = 1;
    }
    for (const k of outputs) {
      const i = index.get(k);
      if (i === undefined) throw Errors.unknownKey(k);
      this.isOutput[i] = 1;
    }
    this.readyRoots = new IndexHeap(prio, n);
    this.readyOther = new IndexHeap(prio, 16);
    for (let i = 0; i < n; i++) {
      this.readers[i] = this.dependents[i]!.length;
      if (this.wasDone[i]) {
        this.state[i] = MEMORY;
        continue;
      }
      this.remaining++;
      let w = 0;
      for (const d of this.deps[i]!) if (!this.wasDone[d]) w++;
      this.waiting[i] = w;
      if (w === 0) {
        this.state[i] = READY;
        (this.deps[i]!.length === 0 ? this.readyRoots : this.readyOther).push(i);
      }
    }
    this.observe = input.events.listening("tasks");
  }

  start(): Promise<LoopStats> {
    const p = new Promise<LoopStats>((res, rej) => {
      this.resolve = res;
      this.reject = rej;
    });
    const signal = this.input.signal;
    if (signal?.aborted) {
      this.fail(Errors.cancelled(signal.reason));
      return p;
    }
    signal?.addEventListener("abort", this.onAbort, { once: true });
    if (this.remaining === 0) this.succeed();
    else this.pump();
    return p;
  }

  private pump(): void {
    const { executor, store } = this.input;
    if (this.awaitingRelief) return;
    while (!this.finished && this.inflight < executor.slots) {
      let holdRoots = this.readyRoots.size > 0 && store.paused();
      if (holdRoots && this.inflight === 0 && this.readyOther.size === 0) {
        const relief = store.relief();
        if (relief !== undefined) {
          this.awaitingRelief = true;
          relief.then(() => {
            this.awaitingRelief = false;
            this.pump();
          });
          return;
        }
        holdRoots = false; // nothing can free memory: go on rather than wait forever
      }
      if (this.readyOther.size === 0 && (holdRoots || this.readyRoots.size === 0)) break;
      this.send(this.buildBatch(holdRoots));
    }
    if (!this.finished && this.inflight === 0) {
      this.fail(new TesseraError("TESSERA_BAD_INPUT", `internal: the scheduler stalled with ${this.remaining} tasks left and none ready`));
    }
  }

  private nextReady(holdRoots: boolean): number {
    const other = this.readyOther.peek();
    const root = holdRoots ? -1 : this.readyRoots.peek();
    if (other < 0) return root < 0 ? -1 : this.readyRoots.pop();
    if (root < 0) return this.readyOther.pop();
    const pr = this.prio[root]!, po = this.prio[other]!;
    return pr < po || (pr === po && root < other) ? this.readyRoots.pop() : this.readyOther.pop();
  }

  private batchLimit(): number {
    const ready = this.readyOther.size + this.readyRoots.size;
    const fair = Math.max(1, Math.ceil(ready / this.input.executor.parallelism));
    const byTime = this.msPerTask === undefined ? 1 : Math.max(1, Math.floor(TARGET_BATCH_MS / Math.max(this.msPerTask, 1e-4)));
    return Math.min(MAX_BATCH, fair, byTime);
  }

  private buildBatch(holdRoots: boolean): number[] {
    const members: number[] = [];
    const limit = this.batchLimit();
    // inBatch.get(d): how many of d's unfinished inputs this batch computes.
    const inBatch = new Map<number, number>();
    const expand: number[] = [];
    for (let taken = 0; taken < limit; taken++) {
      const first = this.nextReady(holdRoots);
      if (first < 0) break;
      this.state[first] = PROCESSING;
      members.push(first);
      expand.push(first);
      while (expand.length > 0) {
        const j = expand.pop()!;
        for (const d of this.dependents[j]!) {
          if (this.state[d] !== WAITING) continue;
          const c = (inBatch.get(d) ?? 0) + 1;
          inBatch.set(d, c);
          if (c === this.waiting[d]) {
            this.state[d] = PROCESSING;
            members.push(d);
            expand.push(d);
          }
        }
      }
    }
    return members;
  }

  private send(members: number[]): void {
    const { graph, runId, executor, store } = this.input;
    const memberSet = new Set(members);
    const inputs = new Set<string>();
    const tasks = new Array(members.length);
    const returns: string[] = [];
    for (let m = 0; m < members.length; m++) {
      const i = members[m]!;
      const key = this.keys[i]!;
      tasks[m] = { key, task: graph.get(key)! };
      for (const d of this.deps[i]!) if (!memberSet.has(d)) inputs.add(this.keys[d]!);
      let external = this.isOutput[i] === 1;
      if (!external) for (const r of this.dependents[i]!) if (!memberSet.has(r)) { external = true; break; }
      if (external) returns.push(key);
    }
    const batch: Batch = { runId, tasks, inputs: [...inputs], returns };
    if (this.input.events.listening("batch-start")) batch.onStart = (worker) => this.started(worker, tasks, members);
    this.inflight++;
    this.batches++;
    if (this.observe) {
      const t = now();
      this.emit(members.map((i) => ({ key: this.keys[i]!, index: i, state: "processing" as const, t })));
    }
    executor.run(batch, store, this.abort.signal).then(
      (outcome) => this.onOutcome(members, batch, outcome),
      (err: unknown) => this.onOutcome(members, batch, {
        worker: "?",
        timings: [],
        failure: { key: batch.tasks[0]!.key, kind: "crash", error: { name: "Error", message: String((err as Error)?.message ?? err) } },
      }),
    );
  }

  private onOutcome(members: number[], batch: Batch, outcome: BatchOutcome): void {
    this.inflight--;
    const { store } = this.input;
    if (this.finished) {
      // A batch that was already running when the run ended: drop what it stored.
      for (const k of batch.returns) store.release(k);
      return;
    }
    // The failed task's own timing is reported too (for the task stream), but it did not complete.
    // The failed task's own timing is reported too (for the task stream), but it did not complete.
    let completed = outcome.timings.length / 2;
    let threw = false;
    if (outcome.failure !== undefined) {
      const at = batch.tasks.findIndex((t) => t.key === outcome.failure!.key);
      if (at >= 0 && at < completed) {
        completed = at;
        threw = true;
      }
    }
    if (completed > 0) {
      let total = 0;
      for (let t = 0; t < completed; t++) total += outcome.timings[2 * t + 1]! - outcome.timings[2 * t]!;
      const mean = total / completed;
      this.msPerTask = this.msPerTask === undefined ? mean : 0.7 * this.msPerTask + 0.3 * mean;
    }
    const transitions: TaskTransition[] | undefined = this.observe ? [] : undefined;
    for (let t = 0; t < completed; t++) {
      const i = members[t]!;
      this.state[i] = MEMORY;
      this.remaining--;
      if (transitions !== undefined) {
        const key = this.keys[i]!;
        const tr: TaskTransition = { key, index: i, state: "memory", t: outcome.timings[2 * t + 1]!, worker: outcome.worker, start: outcome.timings[2 * t]!, stop: outcome.timings[2 * t + 1]! };
        const nbytes = store.where(key)?.nbytes;
        if (nbytes !== undefined) tr.nbytes = nbytes;
        transitions.push(tr);
      }
      for (const d of this.dependents[i]!) {
        if (this.state[d] !== WAITING) continue;
        if (--this.waiting[d] === 0) {
          this.state[d] = READY;
          this.readyOther.push(d);
        }
      }
    }
    for (let t = 0; t < completed; t++) {
      const i = members[t]!;
      for (const d of this.deps[i]!) {
        if (--this.readers[d] !== 0 || this.isOutput[d] || this.wasDone[d]) continue;
        this.state[d] = RELEASED;
        store.release(this.keys[d]!);
        transitions?.push({ key: this.keys[d]!, index: d, state: "released", t: now() });
      }
    }
    if (transitions !== undefined && transitions.length > 0) this.emit(transitions);
    if (outcome.failure !== undefined) {
      this.failBatch(outcome, threw ? [outcome.timings[2 * completed]!, outcome.timings[2 * completed + 1]!] : undefined);
      return;
    }
    if (this.remaining === 0) this.succeed();
    else this.pump();
  }

  private failBatch(outcome: BatchOutcome, timing: [number, number] | undefined): void {
    const f = outcome.failure!;
    if (f.kind === "cancelled") {
      this.fail(Errors.cancelled(this.input.signal?.reason));
      return;
    }
    const at = this.keys.indexOf(f.key);
    if (at >= 0) this.state[at] = ERRED;
    if (this.observe) {
      const tr: TaskTransition = { key: f.key, state: "erred", t: now(), worker: outcome.worker, error: f.error };
      if (timing !== undefined) [tr.start, tr.stop] = timing;
      this.emit([tr]);
    }
    const key = f.innerKey ?? f.key;
    const op = keyLabel(key);
    this.fail(f.kind === "crash" ? Errors.workerCrashed(key, op, f.error.message) : new TaskError(key, op, f.error, outcome.worker));
  }

  private succeed(): void {
    this.finish();
    this.resolve({ ntasks: this.keys.length, batches: this.batches });
  }

  private fail(err: Error): void {
    if (this.finished) return;
    this.finish();
    this.abort.abort(err);
    // Everything this run stored goes, outputs included: nobody will read them.
    const { store } = this.input;
    for (let i = 0; i < this.keys.length; i++) {
      if (this.state[i] === MEMORY && !this.wasDone[i]) store.release(this.keys[i]!);
    }
    this.reject(err);
  }

  private finish(): void {
    this.finished = true;
    this.input.signal?.removeEventListener("abort", this.onAbort);
  }

  private started(worker: string, tasks: readonly { key: string }[], members: number[]): void {
    // A batch still starting after the run ended belongs to no one: its tasks get no transitions.
    if (this.finished) return;
    this.input.events.emit("batch-start", { runId: this.input.runId, worker, t: now(), keys: tasks.map((t) => t.key), indices: members });
  }

  private emit(transitions: TaskTransition[]): void {
    this.input.events.emit("tasks", { runId: this.input.runId, transitions });
  }
}
