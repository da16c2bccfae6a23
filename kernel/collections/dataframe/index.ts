/**
 * `dd`: Tessera's DataFrame namespace, as dask.dataframe.
 *
 *   import { dd } from "tessera";
 *   const ddf = dd.readCsv("large_file.csv", { blocksize: 25e6 });
 *   await ddf.groupBy("name").agg({ x: "mean", y: "sum" }).compute();
 */
import { Errors } from "../../errors";
import { DataFrame } from "./frame";
import { fromArray, fromArrow, fromDelayed, fromRecords, readCsv, readParquet } from "./io";
import { Series } from "./series";
import { concat } from "./verbs/concat";
import "./prune";

/**
 * Strings (ISO 8601) or numbers (milliseconds, or seconds with unit "s")
 * as timestamps, lazily; then `.dt.year()` and friends work.
 * @example ddf.assign({ t: dd.toDatetime(ddf.col("timestamp")) })
 */
function toDatetime(s: Series, options: { unit?: "ms" | "s" } = {}): Series {
  if (!(s instanceof Series)) throw Errors.badOption("toDatetime(series)", s, 'a Series, e.g. dd.toDatetime(ddf.col("timestamp"))');
  if (options.unit !== undefined && options.unit !== "ms" && options.unit !== "s") throw Errors.badOption("toDatetime option unit", options.unit, '"ms" or "s"');
  return s.derive(options.unit === undefined ? { op: "todatetime", a: s.expr } : { op: "todatetime", a: s.expr, unit: options.unit });
}

export const dd = { readCsv, readParquet, fromArrow, fromRecords, fromArray, fromDelayed, concat, toDatetime, DataFrame, Series } as const;

export { DataFrame } from "./frame";
export { Series } from "./series";
export { Scalar } from "./scalar";
export { GroupBy } from "./groupby/groupby";
export { TableResult, SeriesResult } from "./result";
export { PartView } from "./chunk";
export { CsvOptions } from "../../io/csv/infer";
