/**
 * A batch: the unit of work the scheduler hands a worker in one message.
 *
 * It holds tasks in a topological order; tasks may read each other's results
 * (the scheduler batches a whole subtree when it can), and read `inputs`,
 * the values of keys computed earlier. Only the keys in `returns` come back;
 * every other result lives and dies inside the batch. Before each task the
 * worker writes the task's index into the shared `progress` cell, so that if
 * the thread dies mid-task the scheduler still knows which task killed it.
 */
import { serializeError, SerializedError } from "../errors";
import { MemorySample, now } from "../events";
import { Task, taskDeps } from "../graph";
import { FAILED_KEY, isThenable, runTask } from "./execute";
import { ResolveOptions } from "./resolve";
import { materialize } from "./lazy";
import { isPacked, unpackValue } from "./wire";

export interface BatchTask {
  key: string;
  task: Task;
}

export interface BatchRequest {
  runId: string;
  tasks: BatchTask[];
  /** Values of the keys read from outside the batch. */
  inputs: [string, unknown][];
  /** Keys whose values are sent back. */
  returns: string[];
  /** Shared cells: [0] index of the task running now; [1] the thread id of the worker that took the batch. */
  progress?: Int32Array;
}

export interface BatchReply {
  worker: string;
  results: [string, unknown][];
  /** [start, stop] of each task that ran, flattened, in batch order. */
  timings: number[];
  /** The task at `index` failed; `key` names the inline task inside it that threw, if any. */
  error?: { index: number; key?: string; error: SerializedError };
  memory?: MemorySample;
}

export interface BatchOptions extends ResolveOptions {
  worker: string;
}

export async function runBatch(req: BatchRequest, options: BatchOptions): Promise<BatchReply> {
  const values = new Map<string, unknown>(req.inputs);
  const returns = new Set(req.returns);
  // How many tasks of the batch still read each key, to drop values early.
  const readers = new Map<string, number>();
  for (const { task } of req.tasks) for (const d of taskDeps(task)) readers.set(d, (readers.get(d) ?? 0) + 1);
  const lookup = (k: string) => {
    if (!values.has(k)) throw new Error(`internal: input ${k} was not sent with the batch`);
    let v = values.get(k);
    // Packed inputs (wire.ts) are decoded once, on first use, in this thread.
    if (isPacked(v)) values.set(k, (v = unpackValue(v)));
    return v;
  };
  const results: [string, unknown][] = [];
  const timings: number[] = [];
  const reply: BatchReply = { worker: options.worker, results, timings };
  for (let i = 0; i < req.tasks.length; i++) {
    const { key, task } = req.tasks[i]!;
    if (req.progress !== undefined) req.progress[0] = i;
    const start = now();
    let value: unknown;
    try {
      value = runTask(task, lookup, options);
      if (isThenable(value)) value = await value;
      // A task's result is stored or sent: a lazy value (lazy.ts) becomes real here.
      value = materialize(value);
    } catch (e) {
      timings.push(start, now());
      reply.error = { index: i, error: serializeError(e) };
      const inner = e !== null && typeof e === "object" ? (e as Record<symbol, unknown>)[FAILED_KEY] : undefined;
      if (typeof inner === "string") reply.error.key = inner;
      break;
    }
    timings.push(start, now());
    values.set(key, value);
    if (returns.has(key)) results.push([key, value]);
    for (const d of taskDeps(task)) {
      const left = readers.get(d)! - 1;
      readers.set(d, left);
      if (left === 0 && !returns.has(d)) values.delete(d);
    }
  }
  return reply;
}
