/**
 * GroupBy: what `ddf.groupBy(keys)` returns. agg reduces by tree (no
 * shuffle); apply and transform shuffle the rows so that each group is in
 * one partition, then call the user function once per group.
 */
import { Errors } from "../../../errors";
import type { DataFrame } from "../frame";
import { checkColumns } from "../verbs/columns";
import { agg, AggSpecInput } from "./agg";
import { apply, ApplyOptions, transform, TransformOptions } from "./apply";

export class GroupBy {
  /** @internal use ddf.groupBy(keys) */
  constructor(
    readonly frame: DataFrame,
    readonly keys: string[],
    readonly options: { sort?: boolean; dropna?: boolean },
  ) {
    if (!Array.isArray(keys) || keys.length === 0) throw Errors.badOption("groupBy(keys)", keys, "a column name or a non-empty array of them");
    checkColumns(frame, keys, "groupBy");
    if (options.dropna === false) throw Errors.badOption("groupBy option dropna", false, "true (rows with a missing key are left out; fill them first with fillna to keep them)");
  }

  /**
   * Aggregates per group by tree reduction. Functions: sum, mean, count,
   * min, max, std, var, size, prod, first, last, nunique. One function per
   * column names the result column after it; a list makes `${col}_${fn}`;
   * `{ out: { col, how } }` names it yourself. Keys come back as columns,
   * sorted (unless `sort: false`). `splitOut` spreads the groups over that
   * many output partitions.
   * @example await ddf.groupBy("name").agg({ x: "mean", y: "sum", id: "count" }).compute()
   * @example ddf.groupBy(["a", "b"]).agg({ x: ["min", "max"] }, { splitOut: 4 })
   */
  agg(spec: AggSpecInput, options: { splitOut?: number; splitEvery?: number } = {}): DataFrame {
    return agg(this, spec, options);
  }

  /** Sum of every other numeric column per group. @example await ddf.groupBy("name").sum().compute() */
  sum(): DataFrame { return this.every("sum"); }
  /** Mean of every other numeric column per group. @example await ddf.groupBy("name").mean().compute() */
  mean(): DataFrame { return this.every("mean"); }
  /** Minimum of every other numeric column per group. @example await ddf.groupBy("name").min().compute() */
  min(): DataFrame { return this.every("min"); }
  /** Maximum of every other numeric column per group. @example await ddf.groupBy("name").max().compute() */
  max(): DataFrame { return this.every("max"); }
  /** Standard deviation (ddof 1) of every other numeric column per group. @example await ddf.groupBy("name").std().compute() */
  std(): DataFrame { return this.every("std"); }
  /** Variance (ddof 1) of every other numeric column per group. @example await ddf.groupBy("name").var().compute() */
  var(): DataFrame { return this.every("var"); }
  /** Present values of every other column per group. @example await ddf.groupBy("name").count().compute() */
  count(): DataFrame { return this.every("count"); }
  /** Rows per group, as column "size". @example await ddf.groupBy("name").size().compute() */
  size(): DataFrame {
    return agg(this, { size: { col: this.keys[0]!, how: "size" } }, {});
  }

  private every(how: "sum" | "mean" | "min" | "max" | "std" | "var" | "count"): DataFrame {
    const numericOnly = how !== "count";
    const cols = this.frame.fields.filter((f) => !this.keys.includes(f.name) && (!numericOnly || ["float64", "int32", "int64", "bool", "timestamp"].includes(f.dtype)));
    return agg(this, Object.fromEntries(cols.map((f) => [f.name, how])), {});
  }

  /**
   * Calls `fn` once per group with a view of the group's rows (typed-array
   * columns: `g.x`, `g.col("x")`, `g.numRows`) and collects the results.
   * `meta` says what fn returns: `{ name, type }` for one value per group
   * (type "object" for any value, e.g. a fitted model), or `{ col: type, … }`
   * for records or columns. Without meta, it is inferred by running fn on
   * fake data, with a warning (as Dask). Needs a shuffle.
   * @example ddf.groupBy("name").apply(train, { meta: { name: "LinearRegression", type: "object" } })
   */
  apply(fn: Function, options: ApplyOptions = {}): DataFrame {
    return apply(this, fn, options);
  }

  /**
   * Calls `fn` per group and keeps one value per row: fn returns an array
   * (or columns) as long as the group. The result has the frame's rows in
   * their partitions and order (like-indexed, as Dask's), with the frame's
   * columns plus fn's.
   * @example ddf.groupBy("name").transform((g) => g.x.map((v) => v - mean(g.x)), { meta: { x_centered: "float64" } })
   */
  transform(fn: Function, options: TransformOptions): DataFrame {
    return transform(this, fn, options);
  }
}
