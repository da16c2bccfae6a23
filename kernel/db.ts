/**
 * `db`, the bag namespace, as Dask's `dask.bag`: the ways to make a bag.
 * It lives at the top of kernel/ because it joins two layers that do not
 * import each other: collections (the Bag) and io (reading files).
 *
 *   import { db } from "tessera";
 *   const b = db.fromSequence([[1, 2], {}, [3, 4, 5], "python"]);
 *   await b.take(2);                                  // [[1, 2], {}]
 */
import { Bag, concat, fromDelayed, fromSequence, layerBag, range, sample, withCaptures } from "./collections/bag";
import type { SampleOptions } from "./collections/bag";
import { ReadTextOptions, planText } from "./io/text";

/**
 * A bag of the lines of text files (without line endings), one partition per
 * block of `blocksize` bytes (default 16 MiB), cut on line boundaries;
 * gzip files (.gz) are read whole. Reading happens in the workers.
 * @example db.readText("data/people-*.jsonl").map(JSON.parse)
 * @example db.readText(["a.txt", "b.txt.gz"], { blocksize: null })
 */
function readText(path: string | readonly string[], options?: ReadTextOptions): Bag<string> {
  const plan = planText(path, options);
  return layerBag<string>(plan.name, "read-text", plan.blocks.length, [], plan.taskFor);
}

export const db = {
  /**
   * A bag of the given items, cut into partitions (default: up to 100).
   * @example db.fromSequence([[1, 2], {}, [3, 4, 5], "python"])
   * @example db.fromSequence(records, { npartitions: 8 })
   */
  fromSequence,
  /** Integers 0 … n-1. @example db.range(1000, { npartitions: 4 }).sum() */
  range,
  readText,
  /** One partition per Delayed value (each an array of items). @example db.fromDelayed(files.map(load)) */
  fromDelayed,
  /** The partitions of several bags, one after the other. @example db.concat([a, b]) */
  concat,
  /** A function with the outside values it reads, for worker threads. @example bag.map(db.withCaptures((x) => x * k, { k })) */
  withCaptures,
  random: {
    /** k distinct items drawn uniformly (a bag of one partition). @example db.random.sample(bag, 5, { seed: 1 }) */
    sample<T>(bag: Bag<T>, k: number, options?: SampleOptions): Bag<T> {
      return sample(bag, k, false, options);
    },
    /** k items drawn uniformly with replacement. @example db.random.choices(bag, 5) */
    choices<T>(bag: Bag<T>, k: number, options?: SampleOptions): Bag<T> {
      return sample(bag, k, true, options);
    },
  },
};
