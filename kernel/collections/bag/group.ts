/**
 * Verbs that bring items with equal keys together.
 *
 * foldBy reduces per key inside each partition and combines the small
 * per-key partials in a tree: no item moves. groupBy must move every item to
 * the partition of its key: each partition is cut into one shard per output
 * partition, the shards go through the store, and each output partition
 * collects its shards, so it costs a full pass of the data between threads
 * (as in Dask, prefer foldBy when a per-key reduction is what you want).
 */
import { Errors } from "../../errors";
import { LayeredGraph, LazyLayer, Ref, Task, fnArg, keyStr, parseKey, ref, tokenize } from "../../graph";
import { Collection } from "../base";
import { Delayed, delayed } from "../delayed";
import { Bag } from "./bag";
import { UserFn, bagTask, checkCount, keyArg, newBag, partKey, reduceTree, tokenOf, userCallable } from "./build";
import type { ReductionOptions } from "./reductions";

export function foldBy<T, K, A>(
  bag: Bag<T>, key: unknown, binop: UserFn, initial: unknown, combine: UserFn | undefined, combineInitial: unknown, options?: ReductionOptions,
): Bag<[K, A]> {
  const k = keyArg(key, "foldBy(key)");
  const bc = userCallable(binop, "foldBy(binop)");
  const cc = combine === undefined ? bc : userCallable(combine, "foldBy(combine)");
  const has = initial !== undefined;
  const hasC = combineInitial !== undefined;
  const bf = fnArg(bc), cf = fnArg(cc);
  const r = reduceTree(bag as Bag<unknown>, {
    op: "foldby", token: [k.token, bc, cc, has, initial, hasC, combineInitial],
    part: (i) => bagTask("foldByPart", [k.arg, bf, partKey(bag, i), i, has, initial]),
    agg: (partials, final) => bagTask("foldByAgg", [cf, partials, final, hasC, combineInitial]),
    ...(options?.splitEvery === undefined ? {} : { splitEvery: options.splitEvery }),
  }, "bag");
  return r as Bag<[K, A]>;
}

export function groupBy<T, K>(bag: Bag<T>, key: unknown, npartitions?: number): Bag<[K, T[]]> {
  const k = keyArg(key, "groupBy(key)");
  const nin = bag.npartitions;
  const nout = npartitions === undefined ? nin : checkCount("groupBy: npartitions", npartitions, 1);
  const tok = tokenize("groupby", bag.name, k.token, nout);
  const splitName = `groupby-split-${tok}`;
  const shardName = `groupby-shard-${tok}`;
  const outName = `groupby-${tok}`;
  const splitLayer = new LazyLayer(splitName, "groupby-split", nin, () => {
    const m = new Map<string, Task>();
    for (let i = 0; i < nin; i++) m.set(keyStr([splitName, i]), bagTask("groupSplit", [k.arg, partKey(bag, i), nout, i]));
    return m;
  }, [bag.name], { collection: "bag", npartitions: nin });
  // One shard per (input, output) pair: each travels on its own, to the one task that needs it.
  const shardLayer = new LazyLayer(shardName, "groupby-shard", nin * nout, () => {
    const m = new Map<string, Task>();
    for (let i = 0; i < nin; i++) for (let j = 0; j < nout; j++) m.set(keyStr([shardName, i, j]), bagTask("groupShard", [ref([splitName, i]), j]));
    return m;
  }, [splitName], { collection: "bag", npartitions: nin * nout });
  const outLayer = new LazyLayer(outName, "groupby", nout, () => {
    const m = new Map<string, Task>();
    for (let j = 0; j < nout; j++) {
      const shards: Ref[] = [];
      for (let i = 0; i < nin; i++) shards.push(ref([shardName, i, j]));
      m.set(keyStr([outName, j]), bagTask("groupCollect", [k.arg, shards]));
    }
    return m;
  }, [shardName], { collection: "bag", npartitions: nout });
  const g = LayeredGraph.from(outLayer, LayeredGraph.from(shardLayer, LayeredGraph.from(splitLayer, bag.graph())));
  return new Bag<[K, T[]]>(outName, nout, g);
}

/** The other side of a join: an array, a bag of one partition, or a Delayed array. */
export function join<T, O>(bag: Bag<T>, other: unknown, onSelf: unknown, onOther: unknown): Bag<[O, T]> {
  const s = keyArg(onSelf, "join(other, onSelf)");
  const o = onOther === undefined ? s : keyArg(onOther, "join(other, onSelf, onOther)");
  let side: Collection<unknown>;
  let sideRef: Ref;
  if (other instanceof Bag) {
    if (other.npartitions !== 1) {
      throw Errors.badOption("join(other)", `a bag of ${other.npartitions} partitions`, "an array, a Delayed array, or a bag of one partition (joins of two large bags are not implemented: other.repartition(1) if it fits in memory)");
    }
    side = other;
    sideRef = partKey(other, 0);
  } else if (other instanceof Delayed) {
    side = other;
    sideRef = ref(parseKey(other.key));
  } else if (Array.isArray(other)) {
    // Stored once, read by every partition's task.
    const d = delayed(other, { name: "join-other" });
    side = d;
    sideRef = ref(d.key);
  } else {
    throw Errors.badOption("join(other)", other, "an array, a Delayed array, or a bag of one partition");
  }
  return newBag<[O, T]>("join", [bag.name, tokenOf(side), s.token, o.token], bag.npartitions, [bag, side], (i) =>
    bagTask("join", [partKey(bag, i), sideRef, s.arg, o.arg]),
  );
}
