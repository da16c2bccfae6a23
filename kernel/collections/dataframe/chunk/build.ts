/**
 * Columns from JS values: what user functions return (mapPartitions,
 * groupBy().apply), what fromRecords and fromArray are given. Types are
 * inferred from the values (a Float64Array is float64, an array of
 * strings is string, …) or, when a meta says what to expect, checked
 * against it: a value that does not fit is an error naming it.
 */
import { sharedArray } from "../../../store/shared";
import { Column, objectColumn, stringColumn } from "./column";
import { DType, Field } from "./dtypes";
import { makePart, Part, PART_TAG, isPart } from "./part";

export class MetaMismatch extends Error {}

function describe(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a Date";
  return typeof v === "object" ? "an object" : `a ${typeof v} (${JSON.stringify(v)})`;
}

/** The dtype JS values suggest (first non-missing value decides; numbers are float64). */
export function inferDType(values: ArrayLike<unknown>): DType {
  if (values instanceof Float64Array || values instanceof Float32Array) return "float64";
  if (values instanceof Int32Array || values instanceof Int16Array || values instanceof Int8Array || values instanceof Uint16Array) return "int32";
  if (values instanceof BigInt64Array || values instanceof BigUint64Array) return "int64";
  if (values instanceof Uint8Array || values instanceof Uint32Array) return values instanceof Uint8Array ? "int32" : "float64";
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === null || v === undefined) continue;
    if (typeof v === "number") return "float64";
    if (typeof v === "string") return "string";
    if (typeof v === "boolean") return "bool";
    if (typeof v === "bigint") return "int64";
    if (v instanceof Date) return "timestamp";
    return "object";
  }
  return "float64";
}

/** A column of `dtype` (inferred when not given) from JS values or a typed array. */
export function columnFromValues(values: ArrayLike<unknown>, dtype: DType = inferDType(values), what = "value"): Column {
  const n = values.length;
  if (dtype === "object") return objectColumn(Array.from(values));
  if (dtype === "string") {
    const out = new Array<string | null>(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) out[i] = null;
      else if (typeof v === "string") out[i] = v;
      else throw new MetaMismatch(`${what} ${i}: expected a string, got ${describe(v)}`);
    }
    return stringColumn(out);
  }
  if (dtype === "float64" || dtype === "timestamp") {
    const out = sharedArray(Float64Array, n);
    if (ArrayBuffer.isView(values) && !(values instanceof BigInt64Array)) out.set(values as unknown as Float64Array);
    else
      for (let i = 0; i < n; i++) {
        const v = values[i];
        if (v === null || v === undefined) out[i] = NaN;
        else if (typeof v === "number") out[i] = v;
        else if (v instanceof Date && dtype === "timestamp") out[i] = v.getTime();
        else if (typeof v === "bigint") out[i] = Number(v);
        else throw new MetaMismatch(`${what} ${i}: expected ${dtype === "timestamp" ? "a Date or milliseconds" : "a number"}, got ${describe(v)}`);
      }
    return { dtype, length: n, values: out };
  }
  let valid: Uint8Array | undefined;
  const miss = (i: number) => {
    valid ??= new Uint8Array(n).fill(1);
    valid[i] = 0;
  };
  if (dtype === "int64") {
    const out = sharedArray(BigInt64Array, n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      if (v === null || v === undefined) miss(i);
      else if (typeof v === "bigint") out[i] = v;
      else if (typeof v === "number" && Number.isInteger(v)) out[i] = BigInt(v);
      else throw new MetaMismatch(`${what} ${i}: expected an integer, got ${describe(v)}`);
    }
    return valid ? { dtype, length: n, values: out, valid } : { dtype, length: n, values: out };
  }
  const out = dtype === "bool" ? sharedArray(Uint8Array, n) : sharedArray(Int32Array, n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) miss(i);
    else if (dtype === "bool" && (typeof v === "boolean" || v === 0 || v === 1)) out[i] = v ? 1 : 0;
    else if (dtype === "int32" && typeof v === "number" && Number.isInteger(v) && v <= 2147483647 && v >= -2147483648) out[i] = v;
    else throw new MetaMismatch(`${what} ${i}: expected ${dtype === "bool" ? "a boolean" : "an int32 integer"}, got ${describe(v)}`);
  }
  return valid ? { dtype, length: n, values: out, valid } : { dtype, length: n, values: out };
}

/** A partition from columns of JS values; with `fields`, exactly those columns in that order. */
export function partFromColumns(cols: Record<string, ArrayLike<unknown>>, fields?: readonly Field[]): Part {
  const names = fields ? fields.map((f) => f.name) : Object.keys(cols);
  if (fields) {
    const extra = Object.keys(cols).filter((k) => !names.includes(k));
    const missing = names.filter((k) => !(k in cols));
    if (extra.length || missing.length) {
      throw new MetaMismatch(`columns ${JSON.stringify(Object.keys(cols))} do not match meta ${JSON.stringify(names)}${missing.length ? ` (missing: ${missing.join(", ")})` : ""}${extra.length ? ` (not in meta: ${extra.join(", ")})` : ""}`);
    }
  }
  const lengths = new Set(names.map((k) => cols[k]!.length));
  if (lengths.size > 1) throw new MetaMismatch(`columns have different lengths: ${names.map((k) => `${k}=${cols[k]!.length}`).join(", ")}`);
  const columns = names.map((k, i) => columnFromValues(cols[k]!, fields?.[i]!.dtype, `column ${JSON.stringify(k)} row`));
  return makePart(names, columns, columns[0]?.length ?? 0);
}

/** A partition from records (plain objects); columns from `fields`, or from the keys of every record. */
export function partFromRecords(records: readonly Record<string, unknown>[], fields?: readonly Field[]): Part {
  const names = fields ? fields.map((f) => f.name) : [...new Set(records.flatMap((r) => Object.keys(r)))];
  const cols: Record<string, unknown[]> = {};
  for (const n of names) cols[n] = records.map((r) => r[n]);
  if (fields) {
    const extra = new Set(records.flatMap((r) => Object.keys(r)).filter((k) => !names.includes(k)));
    if (extra.size) throw new MetaMismatch(`records have columns not in meta: ${[...extra].join(", ")}`);
  }
  return partFromColumns(cols, fields);
}

/**
 * What a user function returned, as a partition: a partition view or a
 * partition, columns of values ({ x: Float64Array, … }), or an array of
 * records.
 */
export function partFromResult(v: unknown, fields?: readonly Field[]): Part {
  if (isPart(v)) return v;
  if (v !== null && typeof v === "object" && typeof (v as { col?: unknown }).col === "function" && Array.isArray((v as { columns?: unknown }).columns)) {
    const view = v as { columns: string[]; col(n: string): ArrayLike<unknown> };
    const cols: Record<string, ArrayLike<unknown>> = {};
    for (const n of view.columns) cols[n] = view.col(n);
    return partFromColumns(cols, fields);
  }
  if (Array.isArray(v)) return partFromRecords(v as Record<string, unknown>[], fields);
  if (v !== null && typeof v === "object" && Object.values(v).every((c) => ArrayBuffer.isView(c) || Array.isArray(c))) {
    return partFromColumns(v as Record<string, ArrayLike<unknown>>, fields);
  }
  throw new MetaMismatch(`expected a partition: columns ({ x: [...] }), an array of records, or the partition view, got ${describe(v)}`);
}

export { PART_TAG };

/** An Apache Arrow Table (duck-typed, so this module does not load Arrow). */
export function isArrowTable(v: unknown): v is { schema: { fields: unknown[] }; batches: unknown[]; numRows: number } {
  return v !== null && typeof v === "object" && Array.isArray((v as { batches?: unknown }).batches) && typeof (v as { schema?: unknown }).schema === "object";
}
