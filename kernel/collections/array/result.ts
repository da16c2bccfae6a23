/**
 * Turning computed blocks into one NDArray (what `compute()` returns). Block
 * shapes come from the blocks themselves, so arrays with unknown chunk sizes
 * (after a mask) assemble correctly.
 */
import { Errors } from "../../errors";
import { forEachIndex } from "../../graph";
import { DType, allocate, dtypeInfo } from "./dtype";
import { ChunkData, NDArray, cStrides, sizeOf } from "./ndarray";

export function assembleResult(blocks: readonly ChunkData[], numblocks: readonly number[], dtype: DType, ndim: number): NDArray {
  if (ndim === 0 || blocks.length === 1) {
    const b = blocks[0]!;
    if (b === undefined) throw Errors.badInput("internal: no block computed");
    const whole = b.data.byteOffset === 0 && b.data.byteLength === b.data.buffer.byteLength;
    // A block that is a view of bigger memory (a source array) is copied: results never alias inputs.
    const data = whole ? b.data : (b.data.slice() as typeof b.data);
    return new NDArray(data, ndim === 0 ? [] : b.shape, dtype);
  }
  // Sizes along each axis from the blocks on that axis' edge.
  const sizes = numblocks.map((n, d) => Array.from({ length: n }, (_, i) => blocks[flatIndex(numblocks, numblocks.map((_, e) => (e === d ? i : 0)))]!.shape[d]!));
  const starts = sizes.map((s) => {
    const o = [0];
    for (const x of s) o.push(o[o.length - 1]! + x);
    return o;
  });
  const shape = starts.map((o) => o[o.length - 1]!);
  const lanes = dtypeInfo(dtype).lanes;
  const out = allocate(dtype, sizeOf(shape));
  const os = cStrides(shape);
  let b = 0;
  forEachIndex(numblocks, (idx) => {
    const blk = blocks[b++]!;
    const bs = blk.shape;
    const rows = sizeOf(bs.slice(0, -1));
    const row = (bs[bs.length - 1] ?? 1) * lanes;
    const bst = cStrides(bs);
    for (let r = 0; r < rows; r++) {
      let rest = r * (bs[bs.length - 1] ?? 1), at = 0;
      for (let d = 0; d < bs.length; d++) {
        const i = Math.floor(rest / bst[d]!);
        rest -= i * bst[d]!;
        at += (starts[d]![idx[d]!]! + i) * os[d]!;
      }
      (out as Float64Array).set((blk.data as Float64Array).subarray(r * row, r * row + row), at * lanes);
    }
  });
  return new NDArray(out, shape, dtype);
}

function flatIndex(nb: readonly number[], idx: readonly number[]): number {
  let f = 0;
  for (let d = 0; d < nb.length; d++) f = f * nb[d]! + idx[d]!;
  return f;
}
