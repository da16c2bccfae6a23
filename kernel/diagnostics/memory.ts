/**
 * Memory inspection, as the seed notes do it in Python
 * (`psutil.Process(os.getpid()).memory_info().rss`, `array.nbytes`,
 * `df.memory_usage()`): how much this process holds, and how many bytes a
 * value holds.
 */
import { MIMEBUNDLE, MimeBundle, infoTable } from "../collections/repr";
import { peekRuntime } from "../schedule";
import { formatBytes } from "../store/bytes";
import { sizeof } from "../store/sizeof";

/**
 * Bytes held by a value: exact for typed arrays, buffers, Arrow tables,
 * record batches and vectors, and anything with a numeric `nbytes` (an
 * NDArray); an estimate for plain objects and arrays.
 * @example nbytes(new Float64Array(1000)) // 8000
 * @example nbytes(tableFromArrays({ x: new Float64Array(10) })) // 80
 */
export function nbytes(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value.byteLength;
  if (value !== null && typeof value === "object") {
    const v = value as { nbytes?: unknown; data?: unknown; byteLength?: unknown };
    if (typeof v.nbytes === "number") return v.nbytes;
    // Arrow: a Table holds Data[] (one per record batch), a RecordBatch one Data; each knows its bytes.
    if (Array.isArray(v.data) && v.data.every((d) => typeof (d as { byteLength?: unknown })?.byteLength === "number")) {
      return v.data.reduce((n: number, d: { byteLength: number }) => n + d.byteLength, 0);
    }
    const d = v.data as { byteLength?: unknown } | undefined;
    if (d !== null && typeof d === "object" && typeof d.byteLength === "number" && !ArrayBuffer.isView(d)) return d.byteLength;
    if (typeof v.byteLength === "number") return v.byteLength;
  }
  return sizeof(value);
}

/** A snapshot of this process's memory, with the current cluster's chunk store. */
export class MemoryReport {
  readonly pid = process.pid;
  /** Resident set size: what the OS counts for this process (psutil's `rss`). */
  readonly rss: number;
  readonly heapUsed: number;
  readonly heapTotal: number;
  /** Memory of ArrayBuffers and SharedArrayBuffers (chunks live there). */
  readonly arrayBuffers: number;
  /** Chunks in the current cluster's memory and on its disk (undefined: no cluster yet). */
  readonly managed: number | undefined;
  readonly spilled: number | undefined;
  readonly memoryLimit: number | undefined;

  constructor() {
    const m = process.memoryUsage();
    this.rss = m.rss;
    this.heapUsed = m.heapUsed;
    this.heapTotal = m.heapTotal;
    this.arrayBuffers = m.arrayBuffers;
    const s = peekRuntime()?.store.stats();
    this.managed = s?.managed;
    this.spilled = s?.spilled;
    this.memoryLimit = s?.memoryLimit;
  }

  private rows(): [string, string][] {
    const rows: [string, string][] = [
      ["pid", String(this.pid)],
      ["rss", formatBytes(this.rss)],
      ["heap used / total", `${formatBytes(this.heapUsed)} / ${formatBytes(this.heapTotal)}`],
      ["array buffers", formatBytes(this.arrayBuffers)],
    ];
    if (this.managed !== undefined) {
      rows.push(["chunks in memory (managed)", formatBytes(this.managed)]);
      rows.push(["chunks spilled to disk", formatBytes(this.spilled!)]);
      rows.push(["memory limit", formatBytes(this.memoryLimit!)]);
    }
    return rows;
  }

  toString(): string {
    return `Process memory: ${this.rows().map(([k, v]) => `${k} ${v}`).join(", ")}`;
  }

  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": infoTable("Process memory", this.rows()) };
  }
}

/**
 * This process's memory now: RSS, heap, buffers, and the current cluster's
 * chunks in memory and on disk. A notebook shows it as a table.
 * @example processMemory().rss
 */
export function processMemory(): MemoryReport {
  return new MemoryReport();
}
