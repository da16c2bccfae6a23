/**
 * W6: groupBy("name").apply(fit, { meta }) on 1M rows in 1000 groups (the
 * seed's groupby-apply with a model fit per group), read from a 28 MB CSV
 * with blocksize 4 MB — against Dask's groupby-apply (same blocksize,
 * threads, numpy least squares) and pandas, on the same file. The fit is
 * DESIGN's `train`: a closed-form least-squares line per group.
 *
 *   npm run bench -- w6 [--reps 3]
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { execFileSync } from "node:child_process";
import { dd, LocalCluster } from "../kernel";
import { measured, runChild } from "./lib/child";
import { fmt, median } from "./lib/measure";
import { ANCHORS, DASK_SCRIPTS, havePythonDask, runPython } from "./lib/python";
import { table, writeSection } from "./lib/results";

const DATA = process.env.PERF_DATA ?? "/tmp/perf/data";
const FILE = path.join(DATA, "w6_1M.csv");

function train(part: { numRows: number; x: Float64Array; y: Float64Array }) {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < part.numRows; i++) {
    const x = part.x[i]!, y = part.y[i]!;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { slope: a, intercept: (sy - a * sx) / n };
}

async function tessera(): Promise<Record<string, unknown>> {
  const cluster = await LocalCluster.start({ workers: 2 });
  try {
    // Start the worker threads before timing, as the Python side imports pandas and Dask before its clock starts.
    await dd.fromRecords([{ a: 1 }]).numRows().compute();
    const m = await measured(async () => {
      const ddf = dd.readCsv(FILE, { blocksize: 4e6 });
      const models = await ddf.groupBy("name").apply(train, { meta: { name: "LinearRegression", type: "object" } }).compute();
      const recs = models.toRecords().sort((a, b) => ((a.name as string) < (b.name as string) ? -1 : 1));
      const f = recs[0]!.LinearRegression as { slope: number; intercept: number };
      return { groups: recs.length, first: [recs[0]!.name, [+f.slope.toFixed(6), +f.intercept.toFixed(6)]], npartitions: ddf.npartitions };
    });
    return { impl: "tessera", ...m, ...m.value, value: undefined };
  } finally {
    await cluster.close();
  }
}

export async function main(args: string[]): Promise<void> {
  if (args[0] === "--child") {
    console.log(JSON.stringify(await tessera()));
    return;
  }
  const reps = Number(args[args.indexOf("--reps") + 1] ?? 3) || 3;
  if (!fs.existsSync(FILE)) execFileSync(process.execPath, [path.join(ANCHORS, "gen_data.mjs"), "w6"], { stdio: "inherit" });
  const runs: Record<string, Record<string, unknown>[]> = {};
  for (let r = 0; r < reps; r++) {
    for (const impl of ["tessera", "dask", "pandas"]) {
      let rec: Record<string, unknown>;
      if (impl === "tessera") rec = await runChild(__filename.replace(/w6_groupby_apply\.js$/, "run.js"), ["w6", "--child"]);
      else if (havePythonDask()) rec = await runPython(path.join(DASK_SCRIPTS, "w6_groupby_apply.py"), ["--impl", impl], { env: { ANCHORS } });
      else continue;
      (runs[impl] ??= []).push(rec);
      console.log(`W6 ${impl} run ${r + 1}: ${fmt(rec.wall_s as number)} s, peak RSS ${fmt(rec.peak_rss_mb as number, 0)} MB, first ${JSON.stringify(rec.first)}`);
    }
  }
  const firsts = Object.values(runs).map((rs) => JSON.stringify(rs[0]!.first));
  const t = runs.tessera![0]!.first as [string, [number, number]];
  for (const [impl, rs] of Object.entries(runs)) {
    const f = rs[0]!.first as [string, [number, number]];
    if (f[0] !== t[0] || Math.abs(f[1][0] - t[1][0]) > 1e-5 || Math.abs(f[1][1] - t[1][1]) > 1e-4 || rs[0]!.groups !== runs.tessera![0]!.groups) throw new Error(`W6: ${impl} disagrees: ${firsts.join(" vs ")}`);
  }
  const wall = (impl: string) => median(runs[impl]!.map((x) => x.wall_s as number));
  // The machine may be shared: the best run of each engine is the closest to its quiet-machine
  // time, so ratios use it; the median and the other processes' CPU during the best run are shown.
  const best = (impl: string) => runs[impl]!.reduce((a, b) => ((a.wall_s as number) <= (b.wall_s as number) ? a : b));
  const body = table(["engine", "runs", "best wall s", "median wall s", "Tessera / engine (best)", "peak RSS MB (max)", "other processes' CPU s in the best run"], Object.keys(runs).map((impl) => [
    impl, runs[impl]!.length, fmt(best(impl).wall_s as number), fmt(wall(impl)), impl === "tessera" ? "1" : fmt((best("tessera").wall_s as number) / (best(impl).wall_s as number), 2), fmt(Math.max(...runs[impl]!.map((x) => x.peak_rss_mb as number)), 0), fmt(Number(best(impl).foreign_cpu_s ?? 0), 1),
  ]));
  const note = `File ${FILE}; wall time includes reading the CSV. Tessera: readCsv(blocksize 4e6), groupBy("name").apply(train, { meta: { name: "LinearRegression", type: "object" } }) on 2 worker threads (a hash shuffle, then one call per group). Dask: read_csv(blocksize=4e6).groupby("name").apply(fit, meta=object), threads, numpy closed-form least squares (bench/dask/w6_groupby_apply.py; scikit-learn is not installed). Target: faster than Dask${runs.dask ? ` (now ${fmt((best("tessera").wall_s as number) / (best("dask").wall_s as number), 2)}× best to best, ${fmt(wall("tessera") / wall("dask"), 2)}× median to median)` : ""}. Every engine's first group's model was checked against Tessera's.`;
  writeSection("w6", "W6 — groupBy().apply with a model fit per group (1M rows, 1000 groups)", "npm run bench -- w6", `${body}\n\n${note}`);
  console.log(body);
}
