/**
 * Reductions as three steps, as Dask's tree reductions: `partial` reduces
 * one chunk into a small state per output cell, `combine` merges the states
 * of a group of chunks (splitEvery of them), `aggregate` turns the last
 * state into the result chunk.
 *
 * States (`Partial`): shape = the chunk's shape with reduced axes of length
 * 1; `n` = elements reduced into each cell; `a` = arrays, one value per cell:
 *   sum, nansum, prod   [value] or [re, im]
 *   min, max, any, all  [value]
 *   mean                [sum] or [re, im]
 *   nanmean             [sum, count] or [re, im, count]
 *   var                 [mean, M2] or [mean re, mean im, M2]    (Chan et al. merge)
 *   argmin, argmax      [value, global index]
 * Variance is computed in one pass per chunk about a shift K (each cell's
 * first element): M2 = Σ(v-K)² - (Σ(v-K))²/n, exact in exact arithmetic and
 * stable when K is a sample of the data; chunk states merge with Chan's
 * formula. A chunk with no element (after a boolean mask) has n = 0 and is
 * skipped by every merge.
 */
import { Errors } from "../../../errors";
import { TypedArray } from "../../../store/shared";
import { DType, allocate, dtypeInfo } from "../dtype";
import { Expr, input } from "../expr";
import { ChunkData, cStrides, sizeOf } from "../ndarray";
import { broadcastShapes, evaluate, reduceSlots } from "./iterate";
import { Acc } from "./loops";

export const REDUCTIONS = ["sum", "nansum", "prod", "min", "max", "any", "all", "mean", "nanmean", "var", "argmin", "argmax"] as const;
export type ReductionName = (typeof REDUCTIONS)[number];

export interface Partial {
  readonly name: ReductionName;
  readonly shape: readonly number[];
  readonly n: number;
  readonly a: readonly TypedArray[];
  readonly complex: boolean;
}

export interface PartialSpec {
  /** The values to reduce (already cast: mean/var of integers reduce float64). */
  readonly exprs: readonly Expr[];
  readonly reductions: readonly { readonly name: ReductionName; readonly e: number }[];
  /** Reduced axes of the (broadcast) chunk. */
  readonly axes: readonly number[];
}

/** Where a chunk sits in its array: for argmin/argmax's global indices. */
export interface ChunkPlace {
  readonly offset: readonly number[];
  readonly shape: readonly number[];
}

const isC = (d: DType) => dtypeInfo(d).kind === "c";

/** Reduces the operands into one state per reduction of the spec. */
export function partial(spec: PartialSpec, inputs: readonly ChunkData[], place?: ChunkPlace): Partial[] {
  const shape = broadcastShapes(inputs.map((c) => c.shape));
  const kept = shape.map((s, d) => (spec.axes.includes(d) ? 1 : s));
  const n = spec.axes.reduce((p, d) => p * shape[d]!, 1);
  const exprs: Expr[] = [...spec.exprs];
  const operands: ChunkData[] = [...inputs];
  const accs: Acc[] = [];
  const layout: { name: ReductionName; from: number; count: number; e: Expr }[] = [];
  let position: number[] | undefined;
  for (const r of spec.reductions) {
    const e = spec.exprs[r.e]!;
    const from = accs.length;
    switch (r.name) {
      case "sum": case "prod": case "min": case "max": case "any": case "all":
        accs.push({ kind: r.name, e: r.e });
        break;
      case "nansum":
        accs.push({ kind: "nsum", e: r.e });
        break;
      case "mean":
        accs.push({ kind: "sum", e: r.e });
        break;
      case "nanmean":
        accs.push({ kind: "nsum", e: r.e }, { kind: "ncount", e: r.e });
        break;
      case "argmin": case "argmax":
        accs.push({ kind: r.name, e: r.e });
        position = argPositions(shape, spec.axes);
        break;
      case "var": {
        if (n === 0) break;
        // The shift K: each cell's first element, a chunk of the kept shape.
        const k = evaluate(e, inputs.map((c) => firstAlong(c, shape, spec.axes)), kept);
        const kin = input(operands.length, e.dt);
        operands.push(k);
        const d: Expr = { k: "op", op: "sub", a: [e, kin], dt: e.dt };
        const real = isC(e.dt) ? "float64" : e.dt;
        const sq: Expr = isC(e.dt)
          ? { k: "op", op: "add", dt: real, a: [sqr({ k: "op", op: "real", a: [d], dt: real }), sqr({ k: "op", op: "imag", a: [d], dt: real })] }
          : sqr(d);
        exprs.push(d, sq);
        accs.push({ kind: "sum", e: exprs.length - 2 }, { kind: "sum", e: exprs.length - 1 });
        layout.push({ name: r.name, from, count: 2, e });
        continue;
      }
    }
    layout.push({ name: r.name, from, count: accs.length - from, e });
  }
  const res = accs.length === 0 ? { cells: sizeOf(kept), slots: [] } : reduceSlots(exprs, accs, operands, shape, spec.axes, position);
  // Slot arrays in accumulator order.
  const perAcc: TypedArray[][] = [];
  let s = 0;
  for (const a of accs) {
    const k = (a.kind === "argmin" || a.kind === "argmax" || (isC(exprs[a.e]!.dt) && (a.kind === "sum" || a.kind === "nsum" || a.kind === "prod"))) ? 2 : 1;
    perAcc.push(res.slots.slice(s, s + k));
    s += k;
  }
  let kIndex = inputs.length;
  return layout.map(({ name, from, count, e }) => {
    const arrs = perAcc.slice(from, from + count).flat();
    const complex = isC(e.dt);
    if (name === "var") {
      if (n === 0) return { name, shape: kept, n: 0, a: complex ? [new Float64Array(res.cells), new Float64Array(res.cells), new Float64Array(res.cells)] : [new Float64Array(res.cells), new Float64Array(res.cells)], complex };
      const k = operands[kIndex++]!.data;
      return varState(name, kept, n, arrs, k, complex);
    }
    if ((name === "argmin" || name === "argmax") && place !== undefined) globalIndices(arrs[1] as Float64Array, spec.axes, shape, place);
    return { name, shape: kept, n, a: arrs, complex };
  });
}

const sqr = (d: Expr): Expr => ({ k: "op", op: "mul", a: [d, d], dt: d.dt });

function varState(name: ReductionName, shape: readonly number[], n: number, arrs: TypedArray[], k: TypedArray, complex: boolean): Partial {
  const cells = sizeOf(shape);
  const m2 = new Float64Array(cells);
  if (complex) {
    // arrs: [Σd re, Σd im, Σ|d|²]
    const [sr, si, sq] = arrs as Float64Array[];
    const mr = new Float64Array(cells), mi = new Float64Array(cells);
    for (let c = 0; c < cells; c++) {
      mr[c] = (k[2 * c] as number) + sr![c]! / n;
      mi[c] = (k[2 * c + 1] as number) + si![c]! / n;
      m2[c] = Math.max(0, sq![c]! - (sr![c]! * sr![c]! + si![c]! * si![c]!) / n);
    }
    return { name, shape, n, a: [mr, mi, m2], complex };
  }
  const [sd, sq] = arrs as Float64Array[];
  const mean = new Float64Array(cells);
  for (let c = 0; c < cells; c++) {
    mean[c] = (k[c] as number) + sd![c]! / n;
    const v = sq![c]! - (sd![c]! * sd![c]!) / n;
    m2[c] = v < 0 ? 0 : v;
  }
  return { name, shape, n, a: [mean, m2], complex };
}

/** Position strides for argmin/argmax: along the one reduced axis, or the flat C index for all axes. */
function argPositions(shape: readonly number[], axes: readonly number[]): number[] {
  if (axes.length === 1) return shape.map((_, d) => (d === axes[0] ? 1 : 0));
  return cStrides(shape);
}

/** Chunk-local positions to positions in the whole array. */
function globalIndices(idx: Float64Array, axes: readonly number[], shape: readonly number[], place: ChunkPlace): void {
  if (axes.length === 1) {
    const off = place.offset[axes[0]!]!;
    for (let c = 0; c < idx.length; c++) if (idx[c]! >= 0) idx[c] = idx[c]! + off;
    return;
  }
  const local = cStrides(shape), global = cStrides(place.shape);
  for (let c = 0; c < idx.length; c++) {
    let rest = idx[c]!, g = 0;
    if (rest < 0) continue;
    for (let d = 0; d < shape.length; d++) {
      const i = Math.floor(rest / local[d]!);
      rest -= i * local[d]!;
      g += (i + place.offset[d]!) * global[d]!;
    }
    idx[c] = g;
  }
}

/** The sub-chunk at index 0 along `axes` (of the broadcast shape), for the variance shift. */
function firstAlong(c: ChunkData, shape: readonly number[], axes: readonly number[]): ChunkData {
  const lead = shape.length - c.shape.length;
  const sub = c.shape.map((s, k) => (axes.includes(k + lead) ? Math.min(s, 1) : s));
  if (sub.every((s, k) => s === c.shape[k])) return c;
  const n = sizeOf(sub);
  const lanes = dtypeInfo(c.dtype).lanes;
  const out = allocate(c.dtype, n, false);
  const src = cStrides(c.shape), dst = cStrides(sub);
  for (let f = 0; f < n; f++) {
    let rest = f, at = 0;
    for (let d = 0; d < sub.length; d++) {
      const i = Math.floor(rest / dst[d]!);
      rest -= i * dst[d]!;
      at += i * src[d]!;
    }
    for (let l = 0; l < lanes; l++) (out as Float64Array)[f * lanes + l] = (c.data as Float64Array)[at * lanes + l]!;
  }
  return { data: out, shape: sub, dtype: c.dtype };
}

/** Merges states of the same reduction and cell shape (a group of chunks along the reduced axes). */
export function combine(parts: readonly Partial[]): Partial {
  const live = parts.filter((p) => p.n > 0 || p.name === "sum" || p.name === "nansum" || p.name === "prod" || p.name === "any" || p.name === "all" || p.name === "nanmean");
  const first = live[0] ?? parts[0]!;
  if (live.length <= 1) return first;
  const cells = sizeOf(first.shape);
  const a = first.a.map((x) => x.slice() as TypedArray);
  let n = first.n;
  for (const p of live.slice(1)) {
    mergeInto(first.name, a, n, p, cells, first.complex);
    n += p.n;
  }
  return { ...first, n, a };
}

function mergeInto(name: ReductionName, a: TypedArray[], n: number, p: Partial, cells: number, complex: boolean): void {
  const b = p.a;
  const A = a as Float64Array[], B = b as Float64Array[];
  switch (name) {
    case "sum": case "nansum": case "mean": case "nanmean":
      for (let s = 0; s < a.length; s++) for (let c = 0; c < cells; c++) (a[s] as Float64Array)[c]! += b[s]![c] as number;
      return;
    case "prod":
      if (complex) {
        for (let c = 0; c < cells; c++) {
          const r = A[0]![c]! * B[0]![c]! - A[1]![c]! * B[1]![c]!;
          A[1]![c] = A[0]![c]! * B[1]![c]! + A[1]![c]! * B[0]![c]!;
          A[0]![c] = r;
        }
      } else for (let c = 0; c < cells; c++) (a[0] as Float64Array)[c]! *= b[0]![c] as number;
      return;
    case "min": case "max":
      for (let c = 0; c < cells; c++) {
        const x = a[0]![c]!, y = b[0]![c]!;
        if (x !== x) continue;
        if (y !== y || (name === "min" ? y < x : y > x)) a[0]![c] = y;
      }
      return;
    case "any":
      for (let c = 0; c < cells; c++) if (B[0]![c]) A[0]![c] = 1;
      return;
    case "all":
      for (let c = 0; c < cells; c++) if (!B[0]![c]) A[0]![c] = 0;
      return;
    case "argmin": case "argmax":
      for (let c = 0; c < cells; c++) {
        const x = a[0]![c]!, y = b[0]![c]!, xi = A[1]![c]!, yi = B[1]![c]!;
        if (yi < 0) continue;
        const better = xi < 0 || (x === x && (y !== y || (name === "argmin" ? y < x : y > x))) || ((x === y || (x !== x && y !== y)) && yi < xi);
        if (better) {
          a[0]![c] = y;
          A[1]![c] = yi;
        }
      }
      return;
    case "var": {
      const m = p.n, tot = n + m;
      const k = complex ? 2 : 1;
      for (let c = 0; c < cells; c++) {
        let d2 = 0;
        for (let l = 0; l < k; l++) {
          const d = B[l]![c]! - A[l]![c]!;
          d2 += d * d;
          A[l]![c] = A[l]![c]! + (d * m) / tot;
        }
        A[k]![c] = A[k]![c]! + B[k]![c]! + (d2 * n * m) / tot;
      }
      return;
    }
  }
}

export interface AggregateSpec {
  readonly dtype: DType;
  /** Reduced axes (dropped from the result unless keepdims). */
  readonly axes: readonly number[];
  readonly keepdims: boolean;
  readonly ddof?: number;
  readonly sqrt?: boolean;
}

/** The result chunk from a final state. */
export function aggregate(p: Partial, spec: AggregateSpec): ChunkData {
  const cells = sizeOf(p.shape);
  const out = allocate(spec.dtype, cells);
  const info = dtypeInfo(spec.dtype);
  const put = (c: number, v: number | bigint) => {
    if (info.big) (out as BigInt64Array)[c] = typeof v === "bigint" ? v : BigInt(Math.trunc(v));
    else (out as Float64Array)[c] = Number(v);
  };
  const a = p.a;
  const emptyErr = () => Errors.badInput(`${p.name} of an empty array (or of a chunk selection with no elements): the reduction has no identity; reduce a non-empty array`);
  for (let c = 0; c < cells; c++) {
    switch (p.name) {
      case "sum": case "nansum": case "prod":
        if (p.complex) ((out as Float64Array)[2 * c] = a[0]![c] as number), ((out as Float64Array)[2 * c + 1] = a[1]![c] as number);
        else put(c, a[0]![c]!);
        break;
      case "min": case "max":
        if (p.n === 0) throw emptyErr();
        put(c, a[0]![c]!);
        break;
      case "any": case "all":
        put(c, a[0]![c]! ? 1 : 0);
        break;
      case "mean":
        if (p.complex) ((out as Float64Array)[2 * c] = (a[0]![c] as number) / p.n), ((out as Float64Array)[2 * c + 1] = (a[1]![c] as number) / p.n);
        else put(c, (a[0]![c] as number) / p.n);
        break;
      case "nanmean": {
        const cnt = a[p.complex ? 2 : 1]![c] as number;
        if (p.complex) ((out as Float64Array)[2 * c] = (a[0]![c] as number) / cnt), ((out as Float64Array)[2 * c + 1] = (a[1]![c] as number) / cnt);
        else put(c, (a[0]![c] as number) / cnt);
        break;
      }
      case "var": {
        const m2 = a[p.complex ? 2 : 1]![c] as number;
        const v = m2 / Math.max(p.n - (spec.ddof ?? 0), 0);
        put(c, spec.sqrt ? Math.sqrt(v) : v);
        break;
      }
      case "argmin": case "argmax":
        if (p.n === 0) throw Errors.badInput(`${p.name} of an empty sequence: reduce a non-empty array`);
        put(c, a[1]![c]!);
        break;
    }
  }
  // The block's shape comes from the state: kept dimensions may have had unknown sizes.
  const shape = spec.keepdims ? p.shape : p.shape.filter((_, d) => !spec.axes.includes(d));
  return { data: out, shape, dtype: spec.dtype };
}
