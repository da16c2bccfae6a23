/**
 * Verbs that change how a bag is cut: repartition, concat, take (only the
 * partitions it needs are computed), and random samples.
 */
import { Errors } from "../../errors";
import { LayeredGraph, LazyLayer, keyStr, tokenize } from "../../graph";
import { ComputeOptions } from "../compute";
import { Delayed } from "../delayed";
import type { Bag } from "./bag";
import { bagTask, checkCount, newBag, partKey, reduceTree } from "./build";

export function repartition<T>(bag: Bag<T>, npartitions: number): Bag<T> {
  const nout = checkCount("repartition(npartitions)", npartitions, 1);
  const nin = bag.npartitions;
  if (nout === nin) return bag;
  if (nout < nin) {
    // Output j concatenates a run of consecutive inputs.
    const lo = (j: number) => Math.floor((j * nin) / nout);
    return newBag<T>("repartition", [bag.name, nout], nout, [bag], (j) => {
      const parts = [];
      for (let i = lo(j); i < lo(j + 1); i++) parts.push(partKey(bag, i));
      return bagTask("concat", [parts]);
    });
  }
  // Input i is cut into m(i) pieces; outputs are numbered piece by piece.
  const first = (i: number) => Math.floor((i * nout) / nin);
  const source: [number, number, number][] = [];
  for (let i = 0; i < nin; i++) {
    const m = first(i + 1) - first(i);
    for (let j = 0; j < m; j++) source.push([i, j, m]);
  }
  return newBag<T>("repartition", [bag.name, nout], nout, [bag], (o) => {
    const [i, j, m] = source[o]!;
    return bagTask("slicePiece", [partKey(bag, i), j, m]);
  });
}

export interface TakeOptions extends ComputeOptions {
  /**
   * Partitions to take from, as Dask's take (-1: all of them). Default: the
   * first partition, then as many more as it takes to find n items.
   */
  npartitions?: number;
  /** With npartitions: warn when those partitions hold fewer than n items (default true). */
  warn?: boolean;
}

/**
 * The first n items. Only the partitions needed are computed: with
 * `npartitions`, exactly those; by default the first one, then the next 1,
 * 2, 4 … until n items are found (Dask takes from the first partition only
 * and warns; a notebook user asking for 2 items wants 2 items).
 */
export async function take<T>(bag: Bag<T>, n: number, options: TakeOptions = {}): Promise<T[]> {
  checkCount("take(n)", n, 0);
  const { npartitions, warn = true, ...computeOptions } = options;
  if (npartitions !== undefined) {
    if (npartitions !== -1) checkCount("take: npartitions", npartitions, 1);
    if (npartitions > bag.npartitions) {
      throw Errors.badOption("take: npartitions", npartitions, `at most the bag's ${bag.npartitions} partitions (or -1 for all)`);
    }
    const p = npartitions === -1 ? bag.npartitions : npartitions;
    const items = await heads(bag, n, 0, p).compute(computeOptions);
    if (warn && items.length < n) {
      process.emitWarning(
        `take(${n}): only ${items.length} items in the first ${p} partition${p === 1 ? "" : "s"}; pass { npartitions: -1 } to take from all of them`,
        { code: "TESSERA_TAKE_SHORT" },
      );
    }
    return items;
  }
  const out: T[] = [];
  for (let from = 0, batch = 1; from < bag.npartitions && out.length < n; from += batch, batch *= 2) {
    const to = Math.min(bag.npartitions, from + batch);
    out.push(...(await heads(bag, n - out.length, from, to).compute(computeOptions)));
  }
  return out;
}

/** The first n items of partitions [from, to): a head per partition (fused with its own work: it stops after n items), then one concatenation. */
function heads<T>(bag: Bag<T>, n: number, from: number, to: number): Delayed<T[]> {
  const tok = tokenize("take", bag.name, n, from, to);
  const headName = `take-head-${tok}`;
  const rootName = `take-${tok}`;
  const p = to - from;
  const layer = new LazyLayer(headName, "take-head", p, () => {
    const m = new Map();
    for (let i = 0; i < p; i++) m.set(keyStr([headName, i]), bagTask("head", [partKey(bag, from + i), n]));
    return m;
  }, [bag.name], { collection: "bag", npartitions: p });
  const refs = Array.from({ length: p }, (_, i) => partKey({ name: headName }, i));
  const root = new LazyLayer(rootName, "take", 1, () => new Map([[rootName, bagTask("headOf", [n, refs])]]), [headName], { collection: "delayed" });
  return new Delayed<T[]>(rootName, LayeredGraph.from(root, LayeredGraph.from(layer, bag.graph())));
}

export interface SampleOptions {
  /** Seed for a reproducible sample (default: a different sample each time). */
  seed?: number;
  splitEvery?: number;
}

/** k items drawn uniformly: without replacement (sample) or with it (choices). */
export function sample<T>(bag: Bag<T>, k: number, replace: boolean, options: SampleOptions = {}): Bag<T> {
  checkCount(`random.${replace ? "choices" : "sample"}(k)`, k, 0);
  const seed = options.seed;
  if (seed !== undefined && !Number.isInteger(seed)) throw Errors.badOption("random sample seed", seed, "an integer");
  return reduceTree(bag as Bag<unknown>, {
    op: replace ? "choices" : "sample",
    token: [k, seed ?? Math.random()],
    part: (i) => bagTask("samplePart", [partKey(bag, i), k, replace, seed, i]),
    agg: (partials, final) => bagTask("sampleAgg", [partials, final, k, replace, seed]),
    ...(options.splitEvery === undefined ? {} : { splitEvery: options.splitEvery }),
  }, "bag") as Bag<T>;
}
