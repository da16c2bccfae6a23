/**
 * The sync executor: runs every batch in the calling thread, one at a time,
 * with the user's real functions (closures included) and real stack traces.
 * For debugging, and for work too small to be worth a thread hop.
 */
import { WorkerInfo } from "../events";
import { ChunkStore } from "../store/store";
import { runBatch } from "../worker/batch";
import { Batch, BatchOutcome, Executor, replyFailure } from "./executor";
import "../worker/kernels";

export const MAIN_THREAD = "main";

export class SyncExecutor implements Executor {
  readonly name = "sync";
  readonly slots = 1;
  readonly parallelism = 1;
  readonly inProcess = true;

  workers(): WorkerInfo[] {
    return [{ id: MAIN_THREAD, kind: "main", threads: 1 }];
  }

  async run(batch: Batch, store: ChunkStore, signal: AbortSignal): Promise<BatchOutcome> {
    // Let timers and I/O (an abort, an interrupt, a progress update) in between batches.
    await new Promise((resolve) => setImmediate(resolve));
    if (signal.aborted) return cancelled(batch);
    const inputs: [string, unknown][] = await Promise.all(batch.inputs.map(async (k) => [k, await store.get(k)] as [string, unknown]));
    if (signal.aborted) return cancelled(batch);
    batch.onStart?.(MAIN_THREAD);
    const reply = await runBatch({ runId: batch.runId, tasks: batch.tasks, inputs, returns: batch.returns }, { worker: MAIN_THREAD, preferLocal: true });
    for (const [k, v] of reply.results) store.put(k, v, { worker: MAIN_THREAD });
    const outcome: BatchOutcome = { worker: MAIN_THREAD, timings: reply.timings };
    if (reply.error !== undefined) outcome.failure = replyFailure(batch, reply.error);
    return outcome;
  }

  async close(): Promise<void> {}
}

function cancelled(batch: Batch): BatchOutcome {
  return { worker: MAIN_THREAD, timings: [], failure: { key: batch.tasks[0]!.key, kind: "cancelled", error: { name: "AbortError", message: "cancelled" } } };
}
