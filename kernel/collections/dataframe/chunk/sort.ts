/**
 * Sorting rows by key columns: a stable index sort, missing values last
 * (pandas' na_position="last"). Strings compare by code unit, as JS does.
 */
import { Column, isNull, stringValues } from "./column";
import { asFloat } from "./evaluate";
import { column, Part } from "./part";

type Keyed = { values: ArrayLike<number | string | null>; asc: boolean; col: Column };

function keyValues(c: Column): ArrayLike<number | string | null> {
  if (c.dtype === "string") return stringValues(c);
  if (c.dtype === "object") return c.objects!.map((o) => (o == null ? null : JSON.stringify(o)));
  const v = asFloat(c);
  return v;
}

export function sortIndex(p: Part, keys: readonly string[], ascending: readonly boolean[]): Int32Array {
  const ks: Keyed[] = keys.map((k, i) => {
    const col = column(p, k);
    return { values: keyValues(col), asc: ascending[i] ?? true, col };
  });
  const idx = new Int32Array(p.numRows);
  for (let i = 0; i < idx.length; i++) idx[i] = i;
  // Single float key without nulls: sort a typed copy of (value, index) for speed.
  if (ks.length === 1 && ks[0]!.values instanceof Float64Array) {
    const v = ks[0]!.values as Float64Array, asc = ks[0]!.asc;
    return Int32Array.from([...idx].sort((a, b) => {
      const x = v[a]!, y = v[b]!;
      if (x !== x) return y !== y ? a - b : 1;
      if (y !== y) return -1;
      return x === y ? a - b : (x < y ? -1 : 1) * (asc ? 1 : -1);
    }));
  }
  const arr = [...idx].sort((a, b) => {
    for (const k of ks) {
      const na = k.values[a] === null || k.values[a] !== k.values[a] || isNull(k.col, a);
      const nb = k.values[b] === null || k.values[b] !== k.values[b] || isNull(k.col, b);
      if (na || nb) {
        if (na && nb) continue;
        return na ? 1 : -1;
      }
      const x = k.values[a]!, y = k.values[b]!;
      if (x < y) return k.asc ? -1 : 1;
      if (x > y) return k.asc ? 1 : -1;
    }
    return a - b;
  });
  return Int32Array.from(arr);
}
