/**
 * Reductions as tree reductions (kernels/reduce.ts has the three steps):
 *
 *   partial   one blockwise task per block: the block's state
 *   combine   states of up to `splitEvery` blocks per reduced axis merged,
 *             level after level, until one block per axis is left
 *   aggregate the last group merged and turned into the result block
 *
 * The partial layer is blockwise over the input, so elementwise work before
 * a reduction fuses into it: `x.add(1).mean()` reads x once and never
 * stores x + 1 (fusion.ts merges the expression into the partial).
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { Chunks, normalizeAxes, offsets, requireKnown } from "./chunks";
import { DType, dtypeInfo, isComplex, kindOf, realOf, sumDType } from "./dtype";
import { Expr, input } from "./expr";
import { arrayMeta, blockArg, blockwiseArray, fromLayer, layerName } from "./core";
import { cast } from "./elementwise";
import type { TArray } from "./array";
import type { ReductionName } from "./kernels/reduce";

export interface ReduceOptions {
  /** Axis or axes to reduce (default: all). Negative axes count from the end. */
  axis?: number | number[];
  /** Keep reduced axes as length 1 (default false). */
  keepdims?: boolean;
  /** Blocks merged per task along each reduced axis (default 4). */
  splitEvery?: number;
}

export interface VarOptions extends ReduceOptions {
  /** Delta degrees of freedom: the divisor is n - ddof (default 0). */
  ddof?: number;
}

export type UserReduction = ReductionName | "std";

/** Value expression and result dtype of a reduction over dtype d. */
function plan(name: UserReduction, d: DType): { e: Expr; dtype: DType; kernel: ReductionName } {
  const x = input(0, d);
  const k = kindOf(d);
  const ordered = (what: string) => {
    if (k === "c") throw Errors.badInput(`${what} of a complex array: complex numbers have no order (reduce x.abs() or x.real() instead)`);
  };
  switch (name) {
    case "sum": case "nansum":
      return { e: x, dtype: sumDType(d), kernel: name };
    case "prod": {
      // Integer products wrap in int64 as NumPy's do: compute them as bigints, exactly.
      const acc = sumDType(d);
      return { e: k === "f" || k === "c" ? x : cast(x, acc), dtype: acc, kernel: "prod" };
    }
    case "min": case "max":
      ordered(name);
      return { e: x, dtype: d, kernel: name };
    case "argmin": case "argmax":
      ordered(name);
      return { e: x, dtype: "int32", kernel: name };
    case "any": case "all":
      return { e: x, dtype: "bool", kernel: name };
    case "mean": case "nanmean": {
      const f = k === "f" || k === "c" ? d : "float64";
      return { e: cast(x, k === "c" ? "complex128" : "float64"), dtype: f, kernel: name };
    }
    case "var": case "std": {
      const f = k === "f" ? d : k === "c" ? realOf(d) : "float64";
      return { e: cast(x, k === "c" ? "complex128" : "float64"), dtype: f, kernel: "var" };
    }
  }
}

/**
 * Builds a reduction of x.
 * @example reduce(x, "sum", { axis: 0 })
 */
export function reduce(x: TArray, name: UserReduction, options: VarOptions = {}): TArray {
  const axes = normalizeAxes(options.axis, x.ndim);
  const keepdims = options.keepdims ?? false;
  const splitEvery = options.splitEvery ?? 4;
  if (!Number.isInteger(splitEvery) || splitEvery < 2) throw Errors.badOption("splitEvery", splitEvery, "an integer of at least 2");
  const ddof = options.ddof ?? 0;
  if (!Number.isInteger(ddof) || ddof < 0) throw Errors.badOption("ddof", ddof, "a non-negative integer");
  if ((name === "argmin" || name === "argmax") && options.axis !== undefined && axes.length !== 1) {
    throw Errors.badOption(`${name} axis`, options.axis, "one axis, or undefined for the flattened array");
  }
  // Global indices need chunk offsets; the other reductions work on unknown chunk sizes too.
  if (name === "argmin" || name === "argmax") requireKnown(x.chunks, name, axes);
  const p = plan(name, x.dtype);
  const size = axes.reduce((n, d) => n * x.shape[d]!, 1);
  if (size === 0 && (p.kernel === "min" || p.kernel === "max" || p.kernel === "argmin" || p.kernel === "argmax")) {
    throw Errors.badInput(`${name} of an array with no elements along axes [${axes.join(", ")}] (shape [${x.shape.join(", ")}]): the reduction has no identity`);
  }
  const dtype: DType = (p.kernel === "argmin" || p.kernel === "argmax") && x.size > 2 ** 31 - 1 ? "int64" : p.dtype;
  const needsPlace = p.kernel === "argmin" || p.kernel === "argmax";
  const offs = x.chunks.map(offsets);
  const spec = { exprs: [p.e], reductions: [{ name: p.kernel, e: 0 }], axes };
  // Level 0: the partial state of every block, blockwise over x (so elementwise producers fuse in).
  const partialChunks: Chunks = x.chunks.map((c, d) => (axes.includes(d) ? c.map(() => 1) : c));
  const partialName = layerName(`${name}-partial`, x.name, spec);
  const partials = blockwiseArray(`${name}-partial`, partialName, builtin("array.partial"), [
    { kind: "lit", value: spec },
    needsPlace ? { kind: "perBlock", value: (idx) => ({ offset: idx.map((i, d) => offs[d]![i]!), shape: x.shape }) } : { kind: "lit", value: null },
    blockArg(x),
  ], partialChunks, dtype, [x]);
  return treeReduce(partials, name, axes, keepdims, splitEvery, { dtype, ddof, sqrt: name === "std" }, x.chunks);
}

/** Combine levels, then the aggregate layer. Exported for horizontal reuse (mean/std share the shape of the tree). */
function treeReduce(
  partials: TArray, name: string, axes: readonly number[], keepdims: boolean, splitEvery: number,
  agg: { dtype: DType; ddof: number; sqrt: boolean }, inputChunks: Chunks,
): TArray {
  const per = axes.length <= 1 ? splitEvery : Math.max(2, Math.round(splitEvery ** (1 / axes.length)));
  let cur = partials;
  let level = 0;
  let nb = cur.numblocks;
  while (axes.some((d) => nb[d]! > per)) {
    const grouped = nb.map((n, d) => (axes.includes(d) ? Math.ceil(n / per) : n));
    const chunks: Chunks = cur.chunks.map((c, d) => (axes.includes(d) ? new Array(grouped[d]).fill(1) : c));
    const lname = layerName(`${name}-combine`, cur.name, level++);
    cur = fromLayer(groupLayer(lname, `${name}-combine`, cur, grouped, axes, per, () => builtin("array.combine"), (refs) => [refs], chunks, agg.dtype), chunks, agg.dtype, [cur]);
    nb = grouped;
  }
  const outChunks: Chunks = keepdims ? inputChunks.map((c, d) => (axes.includes(d) ? [1] : c)) : inputChunks.filter((_, d) => !axes.includes(d));
  const aname = layerName(`${name}-aggregate`, cur.name, agg, keepdims);
  const finalNb = nb.map((n, d) => (axes.includes(d) ? 1 : n));
  const layer = groupLayer(aname, `${name}-aggregate`, cur, finalNb, axes, Math.max(...nb, 1), () => builtin("array.aggregate"),
    (refs) => [{ dtype: agg.dtype, axes, keepdims, ddof: agg.ddof, sqrt: agg.sqrt }, refs], outChunks, agg.dtype, keepdims ? undefined : axes);
  return fromLayer(layer, outChunks, agg.dtype, [cur]);
}

/**
 * A layer whose block idx merges the input blocks of its group: along each
 * reduced axis, blocks idx·per .. idx·per + per - 1. With `dropAxes`, the
 * output keys leave the reduced axes out.
 */
function groupLayer(
  name: string, op: string, input: TArray, outNb: readonly number[], axes: readonly number[], per: number,
  fn: () => ReturnType<typeof builtin>, args: (refs: unknown[], idx: number[]) => unknown[], chunks: Chunks, dtype: DType, dropAxes?: readonly number[],
): LazyLayer {
  const inNb = input.numblocks;
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex(outNb, (idx) => {
      const span = idx.map((i, d) => (axes.includes(d) ? Math.min(per, inNb[d]! - i * per) : 1));
      const refs: unknown[] = [];
      forEachIndex(span, (o) => refs.push(ref([input.name, ...idx.map((i, d) => (axes.includes(d) ? i * per + o[d]! : i))])));
      const key = dropAxes ? idx.filter((_, d) => !dropAxes.includes(d)) : idx;
      out.set(JSON.stringify([name, ...key]), task(fn(), args(refs, idx)));
    });
    return out;
  };
  return new LazyLayer(name, op, outNb.reduce((a, b) => a * b, 1), generate, [input.name], arrayMeta(chunks, dtype));
}

export { isComplex, dtypeInfo };
