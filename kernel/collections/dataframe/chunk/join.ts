/**
 * Hash join of two partitions on key columns (merge / join). The right
 * side is built into a Map from key to its rows; the left side probes it.
 * Output columns: the keys (once when both sides name them alike, filled
 * from whichever side has the row in outer joins), then the left columns,
 * then the right ones; a name both sides use gets the suffixes (pandas'
 * "_x" / "_y"). Missing keys never match, as in pandas.
 */
import { Column, isNull, stringValues } from "./column";
import { concatColumns, takeNullable } from "./colops";
import { asFloat } from "./evaluate";
import { column, makePart, Part } from "./part";

export type JoinHow = "inner" | "left" | "right" | "outer";

export interface JoinSpec {
  readonly leftOn: readonly string[];
  readonly rightOn: readonly string[];
  readonly how: JoinHow;
  readonly suffixes: readonly [string, string];
}

function keyOf(p: Part, keys: readonly string[]): (string | number | null)[] {
  const cols = keys.map((k) => column(p, k));
  const vals = cols.map((c) => (c.dtype === "string" ? stringValues(c) : c.dtype === "object" ? c.objects!.map((o) => (o == null ? null : JSON.stringify(o))) : Array.from(asFloat(c))));
  const out = new Array<string | number | null>(p.numRows);
  for (let i = 0; i < p.numRows; i++) {
    let missing = false;
    for (let k = 0; k < cols.length; k++) if (isNull(cols[k]!, i) || vals[k]![i] === null || vals[k]![i] !== vals[k]![i]) missing = true;
    if (missing) out[i] = null;
    else out[i] = cols.length === 1 ? vals[0]![i]! : JSON.stringify(vals.map((v) => v[i]));
  }
  return out;
}

export function hashJoin(left: Part, right: Part, spec: JoinSpec): Part {
  const lk = keyOf(left, spec.leftOn), rk = keyOf(right, spec.rightOn);
  const build = new Map<string | number, number[]>();
  for (let j = 0; j < rk.length; j++) {
    const k = rk[j];
    if (k === null || k === undefined) continue;
    const rows = build.get(k);
    if (rows) rows.push(j);
    else build.set(k, [j]);
  }
  const li: number[] = [], ri: number[] = [];
  const matched = new Uint8Array(right.numRows);
  const keepLeft = spec.how === "left" || spec.how === "outer";
  for (let i = 0; i < lk.length; i++) {
    const k = lk[i];
    const rows = k === null || k === undefined ? undefined : build.get(k);
    if (rows) {
      for (const j of rows) {
        li.push(i);
        ri.push(j);
        matched[j] = 1;
      }
    } else if (keepLeft) {
      li.push(i);
      ri.push(-1);
    }
  }
  if (spec.how === "right" || spec.how === "outer") {
    for (let j = 0; j < right.numRows; j++) if (!matched[j]) {
      li.push(-1);
      ri.push(j);
    }
  }
  const L = Int32Array.from(li), R = Int32Array.from(ri);
  const names: string[] = [];
  const cols: Column[] = [];
  const shared = spec.leftOn.filter((k, i) => spec.rightOn[i] === k);
  for (const k of shared) {
    names.push(k);
    cols.push(coalesce(takeNullable(column(left, k), L), takeNullable(column(right, k), R), L));
  }
  const rightNames = new Set(right.names.filter((n) => !shared.includes(n)));
  const leftNames = new Set(left.names.filter((n) => !shared.includes(n)));
  for (const n of left.names) {
    if (shared.includes(n)) continue;
    names.push(rightNames.has(n) ? n + spec.suffixes[0] : n);
    cols.push(takeNullable(column(left, n), L));
  }
  for (const n of right.names) {
    if (shared.includes(n)) continue;
    names.push(leftNames.has(n) ? n + spec.suffixes[1] : n);
    cols.push(takeNullable(column(right, n), R));
  }
  return makePart(names, cols, L.length);
}

/** The left key where the row has a left side, else the right key. */
function coalesce(a: Column, b: Column, L: Int32Array): Column {
  if (!L.some((i) => i < 0)) return a;
  if (a.dtype !== b.dtype) return a;
  const idx = new Int32Array(L.length);
  const n = L.length;
  for (let i = 0; i < n; i++) idx[i] = L[i]! < 0 ? n + i : i;
  return takeNullable(concatColumns([a, b]), idx);
}
