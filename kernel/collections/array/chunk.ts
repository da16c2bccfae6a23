/**
 * Worker-side kernels of Tessera Array, registered as "array.*". Every
 * kernel takes chunks as `ChunkData` records and returns new ones on shared
 * memory; none mutates its inputs (a chunk may be a view of user data or be
 * read by other tasks). The implementations live in kernels/.
 */
import { defineKernels } from "../../worker/registry";
import { TypedArray } from "../../store/shared";
import { DType } from "./dtype";
import { Expr } from "./expr";
import { ChunkData } from "./ndarray";
import { FillValue, eyeBlock, fill, range, sourceBlock } from "./kernels/create";
import { evaluate } from "./kernels/iterate";
import { AggregateSpec, ChunkPlace, Partial, PartialSpec, aggregate, combine, partial } from "./kernels/reduce";
import { STRUCTURE_KERNELS } from "./kernels/structure";
import { LINALG_KERNELS } from "./kernels/matmul";
import { RANDOM_KERNELS } from "./kernels/random";
import { USER_KERNELS } from "./kernels/user";

defineKernels("array", {
  /** An elementwise expression over broadcast chunks. */
  map: (e: Expr, ...inputs: ChunkData[]) => evaluate(e, inputs),
  /** Reduction states of one chunk (an array of states when the spec holds several reductions). */
  partial: (spec: PartialSpec, place: ChunkPlace | null, ...inputs: ChunkData[]) => {
    const parts = partial(spec, inputs, place ?? undefined);
    return parts.length === 1 ? parts[0] : parts;
  },
  /** One reduction's state out of a multi-reduction partial. */
  part: (parts: Partial[], i: number) => parts[i],
  combine: (parts: Partial[]) => combine(parts),
  aggregate: (spec: AggregateSpec, parts: Partial[]) => aggregate(combine(parts), spec),
  fill: (dtype: DType, shape: number[], value: FillValue) => fill(dtype, shape, value),
  source: (src: TypedArray, dtype: DType, srcShape: number[], start: number[], shape: number[]) => sourceBlock(src, dtype, srcShape, start, shape),
  range: (dtype: DType, start: number, step: number, offset: number, n: number, last?: { index: number; value: number }) => range(dtype, start, step, offset, n, last),
  eye: (dtype: DType, shape: [number, number], r0: number, c0: number, k: number) => eyeBlock(dtype, shape, r0, c0, k),
  /** The same chunk under another key (concatenate, stack: no copy). */
  alias: (c: ChunkData) => c,
  ...STRUCTURE_KERNELS,
  ...LINALG_KERNELS,
  ...RANDOM_KERNELS,
  ...USER_KERNELS,
});
