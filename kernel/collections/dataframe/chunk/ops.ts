/**
 * Partition-wise kernels: each takes one partition (and literals) and
 * returns a new partition. The graph builders (verbs/) check columns and
 * types before any of these runs; the checks here guard the rows.
 */
import { Errors } from "../../../errors";
import { Column, isNull } from "./column";
import { maskToIndex } from "./colops";
import { Field } from "./dtypes";
import { cast, evalExpr } from "./evaluate";
import { Expr } from "./expr";
import { column, makePart, Part, selectColumns, sliceRows, takeRows, withColumn } from "./part";
import { MetaMismatch, partFromResult } from "./build";
import { makeView } from "./view";

/**
 * Rows where the boolean expression is true (missing counts as false).
 * `keep`, when given (column pruning), lists the only columns to output.
 */
export function filterRows(p: Part, mask: Expr, keep?: string[]): Part {
  const m = evalExpr(mask, p);
  if (m.dtype !== "bool") throw new Error(`filter: the mask is ${m.dtype}, not bool`);
  const src = keep === undefined ? p : selectColumns(p, keep);
  const idx = maskToIndex(m.values as Uint8Array, m.valid);
  return idx.length === p.numRows ? src : takeRows(src, idx);
}

/** Adds or replaces columns with expression values; `keep` as for filterRows. */
export function assignColumns(p: Part, exprs: [string, Expr][], keep?: string[]): Part {
  // Every expression reads the input partition, not the columns assigned before it (as pandas' assign with values).
  const cols = exprs.filter(([name]) => keep === undefined || keep.includes(name)).map(([name, e]) => [name, evalExpr(e, p)] as const);
  let out = keep === undefined ? p : selectColumns(p, keep);
  for (const [name, c] of cols) out = withColumn(out, name, c);
  return out;
}

export function select(p: Part, names: string[]): Part {
  return selectColumns(p, names);
}

/** One column from an expression, as a one-column partition (a Series' partition). */
export function evalSeries(p: Part, e: Expr, name: string): Part {
  return makePart([name], [evalExpr(e, p)], p.numRows);
}

export function rename(p: Part, mapping: Record<string, string>): Part {
  return makePart(p.names.map((n) => mapping[n] ?? n), p.columns, p.numRows);
}

export function astype(p: Part, types: Record<string, Field["dtype"]>): Part {
  return makePart(p.names, p.columns.map((c, i) => (types[p.names[i]!] ? cast(c, types[p.names[i]!]!) : c)), p.numRows);
}

/** Rows with no missing value in `subset` (all columns when empty); `how: "all"` drops rows missing everywhere. */
export function dropna(p: Part, subset: string[], how: "any" | "all"): Part {
  const cols: Column[] = (subset.length ? subset : p.names).map((n) => column(p, n));
  const keep = new Uint8Array(p.numRows);
  for (let i = 0; i < p.numRows; i++) {
    let missing = 0;
    for (const c of cols) if (isNull(c, i)) missing++;
    keep[i] = how === "any" ? (missing === 0 ? 1 : 0) : missing < cols.length ? 1 : 0;
  }
  const idx = maskToIndex(keep);
  return idx.length === p.numRows ? p : takeRows(p, idx);
}

export function head(p: Part, n: number): Part {
  return sliceRows(p, 0, n);
}

export function tail(p: Part, n: number): Part {
  return sliceRows(p, Math.max(0, p.numRows - n), p.numRows);
}

export function numRows(p: Part): number {
  return p.numRows;
}

/** Calls a user function on a view of the partition; checks its result against `fields`. */
export function mapPartition(p: Part, fn: Function, fields: Field[], args: unknown[], fnName: string, index: number): Part {
  const result = fn(makeView(p), ...args);
  try {
    return partFromResult(result, fields);
  } catch (e) {
    if (e instanceof MetaMismatch) {
      throw Errors.badInput(`mapPartitions: ${fnName} returned a result for partition ${index} that does not match meta ${JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.dtype])))}: ${e.message} (fix the function or pass the meta it returns)`);
    }
    throw e;
  }
}

/** The bytes of each column (memoryUsage). */
export function memoryUsage(p: Part): Part {
  const sizes = p.columns.map((c) => {
    let n = 0;
    for (const b of [c.values, c.offsets, c.data, c.valid, c.dict?.offsets, c.dict?.data]) if (b) n += b.byteLength;
    if (c.objects) n += c.objects.length * 64;
    return n;
  });
  return partFromResult({ column: [...p.names], bytes: Float64Array.from(sizes) });
}
