/**
 * Worker-side kernels of the bag reductions. Each reduction is a pair:
 * `*Part` turns one partition into a small partial result, `*Agg` combines
 * a list of partials (at every level of the reduction tree) and, at the
 * root (`final`), gives the answer. Partials are plain data: they cross
 * threads between the levels.
 */
import { Errors } from "../../errors";
import { KeySpec, compareKeys, getter, itemError, keyOf, partition } from "./chunk-items";
import { Part, each, toArray } from "./chunk-lazy";

type Fn = (...args: unknown[]) => unknown;

// --- user reductions -------------------------------------------------------

export function reducePart(fn: Fn, part: Part, p: number): unknown {
  try {
    return fn(toArray(part));
  } catch (e) {
    throw Errors.badInput(`reduction: ${fn.name || "perPartition"} failed on partition ${p}: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`);
  }
}

export function reduceAgg(fn: Fn, partials: unknown[]): unknown {
  return fn(partials);
}

/** A partial fold: [has a value, value]. An empty partition without initial has none. */
type FoldPartial = [boolean, unknown];

export function foldPart(binop: Fn, part: Part, p: number, hasInitial: boolean, initial: unknown): FoldPartial {
  let has = hasInitial;
  let acc = initial;
  let i = 0;
  each(part, (x) => {
    if (!has) {
      acc = x;
      has = true;
    } else {
      try {
        acc = binop(acc, x);
      } catch (e) {
        throw itemError("fold", binop, p, i, x, e);
      }
    }
    i++;
  });
  return [has, acc];
}

export function foldAgg(combine: Fn, partials: FoldPartial[], final: boolean, hasInitial: boolean, initial: unknown): unknown {
  let has = hasInitial;
  let acc = initial;
  for (const [h, v] of partials) {
    if (!h) continue;
    acc = has ? combine(acc, v) : v;
    has = true;
  }
  if (!final) return [has, acc];
  if (!has) throw Errors.badInput("fold of an empty bag with no initial value (pass initial: fold(binop, combine, initial))");
  return acc;
}

// --- built-in aggregates ---------------------------------------------------

export function countPart(part: Part): number {
  if (Array.isArray(part)) return part.length;
  let n = 0;
  each(part, () => void n++);
  return n;
}

export function sumAgg(partials: number[]): number {
  let s = 0;
  for (const x of partials) s += x;
  return s;
}

function notNumber(op: string, x: unknown, i: number, p: number): Error {
  return Errors.badInput(`${op}: item ${i} of partition ${p} is ${JSON.stringify(x) ?? String(x)}, not a number (convert first, e.g. .map(Number), or pluck the numeric field)`);
}

export function sumPart(part: Part, p: number): number {
  let s = 0;
  let i = 0;
  each(part, (x) => {
    if (typeof x !== "number") throw notNumber("sum", x, i, p);
    s += x;
    i++;
  });
  return s;
}

/** [has a value, extreme value]; `sign` 1 for max, -1 for min. */
export function extremePart(part: Part, sign: number): FoldPartial {
  let has = false;
  let best: unknown;
  each(part, (x) => {
    if (!has || compareKeys(x, best) * sign > 0) best = x;
    has = true;
  });
  return [has, best];
}

export function extremeAgg(partials: FoldPartial[], final: boolean, sign: number): unknown {
  const r = extremePart(partials.filter(([h]) => h).map(([, v]) => v), sign);
  if (!final) return r;
  if (!r[0]) throw Errors.badInput(`${sign > 0 ? "max" : "min"} of an empty bag (there is no item to compare)`);
  return r[1];
}

/** Count, mean and sum of squared deviations (Welford), combined pairwise (Chan et al.): stable for large means. */
type Moments = [number, number, number];

export function momentsPart(part: Part, p: number, what: string): Moments {
  let n = 0, mean = 0, m2 = 0;
  each(part, (v) => {
    if (typeof v !== "number") throw notNumber(what, v, n, p);
    const x = v;
    n++;
    const d = x - mean;
    mean += d / n;
    m2 += d * (x - mean);
  });
  return [n, mean, m2];
}

export function momentsAgg(partials: Moments[], final: boolean, what: "mean" | "var" | "std", ddof: number): Moments | number {
  let [n, mean, m2]: Moments = [0, 0, 0];
  for (const [nb, mb, qb] of partials) {
    if (nb === 0) continue;
    const nn = n + nb;
    const d = mb - mean;
    mean += (d * nb) / nn;
    m2 += qb + (d * d * n * nb) / nn;
    n = nn;
  }
  if (!final) return [n, mean, m2];
  if (what === "mean") return n === 0 ? NaN : mean;
  const v = n - ddof > 0 ? m2 / (n - ddof) : NaN;
  return what === "var" ? v : Math.sqrt(v);
}

// --- frequencies, distinct, topk --------------------------------------------

/** [item, count] pairs, in order of first appearance. */
export function frequenciesPart(part: Part): [unknown, number][] {
  const counts = new Map<unknown, [unknown, number]>();
  each(part, (x) => {
    const k = keyOf(x);
    const e = counts.get(k);
    if (e === undefined) counts.set(k, [x, 1]);
    else e[1]++;
  });
  return [...counts.values()];
}

export function frequenciesAgg(partials: [unknown, number][][], final: boolean, sort: boolean): [unknown, number][] {
  const counts = new Map<unknown, [unknown, number]>();
  for (const pairs of partials) {
    for (const [x, c] of pairs) {
      const k = keyOf(x);
      const e = counts.get(k);
      if (e === undefined) counts.set(k, [x, c]);
      else e[1] += c;
    }
  }
  const out = [...counts.values()];
  // Array.prototype.sort is stable: equal counts keep their first-seen order.
  if (final && sort) out.sort((a, b) => b[1] - a[1]);
  return final ? partition(out) : out;
}

/** Items without repeats (by `key` of the item when given), first occurrence kept. */
export function distinctPart(part: Part, key?: KeySpec): unknown[] {
  const seen = new Set<unknown>();
  const out: unknown[] = [];
  const get = key === undefined ? undefined : getter(key);
  each(part, (x) => {
    const k = keyOf(get === undefined ? x : get(x));
    if (!seen.has(k)) {
      seen.add(k);
      out.push(x);
    }
  });
  return out;
}

export function distinctAgg(partials: unknown[][], final: boolean, key?: KeySpec): unknown[] {
  const out = distinctPart(partials.flat(1), key);
  return final ? partition(out) : out;
}

/** The k largest items by key, largest first; ties keep their order (as heapq.nlargest). */
export function topkPart(part: Part, k: number, key?: KeySpec): unknown[] {
  const get = key === undefined ? (x: unknown) => x : getter(key);
  const keyed = toArray(part).map((x, i) => ({ x, k: get(x), i }));
  keyed.sort((a, b) => compareKeys(b.k, a.k) || a.i - b.i);
  return keyed.slice(0, k).map((e) => e.x);
}

export function topkAgg(partials: unknown[][], final: boolean, k: number, key?: KeySpec): unknown[] {
  const out = topkPart(partials.flat(1), k, key);
  return final ? partition(out) : out;
}
