/**
 * Worker-side conversion of a partition of records into an Arrow record
 * batch, as Arrow IPC (stream format) bytes on shared memory: the thin end
 * of Bag.toDataFrame (the DataFrame partitions are Arrow batches too).
 *
 * Column types come from `meta` ({ name: "float64" | "int32" | "int64" |
 * "utf8" | "bool" | "date" }) or, without it, from each column's first
 * non-null value (number -> float64, string -> utf8, boolean -> bool,
 * bigint -> int64, Date -> date; objects and arrays -> their JSON text).
 */
import type * as Arrow from "apache-arrow";
import { Errors, preview } from "../../errors";
import { Part, toArray } from "./chunk-lazy";

export type ArrowTypeName = "float64" | "int32" | "int64" | "utf8" | "bool" | "date";
export const ARROW_TYPES: readonly ArrowTypeName[] = ["float64", "int32", "int64", "utf8", "bool", "date"];

let arrow: typeof Arrow | undefined;
/** apache-arrow is loaded on first use: most workers never convert anything. */
function lib(): typeof Arrow {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (arrow ??= require("apache-arrow") as typeof Arrow);
}

function typeOf(name: ArrowTypeName): Arrow.DataType {
  const a = lib();
  switch (name) {
    case "float64": return new a.Float64();
    case "int32": return new a.Int32();
    case "int64": return new a.Int64();
    case "utf8": return new a.Utf8();
    case "bool": return new a.Bool();
    case "date": return new a.DateMillisecond();
  }
}

function infer(v: unknown): ArrowTypeName {
  if (typeof v === "number") return "float64";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int64";
  if (v instanceof Date) return "date";
  return "utf8";
}

function convert(v: unknown, type: ArrowTypeName, column: string, i: number, p: number): unknown {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "int64":
      if (typeof v === "bigint") return v;
      if (Number.isInteger(v)) return BigInt(v as number);
      break;
    case "float64":
    case "int32":
      if (typeof v === "number") return v;
      break;
    case "bool":
      if (typeof v === "boolean") return v;
      break;
    case "date":
      if (v instanceof Date) return v;
      if (typeof v === "number" || typeof v === "string") return new Date(v);
      break;
    case "utf8":
      return typeof v === "string" ? v : JSON.stringify(v);
  }
  throw Errors.badInput(`toArrow: column "${column}" of item ${i} in partition ${p} is ${preview(v)}, not a ${type} (fix the data, or pass meta: { ${column}: "utf8" })`);
}

export function toArrowIPC(part: Part, p: number, meta: Record<string, ArrowTypeName> | undefined): Uint8Array {
  const a = lib();
  const rows = toArray(part);
  const columns = new Map<string, ArrowTypeName | null>(meta === undefined ? [] : Object.entries(meta));
  if (meta === undefined) {
    // Columns in order of first appearance; a column's type from its first non-null value.
    for (const r of rows) {
      if (r === null || typeof r !== "object" || Array.isArray(r)) throw Errors.badInput(`toArrow: items must be records (objects), got ${preview(r)} in partition ${p}`);
      for (const [k, v] of Object.entries(r)) {
        if (columns.get(k) == null) columns.set(k, v === null || v === undefined ? null : infer(v));
      }
    }
  }
  const vectors: Record<string, Arrow.Vector> = {};
  for (const [name, t] of columns) {
    const type = t ?? "utf8";
    const values = rows.map((r, i) => convert((r as Record<string, unknown> | null)?.[name], type, name, i, p));
    vectors[name] = a.vectorFromArray(values, typeOf(type));
  }
  const ipc = a.tableToIPC(new a.Table(vectors), "stream");
  const out = new Uint8Array(new SharedArrayBuffer(ipc.byteLength));
  out.set(ipc);
  return out;
}
