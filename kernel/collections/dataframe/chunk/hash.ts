/**
 * Row hashes of key columns, for the shuffle: the same key value hashes the
 * same in every partition and every thread, whatever its encoding there
 * (dictionary or plain string; int32, int64 or float64 holding the same
 * number). Strings hash their UTF-16 code units (FNV-1a); numbers their
 * float64 bits; several keys mix their hashes.
 */
import { Column, decodeUtf8, isNull, stringValues } from "./column";
import { asFloat } from "./evaluate";
import { column, Part } from "./part";

export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
export function hashNumber(x: number): number {
  f64[0] = x === 0 ? 0 : x;
  let h = Math.imul(u32[0]! ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ u32[1]! ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function hashColumn(c: Column): Uint32Array {
  const n = c.length, out = new Uint32Array(n);
  if (c.dtype === "string") {
    if (c.dict !== undefined) {
      const d = decodeUtf8(c.dict).map(hashString), codes = c.values as Int32Array;
      for (let i = 0; i < n; i++) out[i] = codes[i]! < 0 ? 0 : d[codes[i]!]!;
    } else {
      const s = stringValues(c);
      for (let i = 0; i < n; i++) out[i] = s[i] === null ? 0 : hashString(s[i]!);
    }
  } else if (c.dtype === "object") {
    for (let i = 0; i < n; i++) out[i] = c.objects![i] == null ? 0 : hashString(JSON.stringify(c.objects![i]));
  } else {
    const v = asFloat(c);
    for (let i = 0; i < n; i++) out[i] = isNull(c, i) ? 0 : hashNumber(v[i]!);
  }
  return out;
}

export function hashRows(p: Part, keys: readonly string[]): Uint32Array {
  let h = hashColumn(column(p, keys[0]!));
  for (let k = 1; k < keys.length; k++) {
    const next = hashColumn(column(p, keys[k]!));
    for (let i = 0; i < h.length; i++) h[i] = (Math.imul(h[i]! ^ 0x9e3779b9, 31) + next[i]!) >>> 0;
  }
  return h;
}
