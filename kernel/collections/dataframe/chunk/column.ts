/**
 * A column of a partition, as plain data: typed arrays (on shared memory
 * when a kernel made them) in a plain object, so it crosses threads by
 * reference, is sized exactly by the store and spills as is.
 *
 * Invariants: `length` rows; numeric and bool columns have `values` of that
 * length; a string column has either `offsets` (length + 1) and `data`, or
 * `values` (Int32 codes) and `dict` (the strings the codes index); `valid`,
 * when present, has `length` bytes. Columns are never mutated once made.
 */
import { DType, nanIsNull } from "./dtypes";
import { sharedArray } from "../../../store/shared";

export type NumericArray = Float64Array | Int32Array | BigInt64Array | Uint8Array;

/** UTF-8 strings: value i is data[offsets[i] .. offsets[i + 1]). */
export interface Utf8 {
  readonly offsets: Int32Array;
  readonly data: Uint8Array;
}

export interface Column {
  readonly dtype: DType;
  readonly length: number;
  readonly values?: NumericArray;
  readonly offsets?: Int32Array;
  readonly data?: Uint8Array;
  readonly dict?: Utf8;
  readonly valid?: Uint8Array;
  readonly objects?: unknown[];
}

export type ArrayCtor = Float64ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor | Uint8ArrayConstructor;

export function ctorOf(t: DType): ArrayCtor {
  switch (t) {
    case "int32":
      return Int32Array;
    case "int64":
      return BigInt64Array;
    case "bool":
      return Uint8Array;
    default:
      return Float64Array;
  }
}

export function numericColumn(dtype: DType, values: NumericArray, valid?: Uint8Array): Column {
  return valid === undefined ? { dtype, length: values.length, values } : { dtype, length: values.length, values, valid };
}

export function objectColumn(objects: unknown[]): Column {
  let valid: Uint8Array | undefined;
  for (let i = 0; i < objects.length; i++) {
    if (objects[i] === null || objects[i] === undefined) {
      valid ??= new Uint8Array(objects.length).fill(1);
      valid[i] = 0;
    }
  }
  return valid === undefined ? { dtype: "object", length: objects.length, objects } : { dtype: "object", length: objects.length, objects, valid };
}

const encoder = new TextEncoder();

/** A string column from JS strings (null / undefined are missing). */
export function stringColumn(strings: readonly (string | null | undefined)[]): Column {
  const n = strings.length;
  const offsets = sharedArray(Int32Array, n + 1);
  const parts: Uint8Array[] = [];
  let total = 0;
  let valid: Uint8Array | undefined;
  for (let i = 0; i < n; i++) {
    const s = strings[i];
    if (s === null || s === undefined) {
      valid ??= new Uint8Array(n).fill(1);
      valid[i] = 0;
    } else {
      const b = encoder.encode(s);
      parts.push(b);
      total += b.length;
    }
    offsets[i + 1] = total;
  }
  const data = sharedArray(Uint8Array, total);
  let at = 0;
  for (const p of parts) {
    data.set(p, at);
    at += p.length;
  }
  return valid === undefined ? { dtype: "string", length: n, offsets, data } : { dtype: "string", length: n, offsets, data, valid };
}

/** Is row i missing? */
export function isNull(c: Column, i: number): boolean {
  if (c.valid !== undefined) return c.valid[i] === 0;
  if (nanIsNull(c.dtype)) return Number.isNaN((c.values as Float64Array)[i]);
  return false;
}

export function nullCount(c: Column): number {
  let n = 0;
  if (c.valid !== undefined) {
    for (let i = 0; i < c.length; i++) if (c.valid[i] === 0) n++;
  } else if (nanIsNull(c.dtype)) {
    const v = c.values as Float64Array;
    for (let i = 0; i < c.length; i++) if (v[i] !== v[i]) n++;
  }
  return n;
}

/** Bytes held by the column's buffers (what memoryUsage reports). */
export function columnBytes(c: Column): number {
  let n = 0;
  for (const b of [c.values, c.offsets, c.data, c.valid, c.dict?.offsets, c.dict?.data]) if (b !== undefined) n += b.byteLength;
  if (c.objects !== undefined) n += c.objects.length * 64;
  return n;
}

const decoder = new TextDecoder();

/** All strings of a UTF-8 table, decoded once. */
export function decodeUtf8(u: Utf8, count = u.offsets.length - 1): string[] {
  const out = new Array<string>(count);
  const { offsets, data } = u;
  // ASCII is by far the common case and decodes without TextDecoder's per-call cost.
  for (let i = 0; i < count; i++) {
    const s = offsets[i]!, e = offsets[i + 1]!;
    let ascii = e - s <= 64;
    if (ascii) {
      let str = "";
      for (let k = s; k < e; k++) {
        const b = data[k]!;
        if (b >= 128) {
          ascii = false;
          break;
        }
        str += String.fromCharCode(b);
      }
      if (ascii) {
        out[i] = str;
        continue;
      }
    }
    out[i] = decoder.decode(data.subarray(s, e));
  }
  return out;
}

/** The values of a column as JS values (null for missing), for views, reprs and records. */
export function toJsArray(c: Column): unknown[] {
  const n = c.length;
  const out = new Array<unknown>(n);
  if (c.dtype === "object") {
    for (let i = 0; i < n; i++) out[i] = c.objects![i] ?? null;
  } else if (c.dtype === "string") {
    const strings = stringValues(c);
    for (let i = 0; i < n; i++) out[i] = strings[i];
  } else if (c.dtype === "bool") {
    for (let i = 0; i < n; i++) out[i] = c.values![i] === 1;
  } else if (c.dtype === "timestamp") {
    const v = c.values as Float64Array;
    for (let i = 0; i < n; i++) out[i] = v[i] !== v[i] ? null : new Date(v[i]!);
  } else {
    const v = c.values!;
    for (let i = 0; i < n; i++) out[i] = v[i];
    if (c.dtype === "float64") for (let i = 0; i < n; i++) if (out[i] !== out[i]) out[i] = null;
  }
  if (c.valid !== undefined) for (let i = 0; i < n; i++) if (c.valid[i] === 0) out[i] = null;
  return out;
}

/** A string column's values as JS strings (missing: null). Dictionary columns decode each entry once. */
export function stringValues(c: Column): (string | null)[] {
  const n = c.length;
  let out: (string | null)[];
  if (c.dict !== undefined) {
    const dict = decodeUtf8(c.dict);
    const codes = c.values as Int32Array;
    out = new Array(n);
    for (let i = 0; i < n; i++) out[i] = codes[i]! < 0 ? null : dict[codes[i]!]!;
  } else {
    out = decodeUtf8({ offsets: c.offsets!, data: c.data! }, n);
  }
  if (c.valid !== undefined) for (let i = 0; i < n; i++) if (c.valid[i] === 0) out[i] = null;
  return out;
}
