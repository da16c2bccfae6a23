/**
 * W4: a bag of JSON lines, Tessera against dask.bag and plain Node.
 *
 *   db.readText(file).map(JSON.parse).filter((r) => r.age > 30)
 *     .pluck("occupation").frequencies().topk(10, ([, n]) => n)
 *
 * over ~2M records (345 MB, shared/anchors/gen_data.mjs w4). Against:
 *   - dask.bag with its default processes scheduler, blocksize 16 MB
 *     (shared/anchors/w4_bag_json.py --impl dask_processes);
 *   - a plain single-threaded Node loop, readline + JSON.parse
 *     (shared/anchors/w4_bag_json.mjs --impl node_readline);
 *   - for reference, hand-written Node on two worker threads (node_workers2).
 * Five rounds, each running every side once (so that load from elsewhere
 * falls on all sides alike); Tessera in one process after
 * LocalCluster.start (its first, cold run included), the others in fresh
 * processes; medians are compared, and every side's top 10 must agree.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, db } from "../kernel";
import { fmt, median, timed } from "./lib/measure";
import { ensureAnchorData, runNode } from "./lib/node";
import { ANCHORS, havePythonDask, runPython } from "./lib/python";
import { table, writeSection } from "./lib/results";

const REPS = 5;

interface Side {
  name: string;
  walls: number[];
  top10Total: number;
  top3: unknown;
  foreignCpuS: number[];
}

function machineBusyS(): number {
  const v = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  return (v.slice(0, 8).reduce((a, b) => a + b, 0) - v[3]! - (v[4] ?? 0)) / 100;
}

function newSide(name: string): Side {
  return { name, walls: [], top10Total: 0, top3: undefined, foreignCpuS: [] };
}

/** One run of the query on Tessera's current cluster. */
async function tesseraRun(file: string, side: Side): Promise<void> {
  const busy0 = machineBusyS();
  const t = await timed(() =>
    db.readText(file).map(JSON.parse).filter((r: { age: number }) => r.age > 30).pluck("occupation").frequencies().topk(10, ([, n]: [string, number]) => n).compute(),
  );
  // Our own threads' CPU is in process.cpuUsage (worker threads included).
  side.foreignCpuS.push(Math.max(0, machineBusyS() - busy0 - t.cpuS));
  side.walls.push(t.wallS);
  side.top10Total = (t.value as [string, number][]).reduce((a, [, n]) => a + n, 0);
  side.top3 = (t.value as [string, number][]).slice(0, 3);
}

/** One run of an anchor script in a fresh process. */
async function anchorRun(side: Side, run: () => Promise<Record<string, unknown>>): Promise<void> {
  const rec = await run();
  side.walls.push(Number(rec.wall_s));
  side.foreignCpuS.push(Number(rec.foreign_cpu_s ?? NaN));
  side.top10Total = Number(rec.top10_total);
  side.top3 = rec.top3;
}

export async function main(): Promise<void> {
  const file = ensureAnchorData("w4");
  const load0 = os.loadavg()[0]!;
  const cluster = await LocalCluster.start();
  const ours = newSide(`Tessera (threads, ${cluster.runtime.workerCount} workers)`);
  const loop = newSide("Node loop, 1 thread (readline + JSON.parse)");
  const two = newSide("Node, 2 worker threads, hand-written");
  const dask = havePythonDask() ? newSide("dask.bag (processes scheduler)") : undefined;
  const script = path.join(ANCHORS, "w4_bag_json.mjs");
  try {
    // Rounds interleave the sides, so that load from elsewhere on the machine falls on all of them alike.
    for (let r = 0; r < REPS; r++) {
      await tesseraRun(file, ours);
      await anchorRun(loop, () => runNode(script, ["--impl", "node_readline"]));
      await anchorRun(two, () => runNode(script, ["--impl", "node_workers2"]));
      if (dask !== undefined) await anchorRun(dask, () => runPython(path.join(ANCHORS, "w4_bag_json.py"), ["--impl", "dask_processes"]));
      console.log(`W4 round ${r + 1}: ${[ours, loop, two, ...(dask ? [dask] : [])].map((s) => `${s.name.split(" (")[0]} ${fmt(s.walls[r]!)} s`).join(", ")}`);
    }
  } finally {
    await cluster.close();
  }
  const sides = [ours, loop, two, ...(dask ? [dask] : [])];
  const load1 = os.loadavg()[0]!;
  for (const s of sides) {
    if (s.top10Total !== ours.top10Total) throw new Error(`W4: ${s.name} counted ${s.top10Total} in its top 10, Tessera ${ours.top10Total}`);
  }
  const t = median(ours.walls);
  const rows = sides.map((s) => [
    s.name,
    s.walls.map((w) => fmt(w)).join(" / "),
    fmt(median(s.walls)),
    fmt(t / median(s.walls), 2),
    fmt(median(s.foreignCpuS), 1),
  ]);
  const body = table(["implementation", "runs (s)", "median (s)", "Tessera / this", "other load (CPU s)"], rows);
  const vsDask = dask === undefined ? "n/a (no Dask)" : `${fmt(t / median(dask.walls))}× Dask's wall time (target ≤ 0.5)`;
  const vsLoop = `${fmt(median(loop.walls) / t)}× faster than the single-threaded loop (target ≥ 1.6)`;
  const note = [
    `Tessera: ${vsDask}; ${vsLoop}.`,
    `Data: ${path.basename(file)}, ${(fs.statSync(file).size / 1e6).toFixed(0)} MB; every side's top 10 sums to ${ours.top10Total} (top 3: ${JSON.stringify(ours.top3)}).`,
    `${REPS} rounds, each running every side once. Tessera's runs share one process (the first includes the threads' first compilation); the others run in fresh processes. Default readText blocksize (16 MiB); Dask's blocksize 16 MB.`,
    `Load average ${load0.toFixed(2)} before, ${load1.toFixed(2)} after; "other load" is CPU time the rest of the machine used during each run (median), i.e. how shared the cores were.`,
  ].join("\n");
  writeSection("w4", "W4 — bag of JSON lines (2M records → filter → frequencies → topk)", "npm run bench -- w4", `${body}\n\n${note}`);
  console.log(body);
  console.log(note);
}
