/**
 * Making bags: from items in memory, from a range of integers, from Delayed
 * values (one partition each), and by concatenating bags.
 */
import { Errors } from "../../errors";
import { parseKey, ref } from "../../graph";
import { Collection } from "../base";
import { Delayed } from "../delayed";
import type { Bag } from "./bag";
import { bagTask, checkCount, newBag, partKey } from "./build";

export interface PartitionOptions {
  /** Number of partitions. */
  npartitions?: number;
  /** Items per partition (instead of npartitions). */
  partitionSize?: number;
}

/** Partitions by default: one item each up to 100 items, then 100 partitions (as Dask's from_sequence, capped). */
const DEFAULT_PARTITIONS = 100;

function partitionCount(n: number, options: PartitionOptions, fn: string): number {
  if (typeof options !== "object" || options === null) throw Errors.badOption(`${fn} options`, options, "an options object { npartitions } or { partitionSize }");
  const { npartitions, partitionSize } = options;
  if (npartitions !== undefined && partitionSize !== undefined) {
    throw Errors.badOption(`${fn} options`, options, "either npartitions or partitionSize, not both");
  }
  if (npartitions !== undefined) return checkCount(`${fn}: npartitions`, npartitions, 1);
  if (partitionSize !== undefined) return Math.max(1, Math.ceil(n / checkCount(`${fn}: partitionSize`, partitionSize, 1)));
  return Math.max(1, Math.min(n, DEFAULT_PARTITIONS));
}

/** Bounds of partition i of n items cut into p nearly equal consecutive runs. */
function bounds(n: number, p: number, i: number): [number, number] {
  return [Math.floor((i * n) / p), Math.floor(((i + 1) * n) / p)];
}

export function fromSequence<T>(items: Iterable<T>, options: PartitionOptions = {}): Bag<T> {
  if (items === null || items === undefined || typeof (items as Iterable<T>)[Symbol.iterator] !== "function" || typeof items === "string") {
    throw Errors.badOption("db.fromSequence(items)", items, "an array or another iterable of items");
  }
  const all = Array.from(items);
  const p = partitionCount(all.length, options, "db.fromSequence");
  const parts = Array.from({ length: p }, (_, i) => all.slice(...bounds(all.length, p, i)));
  return newBag<T>("from-sequence", [parts], p, [], (i) => bagTask("items", [parts[i], "a partition"]));
}

export function range(n: number, options: PartitionOptions = {}): Bag<number> {
  checkCount("db.range(n)", n, 0);
  const p = partitionCount(n, options, "db.range");
  return newBag<number>("range", [n, p], p, [], (i) => bagTask("range", bounds(n, p, i)));
}

export function fromDelayed<T>(values: readonly Delayed<Iterable<T>>[] | Delayed<Iterable<T>>): Bag<T> {
  const list = values instanceof Delayed ? [values] : values;
  if (!Array.isArray(list) || list.length === 0 || !list.every((d) => d instanceof Delayed)) {
    throw Errors.badOption("db.fromDelayed(values)", values, "a non-empty array of Delayed values, each an array of items");
  }
  return newBag<T>("from-delayed", list.map((d) => d.key), list.length, list as Collection<unknown>[], (i) =>
    bagTask("items", [ref(parseKey(list[i]!.key)), `the value of delayed ${list[i]!.key} (partition ${i})`]),
  );
}

export function concat<T>(bags: readonly Bag<T>[]): Bag<T> {
  if (!Array.isArray(bags) || bags.length === 0) throw Errors.badOption("db.concat(bags)", bags, "a non-empty array of bags");
  const sources: [Bag<T>, number][] = bags.flatMap((b) => Array.from({ length: b.npartitions }, (_, i) => [b, i] as [Bag<T>, number]));
  return newBag<T>("concat", bags.map((b) => b.name), sources.length, bags, (o) => {
    const [b, i] = sources[o]!;
    return bagTask("concat", [[partKey(b, i)]]);
  });
}
