/**
 * Worker-side Zarr: each task writes one block of an array as one Zarr
 * chunk, or reads one region into a block on shared memory. Tasks name this
 * module and its exports; workers load it (and zarrita) once, so chunk bytes
 * are encoded, decoded and moved to and from disk in the workers only.
 *
 * Blocks are plain `{ data, shape, dtype }` records (C order; bool is 0/1
 * bytes; int64 and uint64 are BigInt64Array / BigUint64Array; complex is
 * interleaved (re, im) floats, which zarrita sees as a trailing axis of 2 —
 * zarr-complex.ts): this module knows no collection class. Opened arrays are cached per thread by the
 * metadata token, so a rewritten array is opened afresh.
 */
import type * as Zarr from "zarrita";
import { complexStore, isComplexDType } from "./zarr-complex";
import { sharedFileStore } from "./zarr-store";
import { loadZarrita } from "./zarrita";
import type { ZarrSource } from "./zarr";

/** A chunk of an array as it crosses threads (the array collection's ChunkData). */
export interface Block {
  data: ArrayLike<unknown> & { buffer: ArrayBufferLike; byteOffset: number; length: number };
  shape: readonly number[];
  dtype: string;
}

export interface ZarrTarget extends ZarrSource {
  /** The array's chunk shape: block i along an axis starts at i · chunkShape. */
  chunkShape: number[];
}

const MAX_OPEN = 8;
type ZArray = Zarr.Array<Zarr.DataType, Zarr.AsyncMutable>;
const opened = new Map<string, Promise<ZArray>>();

async function openArray(src: ZarrSource) {
  const { zarr } = await loadZarrita();
  let arr = opened.get(src.token);
  if (arr === undefined) {
    arr = zarr.open(complexStore(sharedFileStore(src.path), src.path), { kind: "array" }) as Promise<ZArray>;
    opened.set(src.token, arr);
    if (opened.size > MAX_OPEN) opened.delete(opened.keys().next().value!);
    arr.catch(() => opened.delete(src.token));
  }
  return { zarr, arr: await arr };
}

function cStrides(shape: readonly number[]): number[] {
  const out = shape.map(() => 1);
  for (let d = shape.length - 2; d >= 0; d--) out[d] = out[d + 1]! * shape[d + 1]!;
  return out;
}

/** Writes block `index` (its chunk of the array) and returns the number of elements written. */
export async function writeZarrBlock(target: ZarrTarget, index: number[], block: Block): Promise<number> {
  const size = block.shape.reduce((a, b) => a * b, 1);
  if (size === 0) return 0;
  const { zarr, arr } = await openArray(target);
  const data = block.dtype === "bool" ? new zarr.BoolArray(block.data.buffer as ArrayBuffer, block.data.byteOffset, block.data.length) : block.data;
  // Complex: the float view's trailing axis holds (re, im).
  const pair = isComplexDType(target.dtype) ? [2] : [];
  if (block.shape.length === 0 && pair.length === 0) {
    await zarr.set(arr, [], (block.dtype === "bool" ? block.data[0] !== 0 : block.data[0]) as never);
    return 1;
  }
  const selection = [...index.map((i, d) => zarr.slice(i * target.chunkShape[d]!, i * target.chunkShape[d]! + block.shape[d]!)), ...pair.map(() => zarr.slice(0, 2))];
  const shape = [...block.shape, ...pair];
  await zarr.set(arr, selection, { data, shape, stride: cStrides(shape) } as never);
  return size;
}

/** Sum of the tasks' counts: the one key a toZarr computation asks for. */
export function countWritten(...counts: number[]): number {
  return counts.reduce((a, b) => a + b, 0);
}

type Ctor = { new (b: SharedArrayBuffer): ArrayLike<unknown>; BYTES_PER_ELEMENT: number };
const CTORS: Record<string, Ctor> = {
  bool: Uint8Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array, uint32: Uint32Array,
  int64: BigInt64Array, uint64: BigUint64Array, float32: Float32Array, float64: Float64Array, complex64: Float32Array, complex128: Float64Array,
};

/** Reads the region [start, start + shape) as a block on shared memory. */
export async function readZarrRegion(src: ZarrSource, start: number[], shape: number[]): Promise<Block> {
  const { zarr, arr } = await openArray(src);
  const dtype = src.dtype;
  const ctor = CTORS[dtype]!;
  const pair = isComplexDType(dtype) ? [2] : [];
  if (shape.length === 0 && pair.length === 0) {
    // A 0-d array reads as a scalar.
    const v = await zarr.get(arr, []);
    const data = new ctor(new SharedArrayBuffer(ctor.BYTES_PER_ELEMENT)) as unknown as Block["data"] & unknown[];
    data[0] = dtype === "bool" ? (v ? 1 : 0) : v;
    return { data, shape: [], dtype };
  }
  if (shape.some((s) => s === 0)) return { data: new ctor(new SharedArrayBuffer(0)) as never, shape, dtype };
  const full = [...shape, ...pair];
  // A region that is exactly one chunk (the usual case: fromZarr reads the stored chunks) comes from getChunk,
  // which for raw chunks is a view of the bytes the store read onto shared memory: no copy at all.
  const whole = full.every((n, d) => n === arr.chunks[d]) && start.every((s, d) => s % arr.chunks[d]! === 0);
  const out = whole
    ? await arr.getChunk([...start.map((s, d) => s / arr.chunks[d]!), ...pair.map(() => 0)], undefined, { useSharedArrayBuffer: true })
    : await zarr.get(arr, [...start.map((s, d) => zarr.slice(s, s + shape[d]!)), ...pair.map(() => zarr.slice(0, 2))], { useSharedArrayBuffer: true });
  const got = out as unknown as { data: Block["data"] & { [i: number]: unknown }; stride: number[] };
  // zarrita gives bool as a BoolArray over 0/1 bytes: Tessera's bool is those bytes.
  let data = dtype === "bool" ? new Uint8Array(got.data.buffer, got.data.byteOffset, got.data.length) : got.data;
  // An array stored with the transpose codec (Fortran order) comes back in its stored order;
  // a decompressed chunk comes back on ordinary memory.
  if (got.stride.some((s, d) => s !== cStrides(full)[d]) || !(data.buffer instanceof SharedArrayBuffer)) data = toCOrder(data as never, full, got.stride, ctor) as never;
  return { data: data as never, shape, dtype };
}

/** A copy of strided data in C order on shared memory (the innermost axis in a tight loop). */
export function toCOrder(src: ArrayLike<unknown>, shape: readonly number[], stride: readonly number[], ctor: Ctor): ArrayLike<unknown> {
  const n = shape.reduce((a, b) => a * b, 1);
  const out = new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT)) as unknown as unknown[];
  if (stride.every((s, d) => s === cStrides(shape)[d])) {
    (out as unknown as { set(a: ArrayLike<unknown>): void }).set(src);
    return out;
  }
  const last = shape.length - 1;
  let o = 0;
  const walk = (d: number, at: number) => {
    if (d === last) {
      const s = stride[d]!;
      for (let i = 0, p = at; i < shape[d]!; i++, p += s) out[o++] = src[p];
      return;
    }
    for (let i = 0; i < shape[d]!; i++) walk(d + 1, at + i * stride[d]!);
  };
  if (n > 0) walk(0, 0);
  return out;
}
