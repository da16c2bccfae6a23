/**
 * Row verbs: filter, dropna, fillna, isna, head and tail. head and tail
 * compute at once (as Dask's) but only the partitions they need: head
 * reads partition 0, then 1, … until it has n rows; tail reads from the
 * last partition backwards.
 */
import { Errors } from "../../../errors";
import { Key } from "../../../graph";
import { compute, ComputeOptions } from "../../compute";
import { Collection } from "../../base";
import { concatParts, exprColumns, Literal, Part, sliceRows } from "../chunk";
import { DataFrame } from "../frame";
import { partitionwise } from "../layers";
import { tableResult, TableResult } from "../result";
import { Series } from "../series";
import { checkColumns } from "./columns";

export function filter(df: DataFrame, mask: Series): DataFrame {
  if (!(mask instanceof Series)) throw Errors.badOption("filter(mask)", mask, "a bool Series of this frame, e.g. ddf.col(\"x\").gt(0)");
  if (mask.frame.name !== df.name) throw Errors.badInput(`filter: the mask is a Series of another DataFrame (partitions are not aligned); build it from this frame, e.g. df.filter(df.col("x").gt(0))`);
  if (mask.dtype !== "bool") throw Errors.badInput(`filter: the mask is ${mask.dtype}, not bool (compare first, e.g. .gt(0))`);
  const meta = { ...df.meta };
  const { name, graph } = partitionwise("filter", [df], "dataframe.filter", () => [mask.expr], meta, [mask.expr], { through: [...exprColumns(mask.expr)] }, true);
  return new DataFrame(name, graph, meta, df.index);
}

export function dropna(df: DataFrame, options: { subset?: string[]; how?: "any" | "all" }): DataFrame {
  const subset = options.subset ?? [];
  checkColumns(df, subset, "dropna");
  const how = options.how ?? "any";
  if (how !== "any" && how !== "all") throw Errors.badOption("dropna option how", how, '"any" or "all"');
  const { name, graph } = partitionwise("dropna", [df], "dataframe.dropna", () => [subset, how], df.meta, [subset, how]);
  return new DataFrame(name, graph, df.meta, df.index);
}

export function fillna(df: DataFrame, value: Literal | Record<string, Literal>): DataFrame {
  const per: Record<string, Literal> = value !== null && typeof value === "object" ? value : Object.fromEntries(df.columns.map((c) => [c, value as Literal]));
  if (value !== null && typeof value === "object") checkColumns(df, Object.keys(per), "fillna");
  const values: Record<string, Series> = {};
  for (const [c, v] of Object.entries(per)) {
    const dtype = df.dtypes[c]!;
    // A fill value of another kind than the column (a string for a number column) leaves that column alone, as pandas' fillna(scalar) does.
    const fits = dtype === "string" ? typeof v === "string" : dtype === "bool" ? typeof v === "boolean" : dtype === "object" ? true : typeof v === "number";
    if (!fits) {
      if (value !== null && typeof value === "object") throw Errors.badInput(`fillna: ${JSON.stringify(v)} does not fit column ${JSON.stringify(c)} (${dtype}); pass a ${dtype} value`);
      continue;
    }
    values[c] = df.col(c).fillna(v);
  }
  return Object.keys(values).length === 0 ? df : df.assign(values);
}

export function isna(df: DataFrame): DataFrame {
  const exprs = Object.fromEntries(df.columns.map((c) => [c, df.col(c).isna()]));
  return df.assign(exprs);
}

/** Computes partitions in `order`, one at a time, until they hold n rows; the first (or last) n rows. */
async function partitions(df: DataFrame, order: number[], n: number, options: ComputeOptions | undefined, fromEnd: boolean): Promise<Part> {
  const got: Part[] = [];
  let rows = 0;
  for (const i of order) {
    const one = new Slice(df, i);
    const [p] = (await compute([one], options ?? {})) as [Part];
    got.push(p);
    rows += p.numRows;
    if (rows >= n) break;
  }
  const all = concatParts(fromEnd ? got.reverse() : got, df.meta.fields);
  return fromEnd ? sliceRows(all, Math.max(0, all.numRows - n), all.numRows) : sliceRows(all, 0, n);
}

/** One partition of a frame as a collection of its own (head and tail compute through it). */
class Slice extends Collection<Part> {
  constructor(private readonly df: DataFrame, private readonly i: number) {
    super();
  }
  graph() {
    return this.df.graph();
  }
  keys(): Key[] {
    return [[this.df.name, this.i]];
  }
  finalize(results: unknown[]): Part {
    return results[0] as Part;
  }
  withGraph(): this {
    return this;
  }
  reprText(): string {
    return `partition ${this.i} of ${this.df.name}`;
  }
}

function checkN(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw Errors.badOption(`${what}(n)`, n, "a non-negative integer");
}

export async function head(df: DataFrame, n: number, options?: ComputeOptions): Promise<TableResult> {
  checkN(n, "head");
  const order = Array.from({ length: df.npartitions }, (_, i) => i);
  return tableResult(await partitions(df, order, n, options, false));
}

export async function tail(df: DataFrame, n: number, options?: ComputeOptions): Promise<TableResult> {
  checkN(n, "tail");
  const order = Array.from({ length: df.npartitions }, (_, i) => df.npartitions - 1 - i);
  return tableResult(await partitions(df, order, n, options, true));
}

