/**
 * What a user function sees of a partition or a group (mapPartitions,
 * groupBy().apply / transform): a light view whose columns are plain typed
 * arrays (strings: arrays of strings), reachable as properties and by name:
 *
 *   function train(part) { for (let i = 0; i < part.numRows; i++) part.x[i] … }
 *   part.col("x"), part.columns, part.toRecords()
 *
 * Columns are decoded on first access and cached, so a function that reads
 * two columns of twenty pays for two. Numeric columns are the partition's
 * own buffers (no copy): treat them as read-only.
 */
import { Errors } from "../../../errors";
import { Column, decodeUtf8, toJsArray } from "./column";
import { Part } from "./part";

export type ColumnValues = Float64Array | Int32Array | BigInt64Array | Uint8Array | unknown[];

export interface PartView {
  readonly numRows: number;
  /** Column names, in order. */
  readonly columns: readonly string[];
  /** A column's values by name. */
  col(name: string): ColumnValues;
  /** The rows as plain objects (for small groups and debugging). */
  toRecords(): Record<string, unknown>[];
  readonly [column: string]: unknown;
}

const dictCache = new WeakMap<Uint8Array, string[]>();

function viewValues(c: Column): ColumnValues {
  if (c.dtype === "string" && c.dict !== undefined) {
    let d = dictCache.get(c.dict.data);
    if (d === undefined) dictCache.set(c.dict.data, (d = decodeUtf8(c.dict)));
    const codes = c.values as Int32Array;
    const out = new Array<string | null>(c.length);
    for (let i = 0; i < c.length; i++) out[i] = codes[i]! < 0 || (c.valid !== undefined && c.valid[i] === 0) ? null : d[codes[i]!]!;
    return out;
  }
  if (c.dtype === "string" || c.dtype === "object") return toJsArray(c);
  return c.values!;
}

const RESERVED = new Set(["numRows", "columns", "col", "toRecords"]);

export function makeView(p: Part): PartView {
  const cache = new Map<string, ColumnValues>();
  const get = (name: string): ColumnValues => {
    let v = cache.get(name);
    if (v === undefined) {
      const i = p.names.indexOf(name);
      if (i < 0) throw Errors.badInput(`part.col(${JSON.stringify(name)}): no such column (columns: ${p.names.join(", ")})`);
      cache.set(name, (v = viewValues(p.columns[i]!)));
    }
    return v;
  };
  const view: Record<string, unknown> = {
    numRows: p.numRows,
    columns: p.names,
    col: get,
    toRecords(): Record<string, unknown>[] {
      const cols = p.columns.map(toJsArray);
      const out: Record<string, unknown>[] = [];
      for (let r = 0; r < p.numRows; r++) {
        const rec: Record<string, unknown> = {};
        p.names.forEach((n, i) => (rec[n] = cols[i]![r]));
        out.push(rec);
      }
      return out;
    },
  };
  for (const name of p.names) {
    if (RESERVED.has(name)) continue;
    // First access decodes the column and turns the getter into a plain property, so that
    // `part.x[i]` in a user's loop is a property load, not a function call per element.
    Object.defineProperty(view, name, {
      get: () => {
        const v = get(name);
        Object.defineProperty(view, name, { value: v, enumerable: true, writable: false, configurable: false });
        return v;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return view as unknown as PartView;
}
