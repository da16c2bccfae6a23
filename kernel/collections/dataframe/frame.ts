/**
 * DataFrame: a lazy table cut into partitions along its rows, each
 * partition an Arrow-layout table computed by a task (Dask's DataFrame,
 * with Arrow tables instead of pandas frames; Arrow has no index, so keys
 * and group labels are ordinary columns).
 *
 * It knows, without computing anything: its columns and their types, its
 * number of partitions, its divisions (the first value of its sorted index
 * column in each partition, plus the last value; null when unknown), and
 * the graph that computes it. Methods only delegate to verbs/ and carry
 * the documentation.
 */
import { Key, LayeredGraph } from "../../graph";
import { Collection } from "../base";
import type { ComputeOptions } from "../compute";
import { DType, Field, concatParts, Part } from "./chunk";
import { Divisions, FrameMeta, Input } from "./layers";
import { tableResult, TableResult } from "./result";
import { frameHtml, frameText } from "./repr";
import type { Series } from "./series";
import type { Scalar } from "./scalar";
import * as columns from "./verbs/columns";
import * as rows from "./verbs/rows";
import * as reduce from "./verbs/reduce";
import * as parts from "./verbs/partitions";
import * as order from "./verbs/order";
import * as merge from "./verbs/merge";
import * as output from "./verbs/output";
import { GroupBy } from "./groupby/groupby";

export class DataFrame extends Collection<TableResult> implements Input {
  /** @internal built by dd.readCsv, dd.fromArrow, … and by the methods below */
  constructor(
    /** The name of the layer whose tasks make the partitions. */
    readonly name: string,
    private readonly g: LayeredGraph,
    readonly meta: FrameMeta,
    /** The column the frame is sorted by (setIndex), when it is. */
    readonly index?: string,
  ) {
    super();
  }

  graph(): LayeredGraph {
    return this.g;
  }
  keys(): Key[] {
    return Array.from({ length: this.meta.npartitions }, (_, i) => [this.name, i] as Key);
  }
  finalize(results: unknown[]): TableResult {
    return tableResult(concatParts(results as Part[], this.meta.fields));
  }
  withGraph(graph: LayeredGraph): this {
    return new DataFrame(this.name, graph, this.meta, this.index) as this;
  }

  /** Number of partitions. @example dd.readCsv("big.csv", { blocksize: 25e6 }).npartitions */
  get npartitions(): number {
    return this.meta.npartitions;
  }
  /** Divisions along the index (npartitions + 1 values), or null when unknown. @example (await ddf.setIndex("x")).divisions */
  get divisions(): Divisions | null {
    return this.meta.divisions;
  }
  /** Column names, in order. @example ddf.columns // ["id", "name", "x", "y"] */
  get columns(): string[] {
    return this.meta.fields.map((f) => f.name);
  }
  /** Column types by name. @example ddf.dtypes.x // "float64" */
  get dtypes(): Record<string, DType> {
    return Object.fromEntries(this.meta.fields.map((f) => [f.name, f.dtype]));
  }
  /** The schema: names and types. @example ddf.fields[0] // { name: "id", dtype: "int32" } */
  get fields(): readonly Field[] {
    return this.meta.fields;
  }

  /** A column as a lazy Series. @example ddf.col("x").gt(50) */
  col(name: string): Series {
    return columns.col(this, name);
  }
  /** Only these columns. @example ddf.select(["name", "x"]) */
  select(names: string[]): DataFrame {
    return columns.select(this, names);
  }
  /** Without these columns. @example ddf.drop(["timestamp"]) */
  drop(names: string[]): DataFrame {
    return columns.drop(this, names);
  }
  /** Columns renamed. @example ddf.rename({ x: "x_m" }) */
  rename(mapping: Record<string, string>): DataFrame {
    return columns.rename(this, mapping);
  }
  /** Columns added or replaced from Series of this frame or literals. @example ddf.assign({ z: ddf.col("x").mul(2) }) */
  assign(values: Record<string, Series | number | string | boolean>): DataFrame {
    return columns.assign(this, values);
  }
  /** Columns converted to other types. @example ddf.astype({ id: "float64" }) */
  astype(types: Record<string, string>): DataFrame {
    return columns.astype(this, types);
  }
  /** Rows where the mask (a bool Series of this frame) is true. @example ddf.filter(ddf.col("x").gt(0)) */
  filter(mask: Series): DataFrame {
    return rows.filter(this, mask);
  }
  /** Rows without missing values (in `subset`, or anywhere). @example ddf.dropna({ subset: ["x"] }) */
  dropna(options: { subset?: string[]; how?: "any" | "all" } = {}): DataFrame {
    return rows.dropna(this, options);
  }
  /** Missing values replaced, everywhere or per column. @example ddf.fillna({ x: 0, name: "?" }) */
  fillna(value: number | string | boolean | Record<string, number | string | boolean>): DataFrame {
    return rows.fillna(this, value);
  }
  /** A bool frame: true where a value is missing. @example await ddf.isna().sum().compute() */
  isna(): DataFrame {
    return rows.isna(this);
  }
  /** The first n rows, reading only the partitions needed. @example await ddf.head(5) */
  head(n = 5, options?: ComputeOptions): Promise<TableResult> {
    return rows.head(this, n, options);
  }
  /** The last n rows, reading only the last partitions. @example await ddf.tail(5) */
  tail(n = 5, options?: ComputeOptions): Promise<TableResult> {
    return rows.tail(this, n, options);
  }
  /** The number of rows, lazily (Dask's len(df)). @example await ddf.numRows().compute() */
  numRows(): Scalar<number> {
    return reduce.numRows(this);
  }

  /** Per-column sums (numeric columns), as one record. @example await ddf.sum().compute() */
  sum(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "sum");
  }
  /** Per-column means. @example await ddf.mean().compute() */
  mean(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "mean");
  }
  /** Per-column minimums. @example await ddf.min().compute() */
  min(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "min");
  }
  /** Per-column maximums. @example await ddf.max().compute() */
  max(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "max");
  }
  /** Per-column standard deviations (ddof 1). @example await ddf.std().compute() */
  std(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "std");
  }
  /** Per-column variances (ddof 1). @example await ddf.var().compute() */
  var(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "var");
  }
  /** Per-column counts of present values (all columns). @example await ddf.count().compute() */
  count(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "count");
  }
  /** Per-column numbers of distinct values. @example await ddf.nunique().compute() */
  nunique(): Scalar<Record<string, number>> {
    return reduce.columnsReduce(this, "nunique");
  }
  /** count, mean, std, min, quartiles (from a sample) and max of the numeric columns. @example await ddf.describe().compute() */
  describe(): Scalar<TableResult> {
    return reduce.describe(this);
  }
  /** Bytes held by each column (as pandas' memory_usage). @example await ddf.memoryUsage().compute() */
  memoryUsage(): Scalar<Record<string, number>> {
    return reduce.memoryUsage(this);
  }
  /** A summary like pandas' info(): rows, columns, types, non-missing counts, memory. Computes. @example console.log(await ddf.info()) */
  info(options?: ComputeOptions): Promise<reduce.Info> {
    return reduce.info(this, options);
  }

  /** Groups by key columns, for agg, apply and transform. @example ddf.groupBy("name").agg({ x: "mean" }) */
  groupBy(keys: string | string[], options: { sort?: boolean; dropna?: boolean } = {}): GroupBy {
    return new GroupBy(this, typeof keys === "string" ? [keys] : keys, options);
  }
  /** A database-style join. @example a.merge(b, { on: "id", how: "left" }) */
  merge(right: DataFrame, options: merge.MergeOptions): DataFrame {
    return merge.merge(this, right, options);
  }
  /** Joins on this frame's index column and `right`'s column of the same name (or `on`). @example a.join(b, { on: "id" }) */
  join(right: DataFrame, options: Partial<merge.MergeOptions> = {}): DataFrame {
    return merge.join(this, right, options);
  }
  /** Sorted by a column that becomes the index, with divisions from sampled quantiles (computes the sample). @example const s = await ddf.setIndex("x") */
  setIndex(col: string, options: order.SortOptions = {}): Promise<DataFrame> {
    return order.setIndex(this, col, options);
  }
  /** Sorted by a column (computes a sample for the divisions). @example const s = await ddf.sortValues("x", { ascending: false }) */
  sortValues(col: string, options: order.SortOptions = {}): Promise<DataFrame> {
    return order.sortValues(this, col, options);
  }
  /** Rows whose index value is in [lo, hi], reading only the partitions the divisions allow. @example s.loc(10, 20) */
  loc(lo: number | string | null, hi: number | string | null): DataFrame {
    return order.loc(this, lo, hi);
  }

  /** A function of each partition (a view with typed-array columns) returning columns or records. @example ddf.mapPartitions((p) => ({ z: p.x.map((v) => v * 2) }), { meta: { z: "float64" } }) */
  mapPartitions(fn: Function, options: parts.MapOptions = {}): DataFrame {
    return parts.mapPartitions(this, fn, options);
  }
  /**
   * Fewer or more partitions: neighbours merged, or partitions sliced. With
   * `partitionSize`, the sizes are computed first (so it resolves later).
   * @example ddf.repartition({ npartitions: 4 })
   * @example await ddf.repartition({ partitionSize: "100MB" })
   */
  repartition(options: { npartitions: number }): DataFrame;
  repartition(options: { partitionSize: number | string }): Promise<DataFrame>;
  repartition(options: { npartitions: number } | { partitionSize: number | string }): DataFrame | Promise<DataFrame> {
    return parts.repartition(this, options);
  }
  /** Writes one CSV file per partition; `*` in the pattern is the partition number. @example await ddf.toCsv("out/part-*.csv") */
  toCsv(pattern: string, options: { sep?: string } & ComputeOptions = {}): Promise<string[]> {
    return output.toCsv(this, pattern, options);
  }
  /** Writes one Parquet file per partition into a folder. @example await ddf.toParquet("out/") */
  toParquet(dir: string, options: ComputeOptions = {}): Promise<string[]> {
    return output.toParquet(this, dir, options);
  }

  override toString(): string {
    return `DataFrame(${this.name}, npartitions=${this.npartitions})`;
  }
  reprText(): string {
    return frameText(this);
  }
  override reprHtml(): string {
    return frameHtml(this);
  }
}
