/**
 * groupBy().agg by tree reduction, in three kernels:
 *   aggChunk    one partition -> per-group partial states (a small partition:
 *               the key columns plus one column per state);
 *   aggCombine  several partial partitions -> one, merging states per group;
 *   aggFinal    states -> the requested values, one row per group.
 * Partial states are sums, counts, min/max, and (count, mean, M2) for
 * variance, merged with Chan's formula (see reduce.ts). State columns are
 * named `${column}\u0001${stat}`, which no user column is.
 */
import { sharedArray } from "../../../store/shared";
import { Column, isNull, stringValues } from "./column";
import { take, takeNullable as takeOrNull } from "./colops";
import { asFloat } from "./evaluate";
import { Groups, groupRows } from "./groupids";
import { column, concatParts, makePart, Part, takeRows } from "./part";
import { sortIndex } from "./sort";

export const AGG_FNS = ["sum", "mean", "count", "min", "max", "std", "var", "size", "prod", "first", "last", "nunique"] as const;
export type AggFn = (typeof AGG_FNS)[number];

export interface AggSpec {
  readonly col: string;
  readonly how: AggFn;
  /** Output column name. */
  readonly out: string;
}

type Stat = "n" | "sum" | "mean" | "m2" | "min" | "max" | "size" | "prod" | "first" | "last" | "distinct";

const NEEDS: Record<AggFn, Stat[]> = {
  sum: ["sum"], count: ["n"], mean: ["sum", "n"], min: ["min"], max: ["max"], std: ["n", "mean", "m2"], var: ["n", "mean", "m2"],
  size: ["size"], prod: ["prod"], first: ["first"], last: ["last"], nunique: ["distinct"],
};

const SEP = "\u0001";
const stateName = (col: string, s: Stat) => `${col}${SEP}${s}`;

function statsByColumn(specs: readonly AggSpec[]): Map<string, Set<Stat>> {
  const out = new Map<string, Set<Stat>>();
  for (const s of specs) {
    let set = out.get(s.col);
    if (set === undefined) out.set(s.col, (set = new Set()));
    for (const st of NEEDS[s.how]) set.add(st);
  }
  return out;
}

function floats(n: number, fill: number): Float64Array {
  const a = sharedArray(Float64Array, n);
  if (fill !== 0) a.fill(fill);
  return a;
}

/** Per-group states of one partition. */
export function aggChunk(p: Part, keys: readonly string[], specs: readonly AggSpec[]): Part {
  const g = groupRows(p, keys);
  const names = [...keys];
  const cols: Column[] = keys.map((k) => take(column(p, k), g.first));
  for (const [col, stats] of statsByColumn(specs)) {
    const c = column(p, col);
    for (const [st, out] of chunkStats(c, g, stats)) {
      names.push(stateName(col, st));
      cols.push(out);
    }
  }
  return makePart(names, cols, g.count);
}

function chunkStats(c: Column, g: Groups, stats: Set<Stat>): [Stat, Column][] {
  const G = g.count, ids = g.ids, n = c.length;
  const out: [Stat, Column][] = [];
  const f = (s: Stat, v: Float64Array) => out.push([s, { dtype: "float64", length: G, values: v }]);
  if (stats.has("size")) {
    const size = floats(G, 0);
    for (let i = 0; i < n; i++) if (ids[i]! >= 0) size[ids[i]!]!++;
    f("size", size);
  }
  if (stats.has("first") || stats.has("last")) {
    const first = new Int32Array(G).fill(-1), last = new Int32Array(G).fill(-1);
    for (let i = 0; i < n; i++) {
      const k = ids[i]!;
      if (k < 0 || isNull(c, i)) continue;
      if (first[k] === -1) first[k] = i;
      last[k] = i;
    }
    if (stats.has("first")) out.push(["first", takeOrNull(c, first)]);
    if (stats.has("last")) out.push(["last", takeOrNull(c, last)]);
  }
  if (stats.has("distinct")) {
    const sets: Set<unknown>[] = Array.from({ length: G }, () => new Set());
    const vals: ArrayLike<unknown> = c.dtype === "string" ? stringValues(c) : c.dtype === "object" ? c.objects!.map((o) => JSON.stringify(o)) : asFloat(c);
    for (let i = 0; i < n; i++) if (ids[i]! >= 0 && !isNull(c, i) && vals[i] === vals[i]) sets[ids[i]!]!.add(vals[i]);
    out.push(["distinct", { dtype: "object", length: G, objects: sets.map((s) => [...s]) }]);
  }
  const numeric = ["n", "sum", "mean", "m2", "min", "max", "prod"].some((s) => stats.has(s as Stat));
  if (!numeric) return out;
  const onlyCount = stats.size === 1 && stats.has("n");
  if (c.dtype === "string" || c.dtype === "object" || (onlyCount && c.valid === undefined && (c.dtype === "int32" || c.dtype === "bool" || c.dtype === "int64"))) {
    // Counting works on any column; the other statistics need numbers (checked when the graph is built).
    const cnt = floats(G, 0);
    if (c.valid === undefined) {
      for (let i = 0; i < n; i++) if (ids[i]! >= 0) cnt[ids[i]!]!++;
    } else for (let i = 0; i < n; i++) if (ids[i]! >= 0 && !isNull(c, i)) cnt[ids[i]!]!++;
    f("n", cnt);
    return out;
  }
  const v = asFloat(c);
  const cnt = floats(G, 0), sum = floats(G, 0);
  for (let i = 0; i < n; i++) {
    const k = ids[i]!, x = v[i]!;
    if (k < 0 || x !== x) continue;
    cnt[k]!++;
    sum[k]! += x;
  }
  if (stats.has("n")) f("n", cnt);
  if (stats.has("sum")) f("sum", sum);
  if (stats.has("mean") || stats.has("m2")) {
    const mean = floats(G, 0), m2 = floats(G, 0);
    for (let k = 0; k < G; k++) mean[k] = cnt[k]! > 0 ? sum[k]! / cnt[k]! : 0;
    for (let i = 0; i < n; i++) {
      const k = ids[i]!, x = v[i]!;
      if (k < 0 || x !== x) continue;
      const d = x - mean[k]!;
      m2[k]! += d * d;
    }
    f("mean", mean);
    f("m2", m2);
  }
  if (stats.has("min") || stats.has("max")) {
    const lo = floats(G, Infinity), hi = floats(G, -Infinity);
    for (let i = 0; i < n; i++) {
      const k = ids[i]!, x = v[i]!;
      if (k < 0 || x !== x) continue;
      if (x < lo[k]!) lo[k] = x;
      if (x > hi[k]!) hi[k] = x;
    }
    if (stats.has("min")) f("min", lo);
    if (stats.has("max")) f("max", hi);
  }
  if (stats.has("prod")) {
    const pr = floats(G, 1);
    for (let i = 0; i < n; i++) if (ids[i]! >= 0 && v[i] === v[i]) pr[ids[i]!]! *= v[i]!;
    f("prod", pr);
  }
  return out;
}

/** Merges partial states (from aggChunk or aggCombine) into one partial partition. */
export function aggCombine(parts: readonly Part[], keys: readonly string[]): Part {
  const all = concatParts(parts);
  const g = groupRows(all, keys);
  const G = g.count, ids = g.ids, n = all.numRows;
  const names = [...keys];
  const cols: Column[] = keys.map((k) => take(column(all, k), g.first));
  const byCol = new Map<string, Map<Stat, Column>>();
  all.names.forEach((name, i) => {
    const at = name.indexOf(SEP);
    if (at < 0) return;
    const col = name.slice(0, at), st = name.slice(at + 1) as Stat;
    let m = byCol.get(col);
    if (m === undefined) byCol.set(col, (m = new Map()));
    m.set(st, all.columns[i]!);
  });
  for (const [col, stats] of byCol) {
    const merged = new Map<Stat, Column>();
    const v = (s: Stat) => stats.get(s)!.values as Float64Array;
    const addUp = (s: Stat) => {
      const out = floats(G, 0), src = v(s);
      for (let i = 0; i < n; i++) if (ids[i]! >= 0) out[ids[i]!]! += src[i]!;
      merged.set(s, { dtype: "float64", length: G, values: out });
    };
    if (stats.has("size")) addUp("size");
    if (stats.has("sum")) addUp("sum");
    if (stats.has("m2")) {
      const cnt = floats(G, 0), mean = floats(G, 0), m2 = floats(G, 0);
      const sn = v("n"), sm = v("mean"), sq = v("m2");
      for (let i = 0; i < n; i++) {
        const k = ids[i]!;
        if (k < 0 || sn[i] === 0) continue;
        const na = cnt[k]!, nb = sn[i]!, nn = na + nb, d = sm[i]! - mean[k]!;
        mean[k] = mean[k]! + (d * nb) / nn;
        m2[k] = m2[k]! + sq[i]! + (d * d * na * nb) / nn;
        cnt[k] = nn;
      }
      merged.set("n", { dtype: "float64", length: G, values: cnt });
      merged.set("mean", { dtype: "float64", length: G, values: mean });
      merged.set("m2", { dtype: "float64", length: G, values: m2 });
    } else if (stats.has("n")) addUp("n");
    for (const [s, fn] of [["min", Math.min], ["max", Math.max], ["prod", (a: number, b: number) => a * b]] as const) {
      if (!stats.has(s)) continue;
      const out = floats(G, s === "min" ? Infinity : s === "max" ? -Infinity : 1), src = v(s);
      for (let i = 0; i < n; i++) if (ids[i]! >= 0) out[ids[i]!] = fn(out[ids[i]!]!, src[i]!);
      merged.set(s, { dtype: "float64", length: G, values: out });
    }
    for (const s of ["first", "last"] as const) {
      if (!stats.has(s)) continue;
      const c = stats.get(s)!, pick = new Int32Array(G).fill(-1);
      for (let i = 0; i < n; i++) {
        const k = ids[i]!;
        if (k < 0 || isNull(c, i)) continue;
        if (s === "last" || pick[k] === -1) pick[k] = i;
      }
      merged.set(s, takeOrNull(c, pick));
    }
    if (stats.has("distinct")) {
      const sets: Set<unknown>[] = Array.from({ length: G }, () => new Set());
      const src = stats.get("distinct")!.objects as unknown[][];
      for (let i = 0; i < n; i++) if (ids[i]! >= 0) for (const x of src[i]!) sets[ids[i]!]!.add(x);
      merged.set("distinct", { dtype: "object", length: G, objects: sets.map((s) => [...s]) });
    }
    for (const [s, c] of merged) {
      names.push(stateName(col, s));
      cols.push(c);
    }
  }
  return makePart(names, cols, G);
}

/** The requested values from merged states; rows sorted by the keys when `sort`. */
export function aggFinal(parts: readonly Part[], keys: readonly string[], specs: readonly AggSpec[], sort: boolean, ddof = 1): Part {
  const p = parts.length === 1 ? parts[0]! : aggCombine(parts, keys);
  const G = p.numRows;
  const names = [...keys];
  const cols: Column[] = keys.map((k) => column(p, k));
  const st = (col: string, s: Stat) => column(p, stateName(col, s));
  const fv = (col: string, s: Stat) => st(col, s).values as Float64Array;
  for (const s of specs) {
    const out = floats(G, 0);
    let c: Column = { dtype: "float64", length: G, values: out };
    switch (s.how) {
      case "sum":
      case "size":
      case "prod":
      case "count": {
        const src = fv(s.col, s.how === "count" ? "n" : s.how);
        out.set(src);
        if (s.how === "count" || s.how === "size") c = { dtype: "int32", length: G, values: Int32Array.from(src) };
        break;
      }
      case "mean": {
        const sum = fv(s.col, "sum"), n = fv(s.col, "n");
        for (let k = 0; k < G; k++) out[k] = n[k]! > 0 ? sum[k]! / n[k]! : NaN;
        break;
      }
      case "min":
      case "max": {
        const src = fv(s.col, s.how);
        const none = s.how === "min" ? Infinity : -Infinity; // the start value: no value in the group
        for (let k = 0; k < G; k++) out[k] = src[k] === none ? NaN : src[k]!;
        break;
      }
      case "std":
      case "var": {
        const n = fv(s.col, "n"), m2 = fv(s.col, "m2");
        for (let k = 0; k < G; k++) {
          const dof = n[k]! - ddof;
          out[k] = dof > 0 ? (s.how === "var" ? m2[k]! / dof : Math.sqrt(m2[k]! / dof)) : NaN;
        }
        break;
      }
      case "first":
      case "last":
        c = st(s.col, s.how);
        break;
      case "nunique":
        c = { dtype: "int32", length: G, values: Int32Array.from((st(s.col, "distinct").objects as unknown[][]).map((a) => a.length)) };
        break;
    }
    names.push(s.out);
    cols.push(c);
  }
  const result = makePart(names, cols, G);
  return sort ? takeRows(result, sortIndex(result, keys, keys.map(() => true))) : result;
}
