/**
 * The on-disk form of a spilled chunk, and reading it back into shared memory.
 *
 * A chunk is any structured-cloneable value; its typed arrays are the bulk.
 * The value is written as a V8 serialization of its skeleton in which every
 * typed array is replaced by a segment number, followed by the segments' raw
 * bytes, each aligned to 8. Reading allocates one SharedArrayBuffer for the
 * whole file and makes every typed array a view into it, so a chunk read back
 * is again shared memory: no copy on the way to a worker.
 *
 * File layout: u32 header length | header JSON | skeleton | segments.
 * Header: { skeleton: [offset, length], segments: [[type, offset, length], …] }.
 */
import * as fs from "node:fs/promises";
import * as v8 from "node:v8";
import { Errors } from "../errors";

const ALIGN = 8;
const pad = (n: number) => (n + ALIGN - 1) & ~(ALIGN - 1);

type ViewCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayBufferView;
const VIEW_TYPES: Record<string, ViewCtor & { BYTES_PER_ELEMENT?: number }> = {
  Int8Array, Uint8Array, Uint8ClampedArray, Int16Array, Uint16Array, Int32Array, Uint32Array,
  Float32Array, Float64Array, BigInt64Array, BigUint64Array, DataView,
};

class SegmentSerializer extends v8.DefaultSerializer {
  readonly segments: ArrayBufferView[] = [];
  _writeHostObject(view: NodeJS.TypedArray | DataView): void {
    this.writeUint32(this.segments.length);
    this.segments.push(view);
  }
}

class SegmentDeserializer extends v8.DefaultDeserializer {
  constructor(buffer: Buffer, private readonly views: ArrayBufferView[]) {
    super(buffer);
  }
  _readHostObject(): ArrayBufferView {
    const v = this.views[this.readUint32()];
    if (v === undefined) throw Errors.store("corrupt spill file: a segment index is out of range");
    return v;
  }
}

function typeName(view: ArrayBufferView): string {
  if (Buffer.isBuffer(view)) return "Buffer";
  return view.constructor.name;
}

/** Writes `value` to `file`; returns the number of bytes written. */
export async function writeSpill(file: string, value: unknown): Promise<number> {
  const ser = new SegmentSerializer();
  ser.writeHeader();
  ser.writeValue(value);
  const skeleton = ser.releaseBuffer();
  const segs: [string, number, number][] = [];
  let offset = 0; // relative to the end of the header; fixed up below
  const skeletonAt = offset;
  offset = pad(offset + skeleton.length);
  for (const v of ser.segments) {
    segs.push([typeName(v), offset, v.byteLength]);
    offset = pad(offset + v.byteLength);
  }
  // The header's own length shifts every offset; encode it with absolute offsets.
  let header = "";
  let headerLen = 0;
  for (let guess = 64; ; guess = headerLen) {
    const base = pad(4 + guess);
    header = JSON.stringify({ skeleton: [base + skeletonAt, skeleton.length], segments: segs.map(([t, o, n]) => [t, base + o, n]) });
    headerLen = Buffer.byteLength(header);
    if (pad(4 + headerLen) === base) break;
  }
  const headerBuf = Buffer.alloc(pad(4 + headerLen));
  headerBuf.writeUInt32LE(headerLen, 0);
  headerBuf.write(header, 4);
  const parts: NodeJS.ArrayBufferView[] = [headerBuf, skeleton, Buffer.alloc(pad(skeleton.length) - skeleton.length)];
  for (const v of ser.segments) {
    parts.push(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    const gap = pad(v.byteLength) - v.byteLength;
    if (gap > 0) parts.push(Buffer.alloc(gap));
  }
  const fh = await fs.open(file, "w");
  try {
    await fh.writev(parts);
  } finally {
    await fh.close();
  }
  return parts.reduce((n, p) => n + p.byteLength, 0);
}

/** Reads a value written by `writeSpill`, its typed arrays on shared memory. */
export async function readSpill(file: string): Promise<unknown> {
  const fh = await fs.open(file, "r");
  let bytes: Uint8Array;
  try {
    const { size } = await fh.stat();
    bytes = new Uint8Array(new SharedArrayBuffer(size));
    let at = 0;
    while (at < size) {
      const { bytesRead } = await fh.read(bytes, at, size - at, at);
      if (bytesRead === 0) throw Errors.store(`spill file ${file} is shorter than expected (${at} of ${size} bytes)`);
      at += bytesRead;
    }
  } finally {
    await fh.close();
  }
  let header: { skeleton: [number, number]; segments: [string, number, number][] };
  try {
    const headerLen = Buffer.from(bytes.buffer, 0, 4).readUInt32LE(0);
    header = JSON.parse(Buffer.from(bytes.buffer, 4, headerLen).toString("utf8"));
    const end = Math.max(header.skeleton[0] + header.skeleton[1], ...header.segments.map(([, o, n]) => o + n));
    if (end > bytes.length) throw new Error(`it holds ${bytes.length} bytes, its header describes ${end}`);
  } catch (e) {
    throw Errors.store(`spill file ${file} is damaged: ${(e as Error).message}`, e);
  }
  const views = header.segments.map(([type, offset, length]) => {
    if (type === "Buffer") return Buffer.from(bytes.buffer, offset, length);
    const ctor = VIEW_TYPES[type];
    if (ctor === undefined) throw Errors.store(`spill file ${file} holds an unknown array type "${type}"`);
    const per = ctor.BYTES_PER_ELEMENT ?? 1;
    return new ctor(bytes.buffer, offset, length / per);
  });
  // The skeleton is copied out of shared memory: V8's deserializer wants a Buffer it owns.
  const skeleton = Buffer.from(bytes.subarray(header.skeleton[0], header.skeleton[0] + header.skeleton[1]));
  const de = new SegmentDeserializer(skeleton, views);
  de.readHeader();
  return de.readValue();
}
