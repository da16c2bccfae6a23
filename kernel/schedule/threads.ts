/**
 * The threads executor: batches run on a piscina pool of worker threads
 * (default: one per core). Chunks on shared memory reach a worker without a
 * copy; other values are structured-cloned.
 *
 * Aborting a batch terminates the thread running it (piscina replaces it),
 * which is how a cancelled computation frees its workers within
 * milliseconds even inside a long synchronous kernel. A thread that dies
 * (process.exit, out of memory) fails only its own batch; the shared
 * `progress` cell tells which task of the batch was running.
 */
import * as os from "node:os";
import * as path from "node:path";
import { BroadcastChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { Errors } from "../errors";
import { EventBus, MemorySample, WorkerInfo } from "../events";
import { ChunkStore } from "../store/store";
import type { BatchReply, BatchRequest } from "../worker/batch";
import type { ThreadWorkerData } from "../worker/entry";
import { Batch, BatchOutcome, Executor, replyFailure } from "./executor";

export interface ThreadsOptions {
  /** Worker threads; default: the number of cores. */
  threads?: number;
  events: EventBus;
  /** Worker memory sample period. */
  sampleIntervalMs?: number;
}

let poolSeq = 0;
/** Worker ids are `${WORKER_PREFIX}-${threadId}` (worker/entry.ts builds the same). */
const WORKER_PREFIX = "thread";

export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length);
}

export class ThreadsExecutor implements Executor {
  readonly name = "threads";
  readonly inProcess = false;
  readonly parallelism: number;
  readonly slots: number;
  private readonly pool: Piscina<BatchRequest, BatchReply>;
  private readonly channel: BroadcastChannel;
  private readonly events: EventBus;
  private readonly latest = new Map<string, MemorySample>();
  private closed = false;

  constructor(options: ThreadsOptions) {
    const threads = options.threads ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1) throw Errors.badOption("threads", threads, "a positive integer");
    this.parallelism = threads;
    // One batch running and one queued per thread keeps every thread busy.
    this.slots = threads * 2;
    this.events = options.events;
    const workerData: ThreadWorkerData = {
      name: WORKER_PREFIX,
      channel: `tessera-memory-${process.pid}-${++poolSeq}`,
      sampleIntervalMs: options.sampleIntervalMs ?? 1000,
    };
    this.channel = new BroadcastChannel(workerData.channel);
    this.channel.onmessage = (m: unknown) => this.onSample((m as { data: MemorySample }).data);
    this.channel.unref();
    this.pool = new Piscina({
      filename: path.join(__dirname, "..", "worker", "entry.js"),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: Infinity,
      // Workers wait for tasks on their event loop, so their memory timer runs while idle.
      atomics: "async",
      workerData,
    });
    // A batch aborted (the run failed or was cancelled) whose reply was already on its way comes
    // back to piscina as a message for a task it no longer knows, which it emits as a pool
    // "error" — an uncaught exception without a listener. The loop has already dropped that
    // batch, so the reply is ignored; any other pool error is reported as a warning.
    this.pool.on("error", (e: Error) => {
      if (!/^Unexpected message from Worker/.test(e?.message ?? "")) process.emitWarning(`tessera: thread pool error: ${e?.message ?? e}`, "TesseraWarning");
    });
    this.pool.on("workerCreate", () => this.announce());
    this.pool.on("workerDestroy", (w: { threadId?: number; worker?: { threadId: number } }) => {
      const id = w.worker?.threadId ?? w.threadId;
      if (id !== undefined) this.latest.delete(`${WORKER_PREFIX}-${id}`);
      this.announce();
    });
  }

  workers(): WorkerInfo[] {
    return this.pool.threads.map((t) => ({ id: `${WORKER_PREFIX}-${t.threadId}`, kind: "thread" as const, threads: 1 }));
  }

  /** The most recent memory sample of each live worker. */
  memory(): MemorySample[] {
    return [...this.latest.values()];
  }

  async run(batch: Batch, store: ChunkStore, signal: AbortSignal): Promise<BatchOutcome> {
    if (this.closed) throw Errors.closed("the thread pool");
    const first = batch.tasks[0]!.key;
    if (signal.aborted) return cancelled(first);
    let inputs: [string, unknown][];
    try {
      inputs = await Promise.all(batch.inputs.map(async (k) => [k, await store.get(k)] as [string, unknown]));
    } catch (e) {
      return { worker: "store", timings: [], failure: { key: first, kind: "task", error: { name: "TesseraError", message: (e as Error).message } } };
    }
    // progress[0]: the index of the task running now; progress[1]: the worker's thread id once it began.
    const progress = new Int32Array(new SharedArrayBuffer(8));
    progress[0] = -1;
    const started = batch.onStart === undefined ? undefined : whenStarted(progress, batch.onStart);
    let reply: BatchReply;
    try {
      reply = await this.pool.run({ runId: batch.runId, tasks: batch.tasks, inputs, returns: batch.returns, progress }, { signal });
    } catch (e) {
      if (signal.aborted || (e as Error)?.name === "AbortError") return cancelled(first);
      const running = batch.tasks[Math.max(0, progress[0]!)]!.key;
      return { worker: "?", timings: [], failure: { key: running, kind: "crash", error: { name: "WorkerError", message: (e as Error)?.message ?? String(e) } } };
    } finally {
      if (started !== undefined) {
        // Wake the waiter if the batch never began (aborted while queued), and
        // report the start before the outcome, always in that order.
        Atomics.notify(progress, 1);
        await started;
      }
    }
    for (const [k, v] of reply.results) store.put(k, v, { worker: reply.worker });
    if (reply.memory !== undefined) this.onSample(reply.memory);
    const outcome: BatchOutcome = { worker: reply.worker, timings: reply.timings };
    if (reply.error !== undefined) outcome.failure = replyFailure(batch, reply.error);
    return outcome;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    await this.pool.destroy();
  }

  private onSample(s: MemorySample): void {
    if (this.closed) return;
    this.latest.set(s.worker, s);
    this.events.emit("memory", s);
  }

  private announce(): void {
    if (!this.closed && this.events.listening("workers")) this.events.emit("workers", { workers: this.workers() });
  }
}

type WaitAsync = (a: Int32Array, index: number, value: number) => { async: boolean; value: Promise<string> | string };
const waitAsync = (Atomics as unknown as { waitAsync: WaitAsync }).waitAsync;

/**
 * Calls `onStart` with the worker's id once a worker has written its thread
 * id into progress[1] (worker/entry.ts does, then notifies). Waiting on the
 * shared cell costs no message; it is armed only when someone listens.
 */
async function whenStarted(progress: Int32Array, onStart: (worker: string) => void): Promise<void> {
  const w = waitAsync(progress, 1, 0);
  if (w.async) await w.value;
  const id = Atomics.load(progress, 1);
  if (id !== 0) onStart(`${WORKER_PREFIX}-${id}`);
}

function cancelled(key: string): BatchOutcome {
  return { worker: "?", timings: [], failure: { key, kind: "cancelled", error: { name: "AbortError", message: "cancelled" } } };
}
