/**
 * Reductions: of a Series to a value (sum, mean, std, nunique, …), of a
 * frame to one value per column, numRows, describe, memoryUsage, info and
 * valueCounts. All by tree reduction (layers.ts): a small state per
 * partition, merged in rounds, so nothing large ever meets in one task.
 */
import { inspect } from "node:util";
import { Errors } from "../../../errors";
import { escapeHtml, MIMEBUNDLE, MimeBundle } from "../../repr";
import { builtin, LayeredGraph, ref, task } from "../../../graph";
import { compute, ComputeOptions } from "../../compute";
import { formatBytes } from "../../../store/bytes";
import { exprColumns, isNumeric, partFromColumns, Reduction } from "../chunk";
import type { DataFrame } from "../frame";
import { layerMeta, layerName, singleLayer, treeReduce } from "../layers";
import { DataFrame as DataFrameCtor } from "../frame";
import { tableResult, TableResult } from "../result";
import { Scalar } from "../scalar";
import type { Series } from "../series";
import { sortWithin } from "./order";

const NUMERIC_ONLY: ReadonlySet<Reduction> = new Set(["sum", "mean", "std", "var", "prod"]);

export function seriesReduce(s: Series, how: Reduction, ddof = 1): Scalar<unknown> {
  if (NUMERIC_ONLY.has(how) && !isNumeric(s.dtype)) {
    throw Errors.badInput(`${how}: column "${s.name}" is ${s.dtype}, not numeric (cast it with .astype("float64"), or use count / nunique / min / max)`);
  }
  if ((how === "min" || how === "max") && s.dtype === "object") throw Errors.badInput(`${how}: column "${s.name}" holds objects, which have no order`);
  const r = treeReduce(how, s.frame,
    (p) => task(builtin("dataframe.reduceChunk"), [ref(p), s.expr, how]),
    (xs) => task(builtin("dataframe.reduceCombine"), [xs]),
    (xs) => task(builtin("dataframe.reduceDone"), [xs, how, ddof]),
    [s.expr, ddof], undefined, { fixed: [...exprColumns(s.expr)] });
  const convert = s.dtype === "timestamp" && (how === "min" || how === "max") ? (v: unknown) => (Number.isNaN(v) ? null : new Date(v as number)) : (v: unknown) => v;
  return new Scalar(r.key as string, r.graph, `${s.name}.${how}`, convert);
}

/** A Scalar whose value is a record of other Scalars' values. */
function record<T>(name: string, parts: Record<string, Scalar<unknown>>, what: string, convert?: (v: unknown) => T): Scalar<T> {
  const keys = Object.fromEntries(Object.entries(parts).map(([k, s]) => [k, ref(s.key)]));
  const layer = singleLayer(name, what, task(builtin("dataframe.record"), [keys]), Object.values(parts).map((s) => s.key));
  const g = LayeredGraph.from(layer, ...Object.values(parts).map((s) => s.graph()));
  const conv = (v: unknown): T => {
    const out = v as Record<string, unknown>;
    for (const [k, s] of Object.entries(parts)) out[k] = s.finalize([out[k]]);
    return convert ? convert(out) : (out as T);
  };
  return new Scalar<T>(name, g, what, conv);
}

export function columnsReduce(df: DataFrame, how: Reduction): Scalar<Record<string, number>> {
  // As pandas' numeric_only: sums and means of numbers (timestamps only for min and max); counts of everything.
  const cols = df.fields.filter((f) => (NUMERIC_ONLY.has(how) ? isNumeric(f.dtype) && f.dtype !== "timestamp" : how === "min" || how === "max" ? isNumeric(f.dtype) : true));
  const parts = Object.fromEntries(cols.map((f) => [f.name, seriesReduce(df.col(f.name), how)]));
  return record(layerName(`${how}-columns`, df.name), parts, `${how} by column`);
}

export function numRows(df: DataFrame): Scalar<number> {
  const r = treeReduce("len", df,
    (p) => task(builtin("dataframe.numRows"), [ref(p)]),
    (xs) => task(builtin("dataframe.sum"), [xs]),
    (xs) => task(builtin("dataframe.sum"), [xs]),
    [], undefined, { fixed: [] });
  return new Scalar<number>(r.key as string, r.graph, "numRows");
}

export function memoryUsage(df: DataFrame): Scalar<Record<string, number>> {
  const r = treeReduce("memory-usage", df,
    (p) => task(builtin("dataframe.memoryUsage"), [ref(p)]),
    (xs) => task(builtin("dataframe.concat"), [xs]),
    (xs) => task(builtin("dataframe.memoryDone"), [xs]),
    []);
  return new Scalar(r.key as string, r.graph, "memoryUsage");
}

const QUARTILES = [0.25, 0.5, 0.75];

export function describe(df: DataFrame): Scalar<TableResult> {
  const cols = df.fields.filter((f) => isNumeric(f.dtype)).map((f) => f.name);
  if (cols.length === 0) throw Errors.badInput(`describe: no numeric column (columns: ${df.columns.join(", ")})`);
  const parts: Record<string, Scalar<unknown>> = {};
  for (const c of cols) {
    const s = df.col(c);
    for (const how of ["count", "mean", "std", "min", "max"] as const) parts[`${c}\u0001${how}`] = seriesReduce(s, how);
    const q = treeReduce("quantiles", df,
      (p) => task(builtin("dataframe.sample"), [ref(p), c, 2000]),
      (xs) => task(builtin("dataframe.mergeSamples"), [xs, 2000]),
      (xs) => task(builtin("dataframe.quantiles"), [xs, QUARTILES]),
      [c]);
    parts[`${c}\u0001q`] = new Scalar(q.key as string, q.graph, "quantiles");
  }
  return record(layerName("describe", df.name), parts, "describe", (v) => {
    const rec = v as Record<string, unknown>;
    const stats = ["count", "mean", "std", "min", "25%", "50%", "75%", "max"];
    const columns: Record<string, unknown[]> = { stat: stats };
    for (const c of cols) {
      const q = rec[`${c}\u0001q`] as number[];
      const g = (h: string) => rec[`${c}\u0001${h}`] as number;
      columns[c] = [g("count"), g("mean"), g("std"), g("min"), q[0], q[1], q[2], g("max")].map((x) => ((x as unknown) instanceof Date ? (x as unknown as Date).getTime() : x));
    }
    return describeTable(columns);
  });
}

function describeTable(columns: Record<string, unknown[]>): TableResult {
  return tableResult(partFromColumns(Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, k === "stat" ? v : Float64Array.from(v as number[])]))));
}

/** What info() returns: the summary text, shown as text by the console and by notebooks. */
export class Info {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
  [inspect.custom](): string {
    return this.text;
  }
  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": this.text, "text/html": `<pre>${escapeHtml(this.text)}</pre>` };
  }
}

export async function info(df: DataFrame, options?: ComputeOptions): Promise<Info> {
  const [counts, mem, n] = await compute([df.count(), memoryUsage(df), numRows(df)], options ?? {});
  const w = Math.max(6, ...df.columns.map((c) => c.length));
  const lines = [
    `<tessera.DataFrame>`,
    `${n} rows, ${df.npartitions} partitions, divisions ${df.divisions ? "known" : "unknown"}`,
    `Data columns (total ${df.columns.length} columns):`,
    ` #   ${"Column".padEnd(w)}  Non-Null Count    Dtype`,
    `---  ${"-".repeat(w)}  ----------------  ---------`,
    ...df.fields.map((f, i) => ` ${String(i).padEnd(3)} ${f.name.padEnd(w)}  ${`${(counts as Record<string, number>)[f.name]} non-null`.padEnd(16)}  ${f.dtype}`),
  ];
  const byType = new Map<string, number>();
  for (const f of df.fields) byType.set(f.dtype, (byType.get(f.dtype) ?? 0) + 1);
  lines.push(`dtypes: ${[...byType].map(([t, k]) => `${t}(${k})`).join(", ")}`);
  const total = Object.values(mem as Record<string, number>).reduce((a, b) => a + b, 0);
  lines.push(`memory usage: ${formatBytes(total)}`);
  return new Info(lines.join("\n"));
}

/** The distinct present values of a Series, sorted, as a one-partition Series. */
export function unique(s: Series): Series {
  const fields = [{ name: s.name, dtype: s.dtype }];
  const r = treeReduce("unique", s.frame,
    (p) => task(builtin("dataframe.reduceChunk"), [ref(p), s.expr, "nunique"]),
    (xs) => task(builtin("dataframe.reduceCombine"), [xs]),
    (xs) => task(builtin("dataframe.uniqueDone"), [xs, s.name, s.dtype]),
    [s.expr, s.name], layerMeta({ npartitions: 1, divisions: null, fields }), { fixed: [...exprColumns(s.expr)] });
  return new DataFrameCtor(r.name, r.graph, { npartitions: 1, divisions: null, fields }).col(s.name);
}

export function valueCounts(s: Series): DataFrame {
  const frame = s.toFrame();
  const counted = frame.groupBy(s.name, { sort: false }).agg({ count: { col: s.name, how: "size" } });
  return sortWithin(counted, ["count", s.name], [false, true]);
}

