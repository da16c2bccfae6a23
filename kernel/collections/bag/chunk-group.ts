/**
 * Worker-side kernels that move items between partitions: foldBy, the
 * groupBy shuffle (split -> shard -> collect), join against a small
 * collection, repartition, take, and random samples.
 */
import { Errors } from "../../errors";
import { KeySpec, getter, hashKey, itemError, keyOf, partition, safeGetter } from "./chunk-items";
import { Part, STOP, each, toArray } from "./chunk-lazy";

type Fn = (...args: unknown[]) => unknown;

// --- foldBy: a reduction per key, no shuffle ---------------------------------

/** [key, accumulated] pairs of one partition, keys in order of first appearance. */
export function foldByPart(key: KeySpec, binop: Fn, part: Part, p: number, hasInitial: boolean, initial: unknown): [unknown, unknown][] {
  const get = safeGetter("foldBy", key, p);
  const acc = new Map<unknown, [unknown, unknown]>();
  // An object initial is copied per key, so a binop that mutates its accumulator stays per key.
  const fresh = initial !== null && typeof initial === "object" ? () => structuredClone(initial) : () => initial;
  let i = 0;
  each(part, (x) => {
    const k = get(x, i);
    const ck = keyOf(k);
    const e = acc.get(ck);
    try {
      if (e !== undefined) e[1] = binop(e[1], x);
      else acc.set(ck, [k, hasInitial ? binop(fresh(), x) : x]);
    } catch (err) {
      throw itemError("foldBy", binop, p, i, x, err);
    }
    i++;
  });
  return [...acc.values()];
}

export function foldByAgg(combine: Fn, partials: [unknown, unknown][][], final: boolean, hasInitial: boolean, initial: unknown): [unknown, unknown][] {
  const acc = new Map<unknown, [unknown, unknown]>();
  const fresh = initial !== null && typeof initial === "object" ? () => structuredClone(initial) : () => initial;
  for (const pairs of partials) {
    for (const [k, v] of pairs) {
      const ck = keyOf(k);
      const e = acc.get(ck);
      if (e !== undefined) e[1] = combine(e[1], v);
      else acc.set(ck, [k, hasInitial ? combine(fresh(), v) : v]);
    }
  }
  const out = [...acc.values()];
  return final ? partition(out) : out;
}

// --- groupBy: a shuffle through the store ------------------------------------

/** One partition cut into `nout` buckets by the hash of each item's key. */
export function groupSplit(key: KeySpec, part: Part, nout: number, p: number): unknown[][] {
  const get = safeGetter("groupBy", key, p);
  const buckets: unknown[][] = Array.from({ length: nout }, () => []);
  let i = 0;
  each(part, (x) => void buckets[hashKey(get(x, i++)) % nout]!.push(x));
  return buckets;
}

/** Bucket `j` of a split: the piece one output partition needs (it travels alone). */
export function groupShard(buckets: unknown[][], j: number): unknown[] {
  return partition(buckets[j]!);
}

/** [key, items] pairs from the shards of one output partition. */
export function groupCollect(key: KeySpec, shards: unknown[][]): [unknown, unknown[]][] {
  const get = getter(key);
  const groups = new Map<unknown, [unknown, unknown[]]>();
  for (const shard of shards) {
    for (const x of shard) {
      const k = get(x);
      const ck = keyOf(k);
      const g = groups.get(ck);
      if (g === undefined) groups.set(ck, [k, [x]]);
      else g[1].push(x);
    }
  }
  return partition([...groups.values()]);
}

// --- join against a small collection -----------------------------------------

/** [otherItem, selfItem] for every pair whose keys are equal (an inner join, as toolz.join). */
export function join(part: Part, otherPart: unknown, onSelf: KeySpec, onOther: KeySpec): [unknown, unknown][] {
  const other = toArray(otherPart as Part);
  if (!Array.isArray(other)) throw Errors.badInput(`join: the other collection must be an array of items, got ${typeof other}`);
  const getOther = getter(onOther);
  const index = new Map<unknown, unknown[]>();
  for (const o of other) {
    const k = keyOf(getOther(o));
    const list = index.get(k);
    if (list === undefined) index.set(k, [o]);
    else list.push(o);
  }
  const getSelf = getter(onSelf);
  const out: [unknown, unknown][] = [];
  each(part, (x) => {
    const matches = index.get(keyOf(getSelf(x)));
    if (matches !== undefined) for (const o of matches) out.push([o, x]);
  });
  return partition(out);
}

// --- repartition and take --------------------------------------------------

export function concat(parts: Part[]): unknown[] {
  const arrays = parts.map(toArray);
  return partition(arrays.length === 1 ? arrays[0]!.slice() : arrays.flat(1));
}

/** Piece `j` of `m` nearly equal consecutive pieces of a partition. */
export function slicePiece(part: Part, j: number, m: number): unknown[] {
  const items = toArray(part);
  const n = items.length;
  return partition(items.slice(Math.floor((j * n) / m), Math.floor(((j + 1) * n) / m)));
}

/** The first n items; a lazy partition stops as soon as it has them (take(2) parses two lines). */
export function head(part: Part, n: number): unknown[] {
  if (Array.isArray(part)) return part.length <= n ? part : part.slice(0, n);
  const out: unknown[] = [];
  if (n > 0) {
    each(part, (x) => {
      out.push(x);
      if (out.length >= n) throw STOP;
    });
  }
  return out;
}

export function headOf(n: number, parts: unknown[][]): unknown[] {
  const out: unknown[] = [];
  for (const p of parts) {
    for (const x of p) {
      if (out.length >= n) return out;
      out.push(x);
    }
  }
  return out;
}

// --- random samples ----------------------------------------------------------

/** A 32-bit PRNG (mulberry32) for seeded samples; Math.random otherwise. */
function random(seed: number | undefined): () => number {
  if (seed === undefined) return Math.random;
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SamplePartial = [number, unknown[]];

/**
 * The partition's size and a uniform sample of it: without replacement,
 * min(k, n) distinct items (partial Fisher-Yates); with replacement, k draws.
 */
export function samplePart(lazyPart: Part, k: number, replace: boolean, seed: number | undefined, p: number): SamplePartial {
  const part = toArray(lazyPart);
  const rnd = random(seed === undefined ? undefined : seed + p * 0x9e3779b1);
  const n = part.length;
  if (replace) return [n, n === 0 ? [] : Array.from({ length: k }, () => part[Math.floor(rnd() * n)])];
  const a = part.slice();
  const m = Math.min(k, n);
  for (let i = 0; i < m; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return [n, a.slice(0, m)];
}

/**
 * k items from the partials' samples, uniform over the whole bag: each draw
 * picks a partition with probability proportional to its items not drawn
 * yet (with replacement: to its size), then an item of its sample.
 */
export function sampleAgg(partials: SamplePartial[], final: boolean, k: number, replace: boolean, seed: number | undefined): SamplePartial | unknown[] {
  const rnd = random(seed === undefined ? undefined : seed ^ 0x5bd1e995);
  const left = partials.map(([n]) => n);
  const used = partials.map(() => 0);
  let total = left.reduce((a, b) => a + b, 0);
  const out: unknown[] = [];
  const draws = replace ? (total === 0 ? 0 : k) : Math.min(k, total);
  for (let d = 0; d < draws; d++) {
    let r = rnd() * total;
    let i = 0;
    while (i < left.length - 1 && r >= left[i]!) r -= left[i++]!;
    out.push(partials[i]![1][used[i]++]);
    if (!replace) {
      left[i]!--;
      total--;
    }
  }
  if (final) return partition(out);
  return [partials.reduce((a, [n]) => a + n, 0), out];
}
