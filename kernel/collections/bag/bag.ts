/**
 * Bag: a lazy, partitioned collection of plain items (objects, strings,
 * numbers, arrays), as dask.bag — a parallel itertools for messy data such
 * as JSON records.
 *
 *   const people = db.readText("people-*.jsonl").map(JSON.parse);
 *   await people.filter((r) => r.age > 30).pluck("occupation").frequencies().topk(10, ([, n]) => n).compute();
 *
 * A bag is `npartitions` partitions, each an array of items, computed by
 * the tasks of its layered graph (keys [name, i]). Every method builds a
 * new bag or a Delayed and runs nothing; `compute()` runs it and returns
 * all items as one array. Methods delegate to one file per concern
 * (elementwise, reductions, group, reshape, output). User functions run on
 * worker threads: self-contained, or given their outside values with
 * `withCaptures(fn, { … })`; the sync scheduler runs real closures.
 */
import { DataFrameMeta, toDataFrame as toDataFrameImpl } from "./dataframe";
import type { DataFrame } from "../dataframe";
import { Key, LayeredGraph, keyLabel } from "../../graph";
import { Collection } from "../base";
import type { Delayed } from "../delayed";
import { infoTable } from "../repr";
import { UserFn } from "./build";
import * as arrow from "./arrow";
import * as elementwise from "./elementwise";
import * as group from "./group";
import * as output from "./output";
import * as reductions from "./reductions";
import * as reshape from "./reshape";
import type { PluckKey } from "./elementwise";
import type { ReductionOptions } from "./reductions";
import type { TakeOptions } from "./reshape";
import type { ToTextFilesOptions } from "./output";
import type { ArrowMeta } from "./arrow";
import type { ComputeOptions } from "../compute";

/** A key for grouping, counting or sorting: a function of the item, or a property name or index. */
export type KeyFn<T, K = unknown> = ((item: T) => K) | string | number;

export class Bag<T = unknown> extends Collection<T[]> {
  /** @internal bags are made by db.* and by other bags' methods. */
  constructor(
    /** The name of the layer whose tasks compute the partitions. */
    readonly name: string,
    readonly npartitions: number,
    private readonly g: LayeredGraph,
  ) {
    super();
  }

  graph(): LayeredGraph {
    return this.g;
  }

  keys(): Key[] {
    return Array.from({ length: this.npartitions }, (_, i) => [this.name, i] as Key);
  }

  finalize(results: unknown[]): T[] {
    return (results as T[][]).flat(1) as T[];
  }

  withGraph(graph: LayeredGraph): this {
    return new Bag<T>(this.name, this.npartitions, graph) as this;
  }

  // --- item-wise ---------------------------------------------------------

  /**
   * `fn` on every item. Extra arguments are passed after the item: another
   * bag with as many partitions is zipped item by item, a Delayed value is
   * computed once and passed to every call, anything else is passed as is.
   * @example db.range(5).map(function sqr(x) { return x ** 2; })
   * @example db.readText("people.jsonl").map(JSON.parse)
   * @example bag.map((x, k) => x * k, 3)
   */
  map<U>(fn: ((item: T, ...args: any[]) => U) | UserFn, ...args: unknown[]): Bag<U> {
    return elementwise.map<T, U>(this, "map", fn, args);
  }

  /**
   * `fn` on every item spread as arguments (items are arrays).
   * @example db.fromSequence([[1, 2], [3, 4]]).starmap((a, b) => a + b)  // [3, 7]
   */
  starmap<U>(fn: ((...args: any[]) => U) | UserFn, ...args: unknown[]): Bag<U> {
    return elementwise.map<T, U>(this, "starmap", fn, args);
  }

  /**
   * The items for which `predicate` is true.
   * @example db.range(10).filter(function even(x) { return x % 2 === 0; })
   */
  filter(predicate: ((item: T) => unknown) | UserFn): Bag<T> {
    return elementwise.filter(this, predicate, true);
  }

  /**
   * The items for which `predicate` is false.
   * @example db.range(10).remove((x) => x % 2 === 0)  // odd numbers
   */
  remove(predicate: ((item: T) => unknown) | UserFn): Bag<T> {
    return elementwise.filter(this, predicate, false);
  }

  /**
   * One property (or index) of every item; an array of keys gives an array
   * of values per item. A missing key fails unless a default is given. For
   * nested values, pluck twice (it fuses into one pass).
   * @example people.pluck("occupation")
   * @example people.pluck(["name", "age"])          // [[name, age], …]
   * @example people.pluck("address", {}).pluck("city", null)
   */
  pluck<K extends keyof T>(key: K & (string | number)): Bag<T[K]>;
  pluck<U = unknown>(key: PluckKey, defaultValue?: unknown): Bag<U>;
  pluck(key: PluckKey, ...defaultValue: unknown[]): Bag<unknown> {
    return elementwise.pluck(this, key, defaultValue);
  }

  /**
   * The items of every item, as one bag (items must be arrays or iterables).
   * @example db.fromSequence([[1, 2], [3]]).flatten()  // [1, 2, 3]
   */
  flatten<U = T extends Iterable<infer E> ? E : unknown>(): Bag<U> {
    return elementwise.flatten<T, U>(this);
  }

  /**
   * `fn` on each whole partition (an array); it returns an array or iterable.
   * @example bag.mapPartitions((part) => [part.length])   // items per partition
   */
  mapPartitions<U>(fn: ((partition: T[], ...args: any[]) => Iterable<U>) | UserFn, ...args: unknown[]): Bag<U> {
    return elementwise.mapPartitions<T, U>(this, fn, args);
  }

  // --- reductions ----------------------------------------------------------

  /**
   * A reduction in two steps: `perPartition` on each partition, `aggregate`
   * on the list of their results (at every level of the tree).
   * @example bag.reduction((p) => p.length, (counts) => counts.reduce((a, b) => a + b, 0))
   */
  reduction<P, R>(perPartition: ((partition: T[]) => P) | UserFn, aggregate: ((partials: P[]) => R) | UserFn, options?: ReductionOptions): Delayed<R> {
    return reductions.reduction<T, P, R>(this, perPartition, aggregate, options);
  }

  /**
   * Folds the items with `binop`, then the partitions' results with
   * `combine` (default: binop). `initial` starts each fold (it should be
   * neutral, e.g. 0 for a sum); without it, each fold starts from its first item.
   * @example db.range(5).fold((a, b) => a + b)                      // 10
   * @example bag.fold((n, x) => n + x.length, (a, b) => a + b, 0)
   */
  fold<R = T>(binop: ((acc: R, item: T) => R) | UserFn, combine?: ((a: R, b: R) => R) | UserFn, initial?: R, options?: ReductionOptions): Delayed<R> {
    return reductions.fold<T, R>(this, binop, combine, initial, options);
  }

  /**
   * The number of items.
   * @example await db.range(10).count().compute()  // 10
   */
  count(options?: ReductionOptions): Delayed<number> {
    return reductions.count(this, options);
  }

  /** @example await db.range(5).sum().compute()  // 10 */
  sum(options?: ReductionOptions): Delayed<number> {
    return reductions.sum(this, options);
  }

  /** The smallest item (an empty bag has none: an error). @example await db.range(5).min().compute()  // 0 */
  min(options?: ReductionOptions): Delayed<T> {
    return reductions.extreme(this, "min", options);
  }

  /** The largest item. @example await db.range(5).max().compute()  // 4 */
  max(options?: ReductionOptions): Delayed<T> {
    return reductions.extreme(this, "max", options);
  }

  /** The mean of numeric items (NaN when empty). @example await db.range(5).mean().compute()  // 2 */
  mean(options?: ReductionOptions): Delayed<number> {
    return reductions.moments(this, "mean", 0, options);
  }

  /** The variance, dividing by n - ddof (default 0, as Dask). @example await db.range(5).var().compute()  // 2 */
  var(ddof = 0, options?: ReductionOptions): Delayed<number> {
    return reductions.moments(this, "var", ddof, options);
  }

  /** The standard deviation, dividing by n - ddof. @example await bag.std(1).compute() */
  std(ddof = 0, options?: ReductionOptions): Delayed<number> {
    return reductions.moments(this, "std", ddof, options);
  }

  /**
   * [item, count] pairs, one per distinct item (a bag of one partition);
   * `sort: true` puts the most frequent first.
   * @example people.pluck("occupation").frequencies({ sort: true })
   */
  frequencies(options: { sort?: boolean } & ReductionOptions = {}): Bag<[T, number]> {
    return reductions.frequencies(this, options.sort ?? false, options);
  }

  /**
   * Items without repeats (by `key` when given), first occurrence kept.
   * @example db.fromSequence(["a", "b", "a"]).distinct()  // ["a", "b"]
   */
  distinct(key?: KeyFn<T>, options?: ReductionOptions): Bag<T> {
    return reductions.distinct(this, key, options);
  }

  /**
   * The k largest items, largest first, by `key` (a function, or a property
   * name or index; default: the item). Ties keep their order.
   * @example freqs.topk(10, ([, n]) => n)
   * @example freqs.topk(10, 1)
   */
  topk(k: number, key?: KeyFn<T>, options?: ReductionOptions): Bag<T> {
    return reductions.topk(this, k, key, options);
  }

  // --- grouping ------------------------------------------------------------

  /**
   * A fold per key: [key, value] pairs (a bag of one partition). Faster than
   * groupBy: items never leave their partition.
   * @example people.foldBy("city", (n, _r) => n + 1, 0, (a, b) => a + b)   // people per city
   */
  foldBy<K, A>(
    key: KeyFn<T, K>, binop: ((acc: A, item: T) => A) | UserFn, initial?: A,
    combine?: ((a: A, b: A) => A) | UserFn, combineInitial?: A, options?: ReductionOptions,
  ): Bag<[K, A]> {
    return group.foldBy<T, K, A>(this, key, binop, initial, combine, combineInitial, options);
  }

  /**
   * [key, items] pairs, one per key. A shuffle: every item moves through
   * the store to its key's partition, so it is much slower than foldBy —
   * use it when you need the groups themselves.
   * @example people.groupBy("city").map(([city, rs]) => [city, rs.length])
   */
  groupBy<K>(key: KeyFn<T, K>, options: { npartitions?: number } = {}): Bag<[K, T[]]> {
    return group.groupBy<T, K>(this, key, options.npartitions);
  }

  /**
   * [otherItem, item] for each pair whose keys match (an inner join) against
   * a small collection: an array, a Delayed array or a bag of one partition.
   * @example orders.join(customers, "customerId", "id")
   */
  join<O>(other: readonly O[] | Bag<O> | Delayed<O[]>, onSelf: KeyFn<T>, onOther?: KeyFn<O>): Bag<[O, T]> {
    return group.join<T, O>(this, other, onSelf, onOther);
  }

  // --- shape ----------------------------------------------------------------

  /**
   * The same items in `npartitions` partitions (consecutive runs joined, or partitions cut).
   * @example bag.repartition(1)
   */
  repartition(npartitions: number): Bag<T> {
    return reshape.repartition(this, npartitions);
  }

  /**
   * The first n items, computed from the first partition only (or the first
   * `npartitions`; -1 for all).
   * @example await db.readText("people.jsonl").map(JSON.parse).take(2)
   */
  take(n: number, options?: TakeOptions): Promise<T[]> {
    return reshape.take(this, n, options);
  }

  // --- output --------------------------------------------------------------

  /**
   * Writes one text file per partition, one item (a string) per line; "*"
   * in the pattern becomes the partition number. Resolves with the file names.
   * @example await people.map(JSON.stringify).toTextFiles("out/part-*.jsonl.gz")
   */
  toTextFiles(pattern: string, options?: ToTextFilesOptions): Promise<string[]> {
    return output.toTextFiles(this, pattern, options);
  }

  /**
   * The records as one Arrow Table, each partition converted to a record
   * batch in a worker. Column types come from `meta`, or from each column's
   * first non-null value. (Bag.toDataFrame will build on it.)
   * @example const table = await people.toArrow({ name: "utf8", age: "float64" })
   */
  toArrow(meta?: ArrowMeta, options?: ComputeOptions): Promise<import("apache-arrow").Table> {
    return arrow.toArrow(this, meta, options);
  }

  /**
   * One Delayed per partition (its value: the partition's array of items).
   * @example const parts = bag.toDelayed(); await parts[0].compute()
   */
  toDelayed(): Delayed<T[]>[] {
    return output.toDelayed(this);
  }
  /**
   * The bag as a DataFrame, one partition per bag partition, converted in the
   * workers. Items must be records; without `meta` the columns and their types
   * are inferred from the first items (a small computation, as in Dask).
   * @example const ddf = await people.toDataFrame({ name: "string", age: "float64" })
   * @example const ddf = await db.readText("people-*.jsonl").map(JSON.parse).toDataFrame()
   */
  toDataFrame(meta?: DataFrameMeta): Promise<DataFrame> {
    return toDataFrameImpl(this, meta);
  }


  // --- display ---------------------------------------------------------------

  reprText(): string {
    const layers = this.g.layers.size;
    return `Bag<${keyLabel(this.name)}, npartitions=${this.npartitions}, layers=${layers}>`;
  }

  override reprHtml(): string {
    return infoTable("Bag", [
      ["name", this.name],
      ["npartitions", String(this.npartitions)],
      ["layers", String(this.g.layers.size)],
      ["tasks", String(this.g.taskCount)],
    ]);
  }

  override toString(): string {
    return this.reprText();
  }
}
