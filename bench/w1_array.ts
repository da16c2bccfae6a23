/**
 * W1: x = 100M float64 in 10M chunks; (x + 1).mean() and x.std() computed
 * together. Tessera against Dask (the anchor w1_array_reduction.py, threaded
 * scheduler, da.from_array of the same data) and a hand-written fused JS loop
 * on two threads (w1_array_reduction.mjs --impl js2_fused), same data from
 * gen_data.mjs. Loading the file is outside every timed section; building the
 * array from memory (fromArray / from_array) is inside, on both sides.
 *
 *   npm run bench -- w1 [--reps 3]
 */
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, compute, da } from "../kernel";
import { fmt, median, peakRssMb, timed } from "./lib/measure";
import { ANCHORS, havePythonDask, runPython } from "./lib/python";
import { ensureData, runNodeAnchor } from "./lib/anchors";
import { loadF64 } from "./lib/load";
import { table, writeSection } from "./lib/results";

const CHUNK = 10_000_000;

export async function main(args: string[]): Promise<void> {
  const reps = Number(args[args.indexOf("--reps") + 1] ?? 3) || 3;
  const file = ensureData("w1");
  const data = loadF64(file);
  const load0 = os.loadavg()[0]!;
  const cluster = await LocalCluster.start({ workers: 2 });
  const walls: number[] = [];
  let result: number[] = [];
  try {
    const run = async () => {
      const x = da.fromArray(data, { chunks: CHUNK });
      return (await compute(x.add(1).mean(), x.std())) as number[];
    };
    await run(); // warm-up: threads started, loops compiled
    for (let r = 0; r < reps; r++) {
      const t = await timed(run);
      walls.push(t.wallS);
      result = t.value;
    }
  } finally {
    await cluster.close();
  }
  const tessera = median(walls);
  const rss = peakRssMb();
  // A plain loop in this thread, as the reference for the values.
  let s = 0;
  for (let i = 0; i < data.length; i++) s += data[i]!;
  const mean = s / data.length;
  let q = 0;
  for (let i = 0; i < data.length; i++) q += (data[i]! - mean) ** 2;
  const ok = Math.abs(result[0]! - (mean + 1)) < 1e-9 && Math.abs(result[1]! - Math.sqrt(q / data.length)) < 1e-9;
  console.log(`W1 Tessera: ${walls.map((w) => fmt(w, 3)).join(", ")} s (median ${fmt(tessera, 3)}), result ${result.join(", ")}, ${ok ? "matches" : "DIFFERS FROM"} a plain loop`);
  if (!ok) throw new Error("W1: Tessera's result differs from the plain loop");

  const js = await runNodeAnchor("w1_array_reduction.mjs", ["--impl", "js2_fused", "--reps", "5"]);
  console.log(`W1 hand-written fused JS, 2 threads: ${js.wall_s} s`);
  const dask: Record<string, unknown>[] = [];
  if (havePythonDask()) {
    for (let r = 0; r < reps; r++) dask.push(await runPython(path.join(ANCHORS, "w1_array_reduction.py"), ["--impl", "dask_inmem"]));
  }
  const daskWall = dask.length ? median(dask.map((d) => Number(d.wall_s))) : NaN;
  const daskRss = dask.length ? Math.max(...dask.map((d) => Number(d.peak_rss_mb))) : NaN;
  const jsWall = Number(js.wall_s);
  console.log(`W1 Dask: ${dask.map((d) => d.wall_s).join(", ")} s`);
  const body = table(
    ["implementation", "wall s (median)", "Tessera / it", "peak RSS MB"],
    [
      ["Tessera (2 worker threads)", fmt(tessera, 3), "1.00", fmt(rss, 0)],
      ["Dask threaded (from_array in memory)", fmt(daskWall, 3), fmt(tessera / daskWall, 2), fmt(daskRss, 0)],
      ["hand-written fused JS loop, 2 threads", fmt(jsWall, 3), fmt(tessera / jsWall, 2), fmt(Number(js.peak_rss_mb), 0)],
    ],
  );
  const note = `(x + 1).mean() and x.std() in one compute, 100M float64 in 10M chunks. Tessera: median of ${reps} runs after one warm-up, ` +
    `fromArray included; Dask: median of ${dask.length} runs (fresh processes, from_array included); JS: median of 5 repetitions. ` +
    `Targets: Tessera ≤ 0.4× Dask and ≤ 1.5× the hand-written loop; peak RSS ≤ Dask's (both include the 800 MB of data). ` +
    `Load average at start ${load0.toFixed(2)} (the machine is shared: other work competes for the 2 cores).`;
  writeSection("w1", "W1 — array reduction ((x + 1).mean(), x.std())", "npm run bench -- w1", `${body}\n\n${note}`);
  console.log(body);
}
