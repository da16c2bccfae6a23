/**
 * Small seeded data for the DataFrame tests, written as CSV into a temp
 * folder, with the same rows as plain JS objects: every test checks
 * Tessera's answer against a reference computed from these rows in plain
 * JS (never against Tessera itself).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface Row {
  id: number;
  name: string;
  x: number;
  y: number | null;
  flag: boolean;
  t: string;
}

/** xorshift32: deterministic numbers for the fixtures. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export const NAMES = ["alice", "bob", "carol", "dave", "erin", "frank", "grace"];

export function makeRows(n: number, seed = 7): Row[] {
  const r = rng(seed);
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const name = NAMES[Math.floor(r() * NAMES.length)]!;
    const x = Math.round((r() * 200 - 100) * 1000) / 1000;
    const y = r() < 0.1 ? null : Math.round(r() * 1e6) / 100;
    rows.push({ id: i, name, x, y, flag: r() < 0.5, t: new Date(Date.UTC(2024, 0, 1) + Math.floor(r() * 86400 * 400) * 1000).toISOString().slice(0, 19) });
  }
  return rows;
}

export function tmpDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `tessera-df-${tag}-`));
}

export function writeCsv(file: string, rows: Row[], eol = "\n"): string {
  const lines = ["id,name,x,y,flag,t", ...rows.map((r) => `${r.id},${r.name},${r.x},${r.y === null ? "" : r.y},${r.flag},${r.t}`)];
  fs.writeFileSync(file, lines.join(eol) + eol);
  return file;
}

/** Sum / mean / count of present values, as pandas. */
export function stats(xs: (number | null)[]): { sum: number; mean: number; count: number; min: number; max: number; std: number } {
  const v = xs.filter((x): x is number => x !== null && !Number.isNaN(x));
  const sum = v.reduce((a, b) => a + b, 0);
  const mean = sum / v.length;
  const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1));
  return { sum, mean, count: v.length, min: Math.min(...v), max: Math.max(...v), std };
}

export function close(a: number, b: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

export function groupBy<T>(rows: T[], key: (r: T) => string): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    let g = m.get(k);
    if (!g) m.set(k, (g = []));
    g.push(r);
  }
  return m;
}
