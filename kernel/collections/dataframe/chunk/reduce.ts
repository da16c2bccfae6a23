/**
 * Reductions of a column to one value, by tree reduction: each partition
 * makes a small partial state (`reduceChunk`), states are merged in a tree
 * (`reduceCombine`), and the last state gives the value (`reduceFinal`).
 *
 * Variance uses counts, means and sums of squared deviations merged with
 * Chan's formula, which stays exact where "sum of squares minus square of
 * sums" loses every digit. Missing values are skipped, as in pandas.
 */
import { Column, isNull, stringValues } from "./column";
import { asFloat } from "./evaluate";

export const REDUCTIONS = ["sum", "mean", "count", "min", "max", "std", "var", "nunique", "size", "prod"] as const;
export type Reduction = (typeof REDUCTIONS)[number];

export interface Moments {
  n: number;
  sum: number;
  mean: number;
  m2: number;
  min: number;
  max: number;
  prod: number;
  size: number;
}

export type State = Moments | { distinct: unknown[] } | { strMin: string | null; strMax: string | null; n: number; size: number };

/** Count, sum, min, max, product and (when `spread`) the sum of squared deviations M2 of the present values. */
export function moments(v: Float64Array, valid?: Uint8Array, spread = true): Moments {
  let n = 0, sum = 0, min = Infinity, max = -Infinity, prod = 1;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x || (valid !== undefined && valid[i] === 0)) continue;
    n++;
    sum += x;
    prod *= x;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const mean = n > 0 ? sum / n : 0;
  let m2 = 0;
  // M2 takes a second pass; only std and var need it (merging keeps it exact, see mergeMoments).
  if (spread) for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x || (valid !== undefined && valid[i] === 0)) continue;
    m2 += (x - mean) * (x - mean);
  }
  return { n, sum, mean, m2, min, max, prod, size: v.length };
}

export function mergeMoments(a: Moments, b: Moments): Moments {
  const n = a.n + b.n;
  if (n === 0) return { ...a, size: a.size + b.size };
  const delta = b.mean - a.mean;
  return {
    n,
    sum: a.sum + b.sum,
    mean: a.mean + (delta * b.n) / n,
    m2: a.m2 + b.m2 + (delta * delta * a.n * b.n) / n,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    prod: a.prod * b.prod,
    size: a.size + b.size,
  };
}

export function reduceChunk(c: Column, how: Reduction): State {
  if (how === "nunique") {
    const vals = c.dtype === "string" ? stringValues(c) : c.dtype === "object" ? c.objects!.map((o) => JSON.stringify(o)) : Array.from(asFloat(c));
    const set = new Set<unknown>();
    for (let i = 0; i < vals.length; i++) if (!isNull(c, i) && vals[i] !== null && !(typeof vals[i] === "number" && Number.isNaN(vals[i]))) set.add(vals[i]);
    return { distinct: [...set] };
  }
  if (c.dtype === "string" || c.dtype === "object") {
    if (how === "count" || how === "size" || how === "min" || how === "max") {
      const s = c.dtype === "string" ? stringValues(c) : c.objects!.map((o) => (o == null ? null : String(o)));
      let n = 0, lo: string | null = null, hi: string | null = null;
      for (let i = 0; i < s.length; i++) {
        const x = s[i];
        if (x === null || x === undefined || isNull(c, i)) continue;
        n++;
        if (lo === null || x < lo) lo = x;
        if (hi === null || x > hi) hi = x;
      }
      return { strMin: lo, strMax: hi, n, size: c.length };
    }
    throw new Error(`${how} is not defined for a ${c.dtype} column (cast it with .astype("float64") first)`);
  }
  if ((how === "sum" || how === "mean" || how === "count") && c.valid === undefined && (c.dtype === "float64" || c.dtype === "timestamp")) {
    // The common case, in one tight loop: only count and sum are needed.
    const v = c.values as Float64Array;
    let n = 0, sum = 0;
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x === x) {
        n++;
        sum += x;
      }
    }
    return { n, sum, mean: n > 0 ? sum / n : 0, m2: 0, min: NaN, max: NaN, prod: NaN, size: v.length };
  }
  return moments(asFloat(c), c.valid, how === "std" || how === "var");
}

export function reduceCombine(states: readonly State[]): State {
  const first = states[0]!;
  if ("distinct" in first) {
    const set = new Set<unknown>();
    for (const s of states) for (const v of (s as { distinct: unknown[] }).distinct) set.add(v);
    return { distinct: [...set] };
  }
  if ("strMin" in first) {
    let out = first as { strMin: string | null; strMax: string | null; n: number; size: number };
    for (const s0 of states.slice(1)) {
      const s = s0 as typeof out;
      out = {
        n: out.n + s.n,
        size: out.size + s.size,
        strMin: out.strMin === null ? s.strMin : s.strMin === null || out.strMin <= s.strMin ? out.strMin : s.strMin,
        strMax: out.strMax === null ? s.strMax : s.strMax === null || out.strMax >= s.strMax ? out.strMax : s.strMax,
      };
    }
    return out;
  }
  let m = first as Moments;
  for (const s of states.slice(1)) m = mergeMoments(m, s as Moments);
  return m;
}

/** The value of a reduction from its final state; `ddof` as pandas (1 by default). */
export function reduceFinal(s: State, how: Reduction, ddof = 1): unknown {
  if ("distinct" in s) return s.distinct.length;
  if ("strMin" in s) {
    if (how === "count") return s.n;
    if (how === "size") return s.size;
    return how === "min" ? s.strMin : s.strMax;
  }
  return momentValue(s, how, ddof);
}

export function momentValue(s: Moments, how: Reduction, ddof = 1): number {
  switch (how) {
    case "sum":
      return s.sum;
    case "mean":
      return s.n > 0 ? s.sum / s.n : NaN;
    case "count":
      return s.n;
    case "size":
      return s.size;
    case "min":
      return s.n > 0 ? s.min : NaN;
    case "max":
      return s.n > 0 ? s.max : NaN;
    case "var":
      return s.n - ddof > 0 ? s.m2 / (s.n - ddof) : NaN;
    case "std":
      return s.n - ddof > 0 ? Math.sqrt(s.m2 / (s.n - ddof)) : NaN;
    case "prod":
      return s.prod;
    default:
      throw new Error(`unknown reduction ${how}`);
  }
}
