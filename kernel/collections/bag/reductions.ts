/**
 * Reductions: a partial per partition, combined in a tree (reduceTree).
 * Aggregates of one value (count, sum, mean, fold, reduction …) are Delayed
 * values; frequencies, distinct and topk are bags of one partition, as in
 * Dask, so they chain (`.frequencies().topk(10, ([, n]) => n)`).
 */
import { Errors } from "../../errors";
import { fnArg } from "../../graph";
import type { Delayed } from "../delayed";
import type { Bag } from "./bag";
import { UserFn, bagTask, checkCount, keyArg, partKey, reduceTree, userCallable } from "./build";

export interface ReductionOptions {
  /** Partials combined per task at each level of the tree (default 8). */
  splitEvery?: number;
}

function split(options: ReductionOptions | undefined): { splitEvery?: number } {
  return options?.splitEvery === undefined ? {} : { splitEvery: options.splitEvery };
}

export function reduction<T, P, R>(bag: Bag<T>, perPartition: UserFn, aggregate: UserFn, options?: ReductionOptions): Delayed<R> {
  const pc = userCallable(perPartition, "reduction(perPartition)");
  const ac = userCallable(aggregate, "reduction(aggregate)");
  const pf = fnArg(pc), af = fnArg(ac);
  return reduceTree(bag as Bag<unknown>, {
    op: "reduction", token: [pc, ac],
    part: (i) => bagTask("reducePart", [pf, partKey(bag, i), i]),
    agg: (partials) => bagTask("reduceAgg", [af, partials]),
    ...split(options),
  }, "value") as Delayed<R> & Delayed<P>;
}

export function fold<T, R>(bag: Bag<T>, binop: UserFn, combine: UserFn | undefined, initial: unknown, options?: ReductionOptions): Delayed<R> {
  const bc = userCallable(binop, "fold(binop)");
  const cc = combine === undefined ? bc : userCallable(combine, "fold(combine)");
  // As in Dask, no initial means: start from each partition's first item.
  const has = initial !== undefined;
  const init = initial;
  const bf = fnArg(bc), cf = fnArg(cc);
  return reduceTree(bag as Bag<unknown>, {
    op: "fold", token: [bc, cc, has, init],
    part: (i) => bagTask("foldPart", [bf, partKey(bag, i), i, has, init]),
    agg: (partials, final) => bagTask("foldAgg", [cf, partials, final, has, init]),
    ...split(options),
  }, "value") as Delayed<R>;
}

export function count<T>(bag: Bag<T>, options?: ReductionOptions): Delayed<number> {
  return reduceTree(bag as Bag<unknown>, {
    op: "count", token: [],
    part: (i) => bagTask("countPart", [partKey(bag, i)]),
    agg: (partials) => bagTask("sumAgg", [partials]),
    ...split(options),
  }, "value") as Delayed<number>;
}

export function sum<T>(bag: Bag<T>, options?: ReductionOptions): Delayed<number> {
  return reduceTree(bag as Bag<unknown>, {
    op: "sum", token: [],
    part: (i) => bagTask("sumPart", [partKey(bag, i), i]),
    agg: (partials) => bagTask("sumAgg", [partials]),
    ...split(options),
  }, "value") as Delayed<number>;
}

export function extreme<T>(bag: Bag<T>, which: "min" | "max", options?: ReductionOptions): Delayed<T> {
  const sign = which === "max" ? 1 : -1;
  return reduceTree(bag as Bag<unknown>, {
    op: which, token: [],
    part: (i) => bagTask("extremePart", [partKey(bag, i), sign]),
    agg: (partials, final) => bagTask("extremeAgg", [partials, final, sign]),
    ...split(options),
  }, "value") as Delayed<T>;
}

export function moments<T>(bag: Bag<T>, what: "mean" | "var" | "std", ddof: number, options?: ReductionOptions): Delayed<number> {
  if (typeof ddof !== "number" || !(ddof >= 0)) throw Errors.badOption(`${what}(ddof)`, ddof, "a number of at least 0");
  return reduceTree(bag as Bag<unknown>, {
    op: what, token: [ddof],
    part: (i) => bagTask("momentsPart", [partKey(bag, i), i, what]),
    agg: (partials, final) => bagTask("momentsAgg", [partials, final, what, ddof]),
    ...split(options),
  }, "value") as Delayed<number>;
}

export function frequencies<T>(bag: Bag<T>, sort: boolean, options?: ReductionOptions): Bag<[T, number]> {
  return reduceTree(bag as Bag<unknown>, {
    op: "frequencies", token: [sort],
    part: (i) => bagTask("frequenciesPart", [partKey(bag, i)]),
    agg: (partials, final) => bagTask("frequenciesAgg", [partials, final, sort]),
    ...split(options),
  }, "bag") as Bag<[T, number]>;
}

export function distinct<T>(bag: Bag<T>, key: unknown, options?: ReductionOptions): Bag<T> {
  const k = key === undefined ? undefined : keyArg(key, "distinct(key)");
  return reduceTree(bag as Bag<unknown>, {
    op: "distinct", token: [k?.token],
    part: (i) => bagTask("distinctPart", [partKey(bag, i), k?.arg]),
    agg: (partials, final) => bagTask("distinctAgg", [partials, final, k?.arg]),
    ...split(options),
  }, "bag") as Bag<T>;
}

export function topk<T>(bag: Bag<T>, k: number, key: unknown, options?: ReductionOptions): Bag<T> {
  checkCount("topk(k)", k, 0);
  const kk = key === undefined ? undefined : keyArg(key, "topk(k, key)");
  return reduceTree(bag as Bag<unknown>, {
    op: "topk", token: [k, kk?.token],
    part: (i) => bagTask("topkPart", [partKey(bag, i), k, kk?.arg]),
    agg: (partials, final) => bagTask("topkAgg", [partials, final, k, kk?.arg]),
    ...split(options),
  }, "bag") as Bag<T>;
}
