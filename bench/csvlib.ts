/**
 * Why Tessera parses CSV itself: one 64 MB block of the W3 file parsed
 * into typed columns by udsv (a small, fast JS CSV library: string in,
 * typed columns out) and by Tessera's parser (bytes in, no string per
 * field), one thread each, best of 3 after a warm-up.
 *
 *   npm run bench -- csvlib
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { inferPlan } from "../kernel/io/csv/infer";
import { parseLines } from "../kernel/io/csv/parse";
import { fmt } from "./lib/measure";
import { ANCHORS } from "./lib/python";
import { table, writeSection } from "./lib/results";

const FILE = path.join(process.env.PERF_DATA ?? "/tmp/perf/data", "w3_16M.csv");
const BLOCK = 64e6;

function best(fn: () => number, reps = 3): { ms: number; rows: number } {
  fn();
  let ms = Infinity, rows = 0;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    rows = fn();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, rows };
}

export async function main(): Promise<void> {
  if (!fs.existsSync(FILE)) execFileSync(process.execPath, [path.join(ANCHORS, "gen_data.mjs"), "w3"], { stdio: "inherit" });
  const buf = Buffer.allocUnsafeSlow(BLOCK + 1);
  const fd = fs.openSync(FILE, "r");
  fs.readSync(fd, buf, 0, BLOCK, 0);
  fs.closeSync(fd);
  const end = buf.lastIndexOf(10) + 1;
  const start = buf.indexOf(10) + 1;
  const { inferSchema, initParser } = await import("udsv");
  const udsv = best(() => {
    const text = buf.toString("latin1", 0, end);
    const parser = initParser(inferSchema(text));
    return (parser.typedCols(text)[0] as unknown[]).length;
  });
  const rows: (string | number)[][] = [["udsv 0.7.3 (all 5 columns)", udsv.rows, fmt(udsv.ms, 0), fmt(BLOCK / 1e3 / udsv.ms, 0)]];
  for (const columns of [undefined, ["id", "name", "x", "y"]]) {
    const { plan } = inferPlan([FILE], columns ? { columns } : {});
    const t = best(() => parseLines(buf, start, end, end, plan, { file: FILE, firstLine: () => 1 }).numRows);
    rows.push([`Tessera (${columns ? "4 of 5 columns" : "all 5 columns"})`, t.rows, fmt(t.ms, 0), fmt(BLOCK / 1e3 / t.ms, 0)]);
  }
  const body = table(["parser", "rows", "ms per 64 MB block", "MB/s"], rows);
  writeSection("csvlib", "CSV parsers — one 64 MB block of the W3 file, one thread", "npm run bench -- csvlib", `${body}\n\nudsv parses a string (decoding the block costs extra and is included). The W3 target (the whole 0.94 GB file and two queries in about 2 s on two threads) needs several hundred MB/s per thread.`);
  console.log(body);
}
