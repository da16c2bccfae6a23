/**
 * Worker-side kernels that make chunks from nothing or from a source array:
 * views of an in-memory array (no copy when the block is contiguous),
 * constant fills, ranges, identity blocks.
 */
import { TypedArray } from "../../../store/shared";
import { DType, allocate, dtypeInfo } from "../dtype";
import { ChunkData, cStrides, sizeOf } from "../ndarray";

/** A fill value as it travels: number, bigint as text, complex as [re, im]. */
export type FillValue = number | string | readonly [number, number];

export function fill(dtype: DType, shape: readonly number[], value: FillValue): ChunkData {
  const n = sizeOf(shape);
  const data = allocate(dtype, n);
  const info = dtypeInfo(dtype);
  if (info.kind === "c") {
    const [re, im] = value as readonly [number, number];
    if (re !== 0 || im !== 0) for (let i = 0; i < n; i++) ((data[2 * i] = re), (data[2 * i + 1] = im));
  } else if (info.big) {
    const v = BigInt(value as string);
    if (v !== 0n) (data as BigInt64Array).fill(v);
  } else if (value !== 0) {
    (data as Float64Array).fill(value as number);
  }
  return { data, shape, dtype };
}

/**
 * Block `start`/`shape` of a C-ordered source array. A block that is one
 * contiguous run of the source (cut along the first axis only) is a view:
 * no copy, and on shared memory it reaches every worker as a reference.
 */
export function sourceBlock(src: TypedArray, dtype: DType, srcShape: readonly number[], start: readonly number[], shape: readonly number[]): ChunkData {
  const lanes = dtypeInfo(dtype).lanes;
  const strides = cStrides(srcShape);
  const n = sizeOf(shape);
  // Contiguous: leading dimensions of length 1, then one partial dimension, then whole ones.
  let f = 0;
  while (f < shape.length && shape[f] === 1) f++;
  let contiguous = true;
  for (let d = f + 1; d < shape.length; d++) if (shape[d] !== srcShape[d]) contiguous = false;
  let at = 0;
  for (let d = 0; d < start.length; d++) at += start[d]! * strides[d]!;
  if (contiguous || n <= 1) {
    return { data: src.subarray(at * lanes, (at + n) * lanes) as TypedArray, shape, dtype };
  }
  const out = allocate(dtype, n);
  copyStrided(src, at, strides, out, shape, lanes);
  return { data: out, shape, dtype };
}

/** Copies the C-ordered box `shape` at `at` (elements) of a source with `strides` into `out`. */
export function copyStrided(src: TypedArray, at: number, strides: readonly number[], out: TypedArray, shape: readonly number[], lanes: number): void {
  const nd = shape.length;
  const row = shape[nd - 1]! * lanes;
  const outer = sizeOf(shape.slice(0, -1));
  const idx = new Array<number>(Math.max(0, nd - 1)).fill(0);
  let o = 0;
  const dst = out as unknown as { set(a: ArrayLike<unknown>, at: number): void };
  for (let r = 0; r < outer; r++) {
    let s = at;
    for (let d = 0; d < nd - 1; d++) s += idx[d]! * strides[d]!;
    dst.set(src.subarray(s * lanes, s * lanes + row) as unknown as ArrayLike<unknown>, o);
    o += row;
    for (let d = nd - 2; d >= 0; d--) {
      if (++idx[d]! < shape[d]!) break;
      idx[d] = 0;
    }
  }
}

/** start + step·(offset + i) for i < n (arange and linspace blocks). */
export function range(dtype: DType, start: number, step: number, offset: number, n: number, last?: { index: number; value: number }): ChunkData {
  const data = allocate(dtype, n);
  const info = dtypeInfo(dtype);
  for (let i = 0; i < n; i++) {
    const v = start + step * (offset + i);
    if (info.big) (data as BigInt64Array)[i] = BigInt(Math.trunc(v));
    else if (info.kind === "c") data[2 * i] = v;
    else (data as Float64Array)[i] = info.kind === "f" ? v : Math.trunc(v);
  }
  // linspace with endpoint: the last element is exactly `stop` (as NumPy).
  if (last !== undefined && last.index >= offset && last.index < offset + n) {
    const i = last.index - offset;
    if (info.kind === "c") data[2 * i] = last.value;
    else if (!info.big) (data as Float64Array)[i] = last.value;
  }
  return { data, shape: [n], dtype };
}

/** A block of the identity-like matrix with ones on diagonal k; the block starts at (r0, c0). */
export function eyeBlock(dtype: DType, shape: readonly [number, number], r0: number, c0: number, k: number): ChunkData {
  const data = allocate(dtype, shape[0] * shape[1]);
  const lanes = dtypeInfo(dtype).lanes;
  const one: unknown = dtypeInfo(dtype).big ? 1n : 1;
  for (let i = 0; i < shape[0]; i++) {
    const j = r0 + i + k - c0;
    if (j >= 0 && j < shape[1]) (data as unknown as unknown[])[(i * shape[1] + j) * lanes] = one;
  }
  return { data, shape, dtype };
}
