/**
 * Row operations on columns: take (gather by row index), slice, concat.
 * Outputs are new columns on shared memory; inputs are never modified.
 * A dictionary string column keeps its dictionary through take and slice;
 * concat merges dictionaries when the inputs' differ.
 */
import { sharedArray } from "../../../store/shared";
import { Column, NumericArray, Utf8, ctorOf, decodeUtf8 } from "./column";

function takeTyped<T extends NumericArray>(src: T, idx: Int32Array): T {
  const out = sharedArray(src.constructor as never, idx.length) as unknown as T;
  const n = idx.length;
  if (src instanceof BigInt64Array) {
    const o = out as unknown as BigInt64Array;
    for (let i = 0; i < n; i++) o[i] = src[idx[i]!]!;
  } else {
    const s = src as Float64Array, o = out as unknown as Float64Array;
    for (let i = 0; i < n; i++) o[i] = s[idx[i]!]!;
  }
  return out;
}

function takeUtf8(u: Utf8, idx: Int32Array): Utf8 {
  const n = idx.length;
  const offsets = sharedArray(Int32Array, n + 1);
  let total = 0;
  // A negative index (a missing dictionary code) takes the empty string.
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    if (r >= 0) total += u.offsets[r + 1]! - u.offsets[r]!;
    offsets[i + 1] = total;
  }
  const data = sharedArray(Uint8Array, total);
  for (let i = 0; i < n; i++) {
    const r = idx[i]!;
    if (r < 0) continue;
    const s = u.offsets[r]!, e = u.offsets[r + 1]!;
    if (e - s < 32) for (let k = s, at = offsets[i]!; k < e; k++, at++) data[at] = u.data[k]!;
    else data.set(u.data.subarray(s, e), offsets[i]!);
  }
  return { offsets, data };
}

/** Rows `idx` of the column, in that order. */
export function take(c: Column, idx: Int32Array): Column {
  const out: { -readonly [K in keyof Column]: Column[K] } = { dtype: c.dtype, length: idx.length };
  if (c.valid !== undefined) out.valid = takeTyped(c.valid, idx);
  if (c.objects !== undefined) {
    const o = new Array<unknown>(idx.length);
    for (let i = 0; i < idx.length; i++) o[i] = c.objects[idx[i]!];
    out.objects = o;
  } else if (c.values !== undefined) {
    out.values = takeTyped(c.values, idx);
    if (c.dict !== undefined) out.dict = c.dict;
  } else {
    const u = takeUtf8({ offsets: c.offsets!, data: c.data! }, idx);
    out.offsets = u.offsets;
    out.data = u.data;
  }
  return out;
}

/** Rows [start, end): views, no copy (string data stays whole; offsets are rebased lazily by readers). */
export function slice(c: Column, start: number, end: number): Column {
  if (start === 0 && end === c.length) return c;
  const out: { -readonly [K in keyof Column]: Column[K] } = { dtype: c.dtype, length: end - start };
  if (c.valid !== undefined) out.valid = c.valid.subarray(start, end);
  if (c.objects !== undefined) out.objects = c.objects.slice(start, end);
  else if (c.values !== undefined) {
    out.values = c.values.subarray(start, end);
    if (c.dict !== undefined) out.dict = c.dict;
  } else {
    out.offsets = c.offsets!.subarray(start, end + 1);
    out.data = c.data!;
  }
  return out;
}

/** Rows where mask is 1. */
export function filterColumn(c: Column, idx: Int32Array): Column {
  return take(c, idx);
}

/** The row indices where a byte mask is set. */
export function maskToIndex(mask: Uint8Array, valid?: Uint8Array): Int32Array {
  if (valid === undefined) {
    // Masks hold 0 or 1: count without a branch, then gather.
    let count = 0;
    for (let i = 0; i < mask.length; i++) count += mask[i]!;
    const out = new Int32Array(count);
    for (let i = 0, k = 0; k < count; i++) if (mask[i]) out[k++] = i;
    return out;
  }
  let n = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && (valid === undefined || valid[i])) n++;
  const idx = new Int32Array(n);
  let k = 0;
  for (let i = 0; i < mask.length; i++) if (mask[i] && (valid === undefined || valid[i])) idx[k++] = i;
  return idx;
}

/** A dictionary column as plain UTF-8. */
export function undictionary(c: Column): Column {
  if (c.dict === undefined) return c;
  const codes = c.values as Int32Array;
  const u = takeUtf8(c.dict, codes);
  const out: { -readonly [K in keyof Column]: Column[K] } = { dtype: "string", length: c.length, offsets: u.offsets, data: u.data };
  if (c.valid !== undefined) out.valid = c.valid;
  return out;
}

function concatTyped(parts: NumericArray[], total: number, ctor: new (n: number) => NumericArray): NumericArray {
  const out = sharedArray(ctor as never, total) as unknown as NumericArray;
  let at = 0;
  for (const p of parts) {
    (out as Float64Array).set(p as Float64Array, at);
    at += p.length;
  }
  return out;
}

/** The columns' rows one after the other. All must have the same dtype. */
export function concatColumns(cols: readonly Column[]): Column {
  if (cols.length === 1) return cols[0]!;
  const dtype = cols[0]!.dtype;
  const total = cols.reduce((n, c) => n + c.length, 0);
  const out: { -readonly [K in keyof Column]: Column[K] } = { dtype, length: total };
  if (cols.some((c) => c.valid !== undefined)) {
    out.valid = concatTyped(cols.map((c) => c.valid ?? new Uint8Array(c.length).fill(1)), total, Uint8Array) as Uint8Array;
  }
  if (dtype === "object") {
    out.objects = cols.flatMap((c) => c.objects!);
  } else if (dtype !== "string") {
    out.values = concatTyped(cols.map((c) => c.values!), total, ctorOf(dtype) as never);
  } else if (cols.every((c) => c.dict !== undefined)) {
    const { codes, dict } = mergeDictionaries(cols);
    out.values = codes;
    out.dict = dict;
  } else {
    const plain = cols.map(undictionary);
    const offsets = sharedArray(Int32Array, total + 1);
    let bytes = 0;
    for (const c of plain) bytes += c.offsets![c.length]! - c.offsets![0]!;
    const data = sharedArray(Uint8Array, bytes);
    let row = 0, at = 0;
    for (const c of plain) {
      const o = c.offsets!, base = o[0]!;
      for (let i = 1; i <= c.length; i++) offsets[row + i] = at + o[i]! - base;
      data.set(c.data!.subarray(base, o[c.length]!), at);
      at += o[c.length]! - base;
      row += c.length;
    }
    out.offsets = offsets;
    out.data = data;
  }
  return out;
}

function mergeDictionaries(cols: readonly Column[]): { codes: Int32Array; dict: Utf8 } {
  const total = cols.reduce((n, c) => n + c.length, 0);
  const codes = sharedArray(Int32Array, total);
  const first = cols[0]!.dict!;
  if (cols.every((c) => c.dict!.data === first.data && c.dict!.offsets === first.offsets)) {
    let at = 0;
    for (const c of cols) {
      codes.set(c.values as Int32Array, at);
      at += c.length;
    }
    return { codes, dict: first };
  }
  const index = new Map<string, number>();
  const strings: string[] = [];
  let at = 0;
  for (const c of cols) {
    const d = decodeUtf8(c.dict!);
    const remap = new Int32Array(d.length);
    for (let k = 0; k < d.length; k++) {
      let code = index.get(d[k]!);
      if (code === undefined) {
        code = strings.length;
        index.set(d[k]!, code);
        strings.push(d[k]!);
      }
      remap[k] = code;
    }
    const src = c.values as Int32Array;
    for (let i = 0; i < c.length; i++) codes[at + i] = src[i]! < 0 ? -1 : remap[src[i]!]!;
    at += c.length;
  }
  return { codes, dict: utf8Of(strings) };
}

const enc = new TextEncoder();
/** A UTF-8 table of strings. */
export function utf8Of(strings: readonly string[]): Utf8 {
  const bytes = strings.map((s) => enc.encode(s));
  const offsets = sharedArray(Int32Array, strings.length + 1);
  let total = 0;
  bytes.forEach((b, i) => {
    total += b.length;
    offsets[i + 1] = total;
  });
  const data = sharedArray(Uint8Array, total);
  bytes.forEach((b, i) => data.set(b, offsets[i]!));
  return { offsets, data };
}

/** Rows `idx` of c, missing where idx is -1 (outer joins, first/last of empty groups). */
export function takeNullable(c: Column, idx: Int32Array): Column {
  let anyMissing = false;
  const safe = new Int32Array(idx.length);
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0) anyMissing = true;
    else safe[i] = idx[i]!;
  }
  if (!anyMissing) return take(c, idx);
  if (c.length === 0) {
    // Nothing to take from: every row is missing.
    const dtype = c.dtype, n = idx.length;
    if (dtype === "float64" || dtype === "timestamp") return { dtype, length: n, values: sharedArray(Float64Array, n).fill(NaN) };
    if (dtype === "object") return { dtype, length: n, objects: new Array(n).fill(null), valid: new Uint8Array(n) };
    if (dtype === "string") return { dtype, length: n, offsets: new Int32Array(n + 1), data: new Uint8Array(0), valid: new Uint8Array(n) };
    return { dtype, length: n, values: new (ctorOf(dtype))(n) as NumericArray, valid: new Uint8Array(n) };
  }
  const t = take(c, safe);
  if (t.dtype === "float64" || t.dtype === "timestamp") {
    const v = sharedArray(Float64Array, idx.length);
    v.set(t.values as Float64Array);
    for (let i = 0; i < idx.length; i++) if (idx[i]! < 0) v[i] = NaN;
    return t.valid === undefined ? { dtype: t.dtype, length: t.length, values: v } : { dtype: t.dtype, length: t.length, values: v, valid: t.valid };
  }
  const valid = sharedArray(Uint8Array, idx.length);
  for (let i = 0; i < idx.length; i++) valid[i] = idx[i]! < 0 ? 0 : (t.valid?.[i] ?? 1);
  return { ...t, valid };
}
