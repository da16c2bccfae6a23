/**
 * The worker-thread entry point that piscina loads: receives a batch, runs
 * it, and sends back results and a memory sample. Owns nothing global but
 * its caches of compiled functions and loaded modules.
 *
 * Results that hold ArrayBuffers not already on shared memory are
 * transferred (moved), never copied. Every second, even when idle, the
 * worker reports its memory on the pool's BroadcastChannel.
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";
import { BroadcastChannel, threadId, workerData } from "node:worker_threads";
import { transferableSymbol, valueSymbol } from "piscina";
import { BatchReply, BatchRequest, runBatch } from "./batch";
import { sampleMemory } from "./memory";
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

// Chunks live mostly in (Shared)ArrayBuffers, whose memory comes back only when this isolate's
// garbage collector runs — and V8 schedules collections by the pressure on its own heap, which
// barely sees them. Left alone, a worker parsing 64 MB blocks keeps hundreds of MB of dead
// buffers. So a batch that leaves much array-buffer memory behind collects at once. Worker threads
// cannot be started with --expose-gc, so the worker turns the flag on for a fresh context of its
// own and takes `gc` from there (if that ever fails, collection is left to V8, as before).
const gc = exposeGc();
function exposeGc(): (() => void) | undefined {
  try {
    v8.setFlagsFromString("--expose-gc");
    const fn = vm.runInNewContext("gc") as unknown;
    return typeof fn === "function" ? (fn as () => void) : undefined;
  } catch {
    return undefined;
  }
}
const GC_AFTER_BYTES = 192 * 2 ** 20;

export default async function runInWorker(req: BatchRequest): Promise<unknown> {
  const reply: BatchReply = await runBatch(req, { worker });
  reply.memory = sampleMemory(worker);
  if (gc !== undefined && reply.memory.arrayBuffers > GC_AFTER_BYTES) {
    gc();
    reply.memory = sampleMemory(worker);
  }
  const buffers = new Set<ArrayBuffer>();
  for (const [, v] of reply.results) collectBuffers(v, buffers, 0);
  if (buffers.size === 0) return reply;
  return { [transferableSymbol]: [...buffers], [valueSymbol]: reply };
}
