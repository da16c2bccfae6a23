/**
 * The worker-thread entry point that piscina loads: receives a batch, runs
 * it, and sends back results and a memory sample. Owns nothing global but
 * its caches of compiled functions and loaded modules.
 *
 * Results that hold ArrayBuffers not already on shared memory are
 * transferred (moved), never copied. Every second, even when idle, the
 * worker reports its memory on the pool's BroadcastChannel.
 */
import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import { move, transferableSymbol, valueSymbol } from "piscina";
import { BatchReply, BatchRequest, runBatch } from "./batch";
import { sampleMemory } from "./memory";
import { reclaimSharedMemory } from "./reclaim";
import { packValue } from "./wire";
import "./kernels";

export interface ThreadWorkerData {
  /** Prefix of worker ids ("thread"). */
  name: string;
  /** BroadcastChannel name for memory samples. */
  channel: string;
  sampleIntervalMs: number;
}

const data = workerData as ThreadWorkerData;
const worker = `${data.name}-${threadId}`;

const channel = new BroadcastChannel(data.channel);
const timer = setInterval(() => channel.postMessage(sampleMemory(worker)), data.sampleIntervalMs);
timer.unref();
channel.unref();

// Small buffers are cheaper to copy than to track, and Node's Buffer pool (8 KiB slabs)
// must never be detached: only buffers at least this large are moved.
const MOVE_MIN_BYTES = 64 * 1024;

function collectBuffers(value: unknown, out: Set<ArrayBuffer>, depth: number): void {
  if (value === null || typeof value !== "object" || depth > 3) return;
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer && value.buffer.byteLength >= MOVE_MIN_BYTES) out.add(value.buffer);
    return;
  }
  if (value instanceof ArrayBuffer) {
    if (value.byteLength >= MOVE_MIN_BYTES) out.add(value);
    return;
  }
  if (Array.isArray(value)) {
    if (value.length > 64) return; // arrays of records: cloning them is the cost anyway
    for (const v of value) collectBuffers(v, out, depth + 1);
    return;
  }
  if (Object.getPrototypeOf(value) === Object.prototype) for (const k in value) collectBuffers((value as Record<string, unknown>)[k], out, depth + 1);
}


export default async function runInWorker(req: BatchRequest): Promise<unknown> {
  if (req.progress !== undefined && req.progress.length > 1) {
    // Tell the scheduler which thread took the batch (schedule/threads.ts waits on this cell).
    Atomics.store(req.progress, 1, threadId);
    Atomics.notify(req.progress, 1);
  }
  const reply: BatchReply = await runBatch(req, { worker });
  reclaimSharedMemory();
  reply.memory = sampleMemory(worker);
  // Marked partitions leave as msgpack on shared memory (wire.ts says why).
  for (const r of reply.results) r[1] = packValue(r[1]);
  const buffers = new Set<ArrayBuffer>();
  for (const [, v] of reply.results) collectBuffers(v, buffers, 0);
  if (buffers.size === 0) return reply;
  // move() marks the wrapper as movable: without the mark piscina posts the wrapper itself,
  // whose symbol keys structured clone drops, and the reply arrives empty.
  return move({ [transferableSymbol]: [...buffers], [valueSymbol]: reply });
}
