/**
 * Worker-side kernels that move elements around without computing on them:
 * assembling a block from pieces of others (rechunk), strided selection
 * (slicing), transposition, reshaping, repetition, boolean selection, and
 * cumulative sums along an axis.
 */
import { Errors } from "../../../errors";
import { TypedArray } from "../../../store/shared";
import { allocate, dtypeInfo, DType } from "../dtype";
import { ChunkData, cStrides, sizeOf } from "../ndarray";
import { KernelFn } from "../../../worker/registry";

/** A box of `src` (start, shape) copied to `at` in the block being assembled. */
export interface Piece {
  readonly src: ChunkData;
  readonly start: readonly number[];
  readonly shape: readonly number[];
  readonly at: readonly number[];
}

/** Copies a box between two C-ordered arrays, row by row. */
function copyBox(src: TypedArray, srcShape: readonly number[], start: readonly number[], dst: TypedArray, dstShape: readonly number[], at: readonly number[], box: readonly number[], lanes: number): void {
  const nd = box.length;
  if (sizeOf(box) === 0) return;
  if (nd === 0) {
    for (let l = 0; l < lanes; l++) (dst as Float64Array)[l] = (src as Float64Array)[l]!;
    return;
  }
  const ss = cStrides(srcShape), ds = cStrides(dstShape);
  const row = box[nd - 1]! * lanes;
  const idx = new Array<number>(nd - 1).fill(0);
  const outer = sizeOf(box.slice(0, -1));
  const d = dst as unknown as { set(a: ArrayLike<unknown>, at: number): void };
  for (let r = 0; r < outer; r++) {
    let s = start[nd - 1]!, t = at[nd - 1]!;
    for (let k = 0; k < nd - 1; k++) {
      s += (start[k]! + idx[k]!) * ss[k]!;
      t += (at[k]! + idx[k]!) * ds[k]!;
    }
    d.set(src.subarray(s * lanes, s * lanes + row) as unknown as ArrayLike<unknown>, t * lanes);
    for (let k = nd - 2; k >= 0; k--) {
      if (++idx[k]! < box[k]!) break;
      idx[k] = 0;
    }
  }
}

export function assemble(dtype: DType, shape: readonly number[], pieces: readonly Piece[]): ChunkData {
  // One piece that is a whole chunk: the chunk itself, no copy.
  if (pieces.length === 1) {
    const p = pieces[0]!;
    if (p.src.shape.length === shape.length && p.src.shape.every((s, d) => s === shape[d] && p.start[d] === 0)) return p.src;
  }
  const lanes = dtypeInfo(dtype).lanes;
  const out = allocate(dtype, sizeOf(shape));
  for (const p of pieces) copyBox(p.src.data, p.src.shape, p.start, out, shape, p.at, p.shape, lanes);
  return { data: out, shape, dtype };
}

/** Per-dimension selection: start, step and count (step may be negative); integer indices are count 1 and dropped. */
export interface Sel {
  readonly start: number;
  readonly step: number;
  readonly count: number;
}

/**
 * Elements of c at start + step·i per dimension (count -1: the whole
 * dimension, for unknown chunk sizes). `outDims` lists, per output
 * dimension, the input dimension it shows, or -1 for a new axis; input
 * dimensions not listed (integer indices) are dropped.
 */
export function select(c: ChunkData, selsIn: readonly Sel[], outDims: readonly number[]): ChunkData {
  const lanes = dtypeInfo(c.dtype).lanes;
  const sels = selsIn.map((s, d) => (s.count < 0 ? { start: 0, step: 1, count: c.shape[d]! } : s));
  const box = sels.map((s) => s.count);
  const outShape = outDims.map((d) => (d < 0 ? 1 : box[d]!));
  const n = sizeOf(box);
  const strides = cStrides(c.shape);
  if (sels.every((s, d) => s.step === 1 && s.start === 0 && s.count === c.shape[d])) return { data: c.data, shape: outShape, dtype: c.dtype };
  const out = allocate(c.dtype, n);
  if (sels.every((s) => s.step === 1)) {
    copyBox(c.data, c.shape, sels.map((s) => s.start), out, box, box.map(() => 0), box, lanes);
  } else {
    const nd = sels.length;
    const idx = new Array<number>(nd).fill(0);
    const src = c.data as Float64Array, dst = out as Float64Array;
    for (let f = 0; f < n; f++) {
      let at = 0;
      for (let d = 0; d < nd; d++) at += (sels[d]!.start + sels[d]!.step * idx[d]!) * strides[d]!;
      for (let l = 0; l < lanes; l++) dst[f * lanes + l] = src[at * lanes + l]!;
      for (let d = nd - 1; d >= 0; d--) {
        if (++idx[d]! < box[d]!) break;
        idx[d] = 0;
      }
    }
  }
  return { data: out, shape: outShape, dtype: c.dtype };
}

/** The chunk with its axes permuted (out axis d is input axis perm[d]). */
export function transpose(c: ChunkData, perm: readonly number[]): ChunkData {
  const outShape = perm.map((p) => c.shape[p]!);
  const n = sizeOf(outShape);
  if (perm.every((p, d) => p === d) || outShape.filter((s) => s > 1).length <= 1) return { data: c.data, shape: outShape, dtype: c.dtype };
  const lanes = dtypeInfo(c.dtype).lanes;
  const out = allocate(c.dtype, n);
  const inS = cStrides(c.shape);
  const st = perm.map((p) => inS[p]!);
  const nd = perm.length;
  const src = c.data as Float64Array, dst = out as Float64Array;
  if (nd === 2 && lanes === 1) {
    // Tiled 2-D transpose: both sides stay in cache.
    const [R, C] = outShape as [number, number];
    const T = 32;
    for (let i0 = 0; i0 < R; i0 += T) {
      for (let j0 = 0; j0 < C; j0 += T) {
        const i1 = Math.min(R, i0 + T), j1 = Math.min(C, j0 + T);
        for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) dst[i * C + j] = src[j * R + i]!;
      }
    }
    return { data: out, shape: outShape, dtype: c.dtype };
  }
  const idx = new Array<number>(nd).fill(0);
  for (let f = 0; f < n; f++) {
    let at = 0;
    for (let d = 0; d < nd; d++) at += idx[d]! * st[d]!;
    for (let l = 0; l < lanes; l++) dst[f * lanes + l] = src[at * lanes + l]!;
    for (let d = nd - 1; d >= 0; d--) {
      if (++idx[d]! < outShape[d]!) break;
      idx[d] = 0;
    }
  }
  return { data: out, shape: outShape, dtype: c.dtype };
}

/** Each element repeated `r` times along `axis`. */
export function repeat(c: ChunkData, r: number, axis: number): ChunkData {
  const outShape = c.shape.map((s, d) => (d === axis ? s * r : s));
  const lanes = dtypeInfo(c.dtype).lanes;
  const out = allocate(c.dtype, sizeOf(outShape));
  const inner = sizeOf(c.shape.slice(axis + 1)) * lanes;
  const outer = sizeOf(c.shape.slice(0, axis));
  const len = c.shape[axis]!;
  const src = c.data as Float64Array, dst = out as Float64Array;
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < len; i++) {
      const from = (a * len + i) * inner;
      for (let k = 0; k < r; k++) {
        dst.set(src.subarray(from, from + inner), o);
        o += inner;
      }
    }
  }
  return { data: out, shape: outShape, dtype: c.dtype };
}

/** Elements of c where m is true, in C order (m has c's shape, or is 1-D along axis 0). */
export function maskSelect(c: ChunkData, m: ChunkData): ChunkData {
  const lanes = dtypeInfo(c.dtype).lanes;
  const rowLen = m.shape.length === c.shape.length ? 1 : sizeOf(c.shape.slice(1));
  const mm = m.data;
  let count = 0;
  for (let i = 0; i < mm.length; i++) if (mm[i]) count++;
  const out = allocate(c.dtype, count * rowLen);
  const src = c.data as Float64Array, dst = out as Float64Array;
  let o = 0;
  const w = rowLen * lanes;
  for (let i = 0; i < mm.length; i++) {
    if (!mm[i]) continue;
    dst.set(src.subarray(i * w, i * w + w), o);
    o += w;
  }
  const shape = m.shape.length === c.shape.length ? [count] : [count, ...c.shape.slice(1)];
  return { data: out, shape, dtype: c.dtype };
}

/** Cumulative sum or product along `axis`, starting from `carry` (the totals of earlier blocks, keepdims shape), if any. */
export function cumulative(c: ChunkData, axis: number, prod: boolean, dtype: DType, carry?: ChunkData): ChunkData {
  const lanes = dtypeInfo(dtype).lanes;
  const big = dtypeInfo(dtype).big;
  if (lanes === 2) throw Errors.badInput("cumsum / cumprod of complex arrays are not supported; take real and imaginary parts apart");
  const out = allocate(dtype, sizeOf(c.shape));
  const inner = sizeOf(c.shape.slice(axis + 1));
  const outer = sizeOf(c.shape.slice(0, axis));
  const len = c.shape[axis]!;
  const src = c.data as unknown as (number | bigint)[], dst = out as unknown as (number | bigint)[];
  const conv = (v: number | bigint) => (big ? BigInt(v) : Number(v));
  for (let a = 0; a < outer; a++) {
    for (let k = 0; k < inner; k++) {
      let acc = carry !== undefined ? conv(carry.data[a * inner + k]!) : conv(prod ? 1 : 0);
      for (let i = 0; i < len; i++) {
        const at = (a * len + i) * inner + k;
        const v = conv(src[at]!);
        acc = prod ? (acc as number) * (v as number) : (acc as number) + (v as number);
        dst[at] = acc;
        acc = dst[at]!; // wrap to the dtype, as NumPy's accumulator of that dtype does
      }
    }
  }
  return { data: out, shape: c.shape, dtype };
}

/** The last slice along `axis` (keepdims): a block's total for the next block's carry, combined with the previous carry. */
export function lastAlong(c: ChunkData, axis: number): ChunkData {
  const shape = c.shape.map((s, d) => (d === axis ? 1 : s));
  const out = allocate(c.dtype, sizeOf(shape));
  if (c.shape[axis] === 0) throw Errors.badInput("internal: an empty block has no last slice");
  copyBox(c.data, c.shape, c.shape.map((s, d) => (d === axis ? s - 1 : 0)), out, shape, shape.map(() => 0), shape, dtypeInfo(c.dtype).lanes);
  return { data: out, shape, dtype: c.dtype };
}

export const STRUCTURE_KERNELS: Record<string, KernelFn> = {
  assemble: (dtype: DType, shape: number[], pieces: Piece[]) => assemble(dtype, shape, pieces),
  select: (c: ChunkData, sels: Sel[], outDims: number[]) => select(c, sels, outDims),
  transpose: (c: ChunkData, perm: number[]) => transpose(c, perm),
  /** Same elements, another shape (C order kept): no copy. */
  reshape: (c: ChunkData, shape: number[]) => {
    if (sizeOf(shape) !== sizeOf(c.shape)) throw Errors.badInput(`internal: block of shape [${c.shape}] cannot become [${shape}]`);
    return { data: c.data, shape, dtype: c.dtype };
  },
  repeat: (c: ChunkData, r: number, axis: number) => repeat(c, r, axis),
  mask: (c: ChunkData, m: ChunkData) => maskSelect(c, m),
  shape: (c: ChunkData) => c.shape,
  cumulative: (c: ChunkData, axis: number, prod: boolean, dtype: DType, carry?: ChunkData) => cumulative(c, axis, prod, dtype, carry),
  last: (c: ChunkData, axis: number) => lastAlong(c, axis),
};
