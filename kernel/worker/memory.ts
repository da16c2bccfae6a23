/**
 * Memory as a worker thread sees its own: V8 heap and ArrayBuffer bytes of
 * its isolate (process.memoryUsage() reports per-isolate figures for those
 * two in a worker thread, and the shared RSS, which we leave to the store).
 */
import { MemorySample, now } from "../events";

export function sampleMemory(worker: string): MemorySample {
  const m = process.memoryUsage();
  return { worker, t: now(), heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers };
}
