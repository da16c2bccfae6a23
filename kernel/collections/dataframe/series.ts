/**
 * Series: one lazy column, as an expression over a DataFrame's partitions
 * (Polars' and Arrow's column expressions). `ddf.col("x").mul(2).gt(50)` is
 * one expression tree, typed as it is built and evaluated in one task per
 * partition; nothing runs until compute (or until a frame filters, assigns
 * or reduces with it).
 *
 * Series combine only with Series of the same frame (same partitions), and
 * with literals.
 */
import { Key, LayeredGraph } from "../../graph";
import { Errors } from "../../errors";
import { Collection } from "../base";
import type { ComputeOptions } from "../compute";
import { BinaryFn, concatParts, exprColumns, DType, DtFn, dtypeOf, DTYPE_NAMES, Expr, exprType, Literal, Part, StrFn, UnaryFn } from "./chunk";
import type { DataFrame } from "./frame";
import { partitionwise } from "./layers";
import { seriesResult, SeriesResult, TableResult } from "./result";
import type { Scalar } from "./scalar";
import * as reduce from "./verbs/reduce";
import { escapeHtml, infoTable } from "../repr";

export type SeriesLike = Series | Literal | Date;

export class Series extends Collection<SeriesResult> {
  private built: { name: string; graph: LayeredGraph } | undefined;

  /** @internal use ddf.col(name) */
  constructor(
    readonly frame: DataFrame,
    readonly expr: Expr,
    /** The column's name in results. */
    readonly name: string,
    readonly dtype: DType,
    private readonly persisted?: LayeredGraph,
  ) {
    super();
  }

  private layer(): { name: string; graph: LayeredGraph } {
    return (this.built ??= partitionwise("series", [this.frame], "dataframe.series", () => [this.expr, this.name], { ...this.frame.meta, fields: [{ name: this.name, dtype: this.dtype }] }, [this.expr, this.name], { fixed: [...exprColumns(this.expr)] }));
  }
  graph(): LayeredGraph {
    return this.persisted ?? this.layer().graph;
  }
  keys(): Key[] {
    const name = this.layer().name;
    return Array.from({ length: this.frame.npartitions }, (_, i) => [name, i] as Key);
  }
  finalize(results: unknown[]): SeriesResult {
    return seriesResult(concatParts(results as Part[], [{ name: this.name, dtype: this.dtype }]));
  }
  withGraph(graph: LayeredGraph): this {
    return new Series(this.frame, this.expr, this.name, this.dtype, graph) as this;
  }
  /** This Series as a one-column DataFrame. @example ddf.col("x").toFrame() */
  toFrame(): DataFrame {
    return this.frame.assign({ [this.name]: this }).select([this.name]);
  }
  /** The same values under another name. @example ddf.col("x").mul(2).rename("x2") */
  rename(name: string): Series {
    return new Series(this.frame, this.expr, name, this.dtype);
  }

  private bin(fn: BinaryFn, other: SeriesLike): Series {
    let b: Expr;
    if (other instanceof Series) {
      if (other.frame.name !== this.frame.name) {
        throw Errors.badInput(`cannot combine Series "${this.name}" and "${other.name}": they come from different DataFrames (partitions are not aligned); use columns of one frame, e.g. ddf.col("a").${fn}(ddf.col("b")), or merge the frames first`);
      }
      b = other.expr;
    } else if (other instanceof Date) b = { op: "lit", value: other.getTime() }; // timestamps are milliseconds
    else if (other === null || ["number", "string", "boolean"].includes(typeof other)) b = { op: "lit", value: other as Literal };
    else throw Errors.badOption(`Series.${fn}(other)`, other, "a Series of the same frame, a number, a string, a boolean, a Date or null");
    const e: Expr = { op: "bin", fn, a: this.expr, b };
    return new Series(this.frame, e, this.name, exprType(e, this.frame.meta.fields));
  }
  private un(fn: UnaryFn): Series {
    const e: Expr = { op: "un", fn, a: this.expr };
    return new Series(this.frame, e, this.name, exprType(e, this.frame.meta.fields));
  }
  /** @internal a Series of another expression over the same frame @example ddf.col("x").derive(0) */
  derive(e: Expr, name = this.name): Series {
    return new Series(this.frame, e, name, exprType(e, this.frame.meta.fields));
  }

  /** this + other. @example ddf.col("x").add(1) */
  add(other: SeriesLike): Series { return this.bin("add", other); }
  /** this - other. @example ddf.col("x").sub(ddf.col("y")) */
  sub(other: SeriesLike): Series { return this.bin("sub", other); }
  /** this * other. @example ddf.col("x").mul(2) */
  mul(other: SeriesLike): Series { return this.bin("mul", other); }
  /** this / other (float). @example ddf.col("x").div(ddf.col("y")) */
  div(other: SeriesLike): Series { return this.bin("div", other); }
  /** this modulo other (the sign of other, as Python's %). @example ddf.col("x").mod(ddf.col("y")) */
  mod(other: SeriesLike): Series { return this.bin("mod", other); }
  /** this ** other. @example ddf.col("x").pow(ddf.col("y")) */
  pow(other: SeriesLike): Series { return this.bin("pow", other); }
  /** floor(this / other). @example ddf.col("x").floordiv(ddf.col("y")) */
  floordiv(other: SeriesLike): Series { return this.bin("floordiv", other); }
  /** this > other (missing: false). @example ddf.col("x").gt(50) */
  gt(other: SeriesLike): Series { return this.bin("gt", other); }
  /** this >= other. @example ddf.col("x").ge(ddf.col("y")) */
  ge(other: SeriesLike): Series { return this.bin("ge", other); }
  /** this < other. @example ddf.col("x").lt(ddf.col("y")) */
  lt(other: SeriesLike): Series { return this.bin("lt", other); }
  /** this <= other. @example ddf.col("x").le(ddf.col("y")) */
  le(other: SeriesLike): Series { return this.bin("le", other); }
  /** this == other. @example ddf.col("name").eq("Alice") */
  eq(other: SeriesLike): Series { return this.bin("eq", other); }
  /** this != other. @example ddf.col("x").ne(ddf.col("y")) */
  ne(other: SeriesLike): Series { return this.bin("ne", other); }
  /** Both true. @example ddf.col("x").gt(0).and(ddf.col("y").lt(5)) */
  and(other: Series): Series { return this.bin("and", other); }
  /** Either true. @example ddf.col("x").gt(0).or(ddf.col("y").lt(5)) */
  or(other: Series): Series { return this.bin("or", other); }
  /** Logical not. @example ddf.col("x").gt(0).not() */
  not(): Series { return this.un("not"); }
  /** -this. @example ddf.col("x").neg() */
  neg(): Series { return this.un("neg"); }
  /** |this|. @example ddf.col("x").abs() */
  abs(): Series { return this.un("abs"); }
  /** Square root. @example ddf.col("x").sqrt() */
  sqrt(): Series { return this.un("sqrt"); }
  /** Natural logarithm. @example ddf.col("x").log() */
  log(): Series { return this.un("log"); }
  /** e ** this. @example ddf.col("x").exp() */
  exp(): Series { return this.un("exp"); }
  /** Rounded to the nearest integer. @example ddf.col("x").round() */
  round(): Series { return this.un("round"); }
  /** True where missing. @example ddf.col("x").isna().sum() */
  isna(): Series { return this.un("isna"); }
  /** True where present. @example ddf.col("x").notna() */
  notna(): Series { return this.un("notna"); }
  /** Missing values replaced. @example ddf.col("x").fillna(0) */
  fillna(value: SeriesLike): Series {
    const b: Expr = value instanceof Series ? value.expr : { op: "lit", value: value instanceof Date ? value.getTime() : value };
    return this.derive({ op: "fillna", a: this.expr, b });
  }
  /** True where the value is one of `values`. @example ddf.col("name").isin(["a", "b"]) */
  isin(values: Literal[]): Series { return this.derive({ op: "isin", a: this.expr, values }); }
  /** Converted to another type. @example ddf.col("id").astype("float64") */
  astype(type: string): Series {
    const to = dtypeOf(type);
    if (to === undefined) throw Errors.badOption("astype(type)", type, `one of ${DTYPE_NAMES.join(", ")}`);
    return this.derive({ op: "cast", to, a: this.expr });
  }

  /** String methods: lower, upper, strip, len, contains, startsWith, endsWith. @example ddf.col("name").str.lower() */
  get str(): { lower(): Series; upper(): Series; strip(): Series; len(): Series; contains(s: string): Series; startsWith(s: string): Series; endsWith(s: string): Series } {
    const s = (fn: StrFn, arg?: string) => this.derive(arg === undefined ? { op: "str", fn, a: this.expr } : { op: "str", fn, a: this.expr, arg });
    return { lower: () => s("lower"), upper: () => s("upper"), strip: () => s("strip"), len: () => s("len"), contains: (x) => s("contains", String(x)), startsWith: (x) => s("startsWith", String(x)), endsWith: (x) => s("endsWith", String(x)) };
  }
  /** Date and time fields of a timestamp Series (UTC): year, month, day, hour, minute, second, dayofweek (Monday 0), dayofyear, date. @example ddf.col("t").dt.hour() */
  get dt(): Record<DtFn, () => Series> {
    const f = (fn: DtFn) => () => this.derive({ op: "dt", fn, a: this.expr });
    return { year: f("year"), month: f("month"), day: f("day"), hour: f("hour"), minute: f("minute"), second: f("second"), dayofweek: f("dayofweek"), dayofyear: f("dayofyear"), date: f("date") };
  }

  /** Sum of present values. @example await ddf.col("y").sum().compute() */
  sum(): Scalar<number> { return reduce.seriesReduce(this, "sum") as Scalar<number>; }
  /** Mean of present values. @example await ddf.col("y").mean().compute() */
  mean(): Scalar<number> { return reduce.seriesReduce(this, "mean") as Scalar<number>; }
  /** Number of present values. @example ddf.col("x").count() */
  count(): Scalar<number> { return reduce.seriesReduce(this, "count") as Scalar<number>; }
  /** Smallest value. @example ddf.col("x").min() */
  min(): Scalar<number> { return reduce.seriesReduce(this, "min") as Scalar<number>; }
  /** Largest value. @example ddf.col("x").max() */
  max(): Scalar<number> { return reduce.seriesReduce(this, "max") as Scalar<number>; }
  /** Standard deviation (ddof 1, as pandas). @example ddf.col("x").std(0) */
  std(ddof = 1): Scalar<number> { return reduce.seriesReduce(this, "std", ddof) as Scalar<number>; }
  /** Variance (ddof 1). @example ddf.col("x").var(0) */
  var(ddof = 1): Scalar<number> { return reduce.seriesReduce(this, "var", ddof) as Scalar<number>; }
  /** Product of present values. @example ddf.col("x").prod() */
  prod(): Scalar<number> { return reduce.seriesReduce(this, "prod") as Scalar<number>; }
  /** Number of distinct present values. @example await ddf.col("name").nunique().compute() */
  nunique(): Scalar<number> { return reduce.seriesReduce(this, "nunique") as Scalar<number>; }
  /** The distinct values, sorted (missing values left out). @example await ddf.col("name").unique().compute() */
  unique(): Series { return reduce.unique(this); }
  /** Each distinct value and how often it occurs, most frequent first. @example await ddf.col("name").valueCounts().compute() */
  valueCounts(): DataFrame { return reduce.valueCounts(this); }
  /** The first n values. @example await ddf.col("x").head(3) */
  async head(n = 5, options?: ComputeOptions): Promise<TableResult> { return this.toFrame().head(n, options); }

  reprText(): string {
    return `Series "${this.name}" (${this.dtype}) of ${this.frame.name}: npartitions=${this.frame.npartitions}`;
  }
  override reprHtml(): string {
    return infoTable(`Tessera Series "${escapeHtml(this.name)}"`, [["dtype", this.dtype], ["npartitions", String(this.frame.npartitions)], ["frame", this.frame.name]]);
  }
}

