/**
 * Factorizing rows by key columns: each row gets the id of its group
 * (0, 1, … in order of first appearance), plus the first row of each
 * group, so that key values can be taken once per group. Rows whose key
 * is missing get -1 and belong to no group (pandas' dropna=True).
 *
 * Dictionary string keys group by code (the strings are never looked at
 * per row); other keys go through a Map; several keys combine their
 * per-column ids arithmetically.
 */
import { Column, isNull, stringValues } from "./column";
import { column, Part } from "./part";

export interface Groups {
  /** Group id of each row, -1 for rows with a missing key. */
  readonly ids: Int32Array;
  readonly count: number;
  /** First row of each group. */
  readonly first: Int32Array;
}

function finish(ids: Int32Array, count: number): Groups {
  const first = new Int32Array(count).fill(-1);
  for (let i = 0; i < ids.length; i++) {
    const g = ids[i]!;
    if (g >= 0 && first[g] === -1) first[g] = i;
  }
  return { ids, count, first };
}

export function factorize(c: Column): Groups {
  const n = c.length;
  const ids = new Int32Array(n);
  let count = 0;
  if (c.dict !== undefined) {
    const codes = c.values as Int32Array;
    const remap = new Int32Array(c.dict.offsets.length - 1).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = codes[i]!;
      if (k < 0 || (c.valid !== undefined && c.valid[i] === 0)) {
        ids[i] = -1;
        continue;
      }
      let g = remap[k]!;
      if (g < 0) remap[k] = g = count++;
      ids[i] = g;
    }
    return finish(ids, count);
  }
  const map = new Map<unknown, number>();
  const vals: ArrayLike<unknown> = c.dtype === "string" ? stringValues(c) : c.dtype === "object" ? c.objects!.map((o) => (o == null ? null : JSON.stringify(o))) : c.values!;
  for (let i = 0; i < n; i++) {
    const v = vals[i];
    if (v === null || v === undefined || (typeof v === "number" && v !== v) || isNull(c, i)) {
      ids[i] = -1;
      continue;
    }
    let g = map.get(v);
    if (g === undefined) map.set(v, (g = count++));
    ids[i] = g;
  }
  return finish(ids, count);
}

/** Groups of `p` by the named key columns. */
export function groupRows(p: Part, keys: readonly string[]): Groups {
  let acc = factorize(column(p, keys[0]!));
  for (let k = 1; k < keys.length; k++) {
    const next = factorize(column(p, keys[k]!));
    const n = p.numRows, ids = new Int32Array(n);
    const map = new Map<number, number>();
    let count = 0;
    for (let i = 0; i < n; i++) {
      const a = acc.ids[i]!, b = next.ids[i]!;
      if (a < 0 || b < 0) {
        ids[i] = -1;
        continue;
      }
      const combined = a * next.count + b;
      let g = map.get(combined);
      if (g === undefined) map.set(combined, (g = count++));
      ids[i] = g;
    }
    acc = finish(ids, count);
  }
  return acc;
}

/**
 * Row order that puts each group's rows together (groups in id order,
 * rows in their original order), and where each group starts: group g is
 * order[start[g] .. start[g + 1]). A counting sort: O(rows).
 */
export function groupOrder(g: Groups): { order: Int32Array; start: Int32Array } {
  const start = new Int32Array(g.count + 1);
  let valid = 0;
  for (let i = 0; i < g.ids.length; i++) if (g.ids[i]! >= 0) {
    start[g.ids[i]! + 1]!++;
    valid++;
  }
  for (let k = 0; k < g.count; k++) start[k + 1] = start[k + 1]! + start[k]!;
  const pos = start.slice(0, g.count);
  const order = new Int32Array(valid);
  for (let i = 0; i < g.ids.length; i++) {
    const id = g.ids[i]!;
    if (id >= 0) order[pos[id]!++] = i;
  }
  return { order, start };
}
