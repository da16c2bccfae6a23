/**
 * groupBy().apply and .transform on one shuffled partition: every row of a
 * group is in this partition (the shuffle saw to it). Rows are put in group
 * order once (a counting sort); each group is then a zero-copy slice, shown
 * to the user function as a partition view.
 *
 * apply's result per group is checked against the meta:
 *   - one column ({ name, dtype }): any value of that type (object: any
 *     structured-cloneable value; undefined is missing) -> one row;
 *   - several columns: a record -> one row, or columns / records / a view
 *     -> as many rows.
 * The group's key values are put in front of each output row.
 */
import { Errors } from "../../../errors";
import { Column } from "./column";
import { take } from "./colops";
import { MetaMismatch, columnFromValues, partFromResult } from "./build";
import { Field } from "./dtypes";
import { groupOrder, groupRows } from "./groupids";
import { column, concatParts, makePart, Part, sliceRows, takeRows } from "./part";
import { makeView } from "./view";

export type ApplyMeta = { readonly kind: "series"; readonly name: string; readonly dtype: Field["dtype"] } | { readonly kind: "frame"; readonly fields: readonly Field[] };

function keyText(p: Part, keys: readonly string[], row: number): string {
  return keys.map((k) => {
    const c = column(p, k);
    const v = c.dtype === "string" ? columnValue(c, row) : c.values ? Number(c.values[row]) : c.objects?.[row];
    return JSON.stringify(v);
  }).join(", ");
}

function columnValue(c: Column, row: number): string {
  const one = take(c, Int32Array.of(row));
  return makeView(makePart(["v"], [one], 1)).col("v")[0] as string;
}

function metaText(meta: ApplyMeta): string {
  return meta.kind === "series" ? JSON.stringify({ name: meta.name, type: meta.dtype }) : JSON.stringify(Object.fromEntries(meta.fields.map((f) => [f.name, f.dtype])));
}

export function applyGroups(p: Part, keys: string[], fn: Function, meta: ApplyMeta, args: unknown[], fnName: string): Part {
  const g = groupRows(p, keys);
  const { order, start } = groupOrder(g);
  const sorted = takeRows(p, order);
  const firstRows = Int32Array.from(g.first);
  const results: Part[] = [];
  const singles: unknown[] = [];
  const repeats = new Int32Array(g.count);
  for (let k = 0; k < g.count; k++) {
    const view = makeView(sliceRows(sorted, start[k]!, start[k + 1]!));
    const r = fn(view, ...args);
    const where = () => `for group (${keyText(p, keys, g.first[k]!)})`;
    if (meta.kind === "series") {
      singles.push(r === undefined ? null : r);
      repeats[k] = 1;
      continue;
    }
    try {
      const part = r !== null && typeof r === "object" && !Array.isArray(r) && Object.values(r).every((v) => !ArrayBuffer.isView(v) && !Array.isArray(v)) && typeof (r as { col?: unknown }).col !== "function"
        ? partFromResult([r], meta.fields)
        : partFromResult(r, meta.fields);
      results.push(part);
      repeats[k] = part.numRows;
    } catch (e) {
      if (e instanceof MetaMismatch) throw mismatch(fnName, where(), metaText(meta), e.message);
      throw e;
    }
  }
  let body: Part;
  if (meta.kind === "series") {
    try {
      body = makePart([meta.name], [columnFromValues(singles, meta.dtype, "group")], singles.length);
    } catch (e) {
      if (e instanceof MetaMismatch) {
        const i = Number(/group (\d+)/.exec(e.message)?.[1] ?? 0);
        throw mismatch(fnName, `for group (${keyText(p, keys, g.first[i]!)})`, metaText(meta), e.message.replace(/^group \d+: /, ""));
      }
      throw e;
    }
  } else body = concatParts(results, meta.fields);
  // Key columns: the group's first row, repeated once per output row of the group.
  let total = 0;
  for (let k = 0; k < g.count; k++) total += repeats[k]!;
  const rowsOfKeys = new Int32Array(total);
  for (let k = 0, at = 0; k < g.count; k++) for (let r = 0; r < repeats[k]!; r++) rowsOfKeys[at++] = firstRows[k]!;
  const keyCols = keys.filter((k) => !body.names.includes(k));
  return makePart([...keyCols, ...body.names], [...keyCols.map((k) => take(column(p, k), rowsOfKeys)), ...body.columns], total);
}

function mismatch(fnName: string, where: string, meta: string, detail: string): Error {
  return Errors.badInput(`groupBy().apply: ${fnName} returned a value ${where} that does not match meta ${meta}: ${detail} (fix the meta, e.g. meta: { name: "result", type: "object" } for any value, or the function)`);
}

/** transform: the function's per-row values for each group, beside the group's rows (rows come out grouped). */
export function transformGroups(p: Part, keys: string[], fn: Function, fields: Field[], args: unknown[], fnName: string): Part {
  const g = groupRows(p, keys);
  const { order, start } = groupOrder(g);
  const sorted = takeRows(p, order);
  const outs: Part[] = [];
  for (let k = 0; k < g.count; k++) {
    const slice = sliceRows(sorted, start[k]!, start[k + 1]!);
    let r = fn(makeView(slice), ...args);
    if (ArrayBuffer.isView(r) || Array.isArray(r)) r = { [fields[0]!.name]: r };
    try {
      const part = partFromResult(r, fields);
      if (part.numRows !== slice.numRows) throw new MetaMismatch(`it returned ${part.numRows} rows for a group of ${slice.numRows} (transform keeps one value per row; use apply to summarize)`);
      outs.push(makePart([...slice.names.filter((n) => !part.names.includes(n)), ...part.names], [...slice.names.filter((n) => !part.names.includes(n)).map((n) => column(slice, n)), ...part.columns], slice.numRows));
    } catch (e) {
      if (e instanceof MetaMismatch) throw mismatch(fnName, `for group (${keyText(p, keys, g.first[k]!)})`, JSON.stringify(Object.fromEntries(fields.map((f) => [f.name, f.dtype]))), e.message);
      throw e;
    }
  }
  if (outs.length === 0) {
    const names = [...p.names.filter((n) => !fields.some((f) => f.name === n)), ...fields.map((f) => f.name)];
    return makePart(names, names.map((n) => (p.names.includes(n) ? column(p, n) : columnFromValues([], fields.find((f) => f.name === n)!.dtype))), 0);
  }
  return concatParts(outs);
}
