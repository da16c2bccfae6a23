/**
 * The seam between the scheduling loop and the places tasks run.
 *
 * The loop decides what runs and when; an Executor decides where and how:
 * in this thread (sync), on a piscina pool (threads), or as BullMQ jobs on
 * other machines (distributed). An executor fetches a batch's inputs from
 * the store, runs the batch, and puts the returned results into the store;
 * the loop only ever sees keys, timings and errors, never values.
 */
import type { SerializedError } from "../errors";
import type { WorkerInfo } from "../events";
import type { BatchTask } from "../worker/batch";
import type { ChunkStore } from "../store/store";

export interface Batch {
  runId: string;
  /** Tasks in a topological order. */
  tasks: BatchTask[];
  /** Keys read from the store (computed earlier). */
  inputs: string[];
  /** Keys whose results must be put into the store. */
  returns: string[];
  /**
   * Called once, with the worker's id, when a worker begins running the
   * batch (before the executor's promise settles), if the loop wants to
   * know (diagnostics listen). Executors call it; nothing else depends on it.
   */
  onStart?: (worker: string) => void;
}

export interface BatchFailure {
  /** The task that failed (or was running when its worker died). */
  key: string;
  /** The task fused inside `key` that threw, when it was not `key` itself. */
  innerKey?: string;
  kind: "task" | "crash" | "cancelled";
  error: SerializedError;
}

export interface BatchOutcome {
  worker: string;
  /** [start, stop] of each task that completed, flattened, in batch order. */
  timings: number[];
  failure?: BatchFailure;
}

export interface Executor {
  /** The scheduler name users pass: "sync", "threads", … */
  readonly name: string;
  /** How many batches the loop may keep in flight at once. */
  readonly slots: number;
  /** Tasks that can run at the same time (batch sizing uses it). */
  readonly parallelism: number;
  /** Whether tasks run in this thread, where real closures are available. */
  readonly inProcess: boolean;
  workers(): WorkerInfo[];
  run(batch: Batch, store: ChunkStore, signal: AbortSignal): Promise<BatchOutcome>;
  close(): Promise<void>;
}

/** The failure a worker's batch reply describes. */
export function replyFailure(batch: Batch, error: { index: number; key?: string; error: SerializedError }): BatchFailure {
  const f: BatchFailure = { key: batch.tasks[error.index]!.key, kind: "task", error: error.error };
  if (error.key !== undefined) f.innerKey = error.key;
  return f;
}
