/**
 * Samples and quantiles of a column, for divisions (setIndex, sortValues)
 * and describe's quartiles: each partition gives evenly spaced values of
 * its sorted column; samples merge by the same rule; quantiles read the
 * merged sample. Numbers, or strings for a string column.
 */
import { stringValues } from "./column";
import { asFloat } from "./evaluate";
import { column, Part } from "./part";

export type Orderable = number | string;
const order = (a: Orderable, b: Orderable): number => (typeof a === "number" && typeof b === "number" ? a - b : a < b ? -1 : a > b ? 1 : 0);

/** Evenly spaced values of a column (sorted; numbers, or strings for a string column), for quantile-based divisions. */
export function sampleValues(p: Part, col: string, n: number): Orderable[] {
  const c = column(p, col);
  const v: Orderable[] = c.dtype === "string" ? stringValues(c).filter((x): x is string => x !== null) : Array.from(asFloat(c)).filter((x) => x === x);
  v.sort(order);
  if (v.length <= n) return v;
  return Array.from({ length: n }, (_, i) => v[Math.floor(((i + 0.5) * v.length) / n)]!);
}

/** Several partitions' samples as one of at most n values. */
export function mergeSamples(lists: Orderable[][], n: number): Orderable[] {
  const all = lists.flat().sort(order);
  if (all.length <= n) return all;
  return Array.from({ length: n }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / n)]!);
}

/** The values at fractions qs of the merged sample (nearest rank). */
export function quantiles(lists: Orderable[][], qs: number[]): Orderable[] {
  const all = lists.flat().sort(order);
  return qs.map((q) => (all.length ? all[Math.min(all.length - 1, Math.max(0, Math.round(q * (all.length - 1))))]! : NaN));
}
