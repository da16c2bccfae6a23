/**
 * W5: scheduler overhead per task, Tessera against Dask, same graph shapes.
 *
 *   tree:        50,000 leaves inc(i), then a pairwise add() fan-in down to
 *                one value (99,999 tasks) — shared/anchors/w5_scheduler_overhead.py
 *   independent: 100,000 independent inc(i) computed together — bench/dask/w5_independent.py
 *
 * Only the computation is timed (graphs are built beforehand, on both sides).
 * Tessera runs 3 times in one process after one small warm-up; Dask runs 3
 * times in fresh processes; medians are compared.
 */
import { LocalCluster, compute, delayed, Delayed } from "../kernel";
import { fmt, median, timed } from "./lib/measure";
import { ANCHORS, DASK_SCRIPTS, havePythonDask, runPython } from "./lib/python";
import { table, writeSection } from "./lib/results";
import * as os from "node:os";
import * as path from "node:path";

const LEAVES = 50_000;
const INDEPENDENT = 100_000;
const REPS = 3;

const inc = delayed(function inc(x: number) {
  return x + 1;
});
const add = delayed(function add(a: number, b: number) {
  return a + b;
});

function tree(): Delayed<number> {
  let layer: Delayed<number>[] = Array.from({ length: LEAVES }, (_, i) => inc(i));
  while (layer.length > 1) {
    const next: Delayed<number>[] = [];
    for (let i = 0; i + 1 < layer.length; i += 2) next.push(add(layer[i]!, layer[i + 1]!));
    if (layer.length % 2) next.push(layer[layer.length - 1]!);
    layer = next;
  }
  return layer[0]!;
}

interface Row {
  graph: string;
  scheduler: string;
  ntasks: number;
  tesseraUs: number;
  daskUs: number | undefined;
}

async function tesseraRuns(graph: "tree" | "independent", scheduler: "sync" | "threads"): Promise<{ us: number; ntasks: number }> {
  const ntasks = graph === "tree" ? 2 * LEAVES - 1 : INDEPENDENT;
  const expected = graph === "tree" ? (LEAVES * (LEAVES - 1)) / 2 + LEAVES : (INDEPENDENT * (INDEPENDENT - 1)) / 2 + INDEPENDENT;
  const walls: number[] = [];
  const root = graph === "tree" ? tree() : undefined;
  const leaves = graph === "independent" ? Array.from({ length: INDEPENDENT }, (_, i) => inc(i)) : [];
  for (let r = 0; r < REPS; r++) {
    // each run releases every result, so no run starts from another's chunks
    const t = await timed(async () => (root !== undefined ? root.compute({ scheduler }) : (await compute(leaves, { scheduler })).reduce((s: number, x) => s + (x as number), 0)));
    if (t.value !== expected) throw new Error(`W5 ${graph}/${scheduler}: got ${t.value}, expected ${expected}`);
    walls.push(t.wallS);
  }
  return { us: (median(walls) / ntasks) * 1e6, ntasks };
}

async function daskRuns(graph: "tree" | "independent", scheduler: "sync" | "threads"): Promise<number | undefined> {
  if (!havePythonDask()) return undefined;
  const us: number[] = [];
  for (let r = 0; r < REPS; r++) {
    const rec = graph === "tree"
      ? await runPython(path.join(ANCHORS, "w5_scheduler_overhead.py"), ["--impl", scheduler])
      : await runPython(path.join(DASK_SCRIPTS, "w5_independent.py"), ["--impl", scheduler]);
    if (rec.ok === false) throw new Error(`Dask W5 ${graph}/${scheduler} returned a wrong result: ${JSON.stringify(rec)}`);
    us.push(Number(rec.us_per_task));
  }
  return median(us);
}

export async function main(): Promise<void> {
  const cluster = await LocalCluster.start();
  await inc(0).compute(); // start the threads
  const rows: Row[] = [];
  try {
    for (const graph of ["tree", "independent"] as const) {
      for (const scheduler of ["sync", "threads"] as const) {
        const t = await tesseraRuns(graph, scheduler);
        const d = await daskRuns(graph, scheduler);
        rows.push({ graph, scheduler, ntasks: t.ntasks, tesseraUs: t.us, daskUs: d });
        console.log(`W5 ${graph} ${scheduler}: Tessera ${fmt(t.us)} µs/task, Dask ${d === undefined ? "n/a" : fmt(d)} µs/task`);
      }
    }
  } finally {
    await cluster.close();
  }
  const body = table(
    ["graph", "scheduler", "tasks", "Tessera µs/task", "Dask µs/task", "Tessera / Dask"],
    rows.map((r) => [r.graph, r.scheduler, r.ntasks, fmt(r.tesseraUs), r.daskUs === undefined ? "n/a" : fmt(r.daskUs), r.daskUs === undefined ? "n/a" : fmt(r.tesseraUs / r.daskUs, 3)]),
  );
  const note = `Median of ${REPS} runs each; compute only (graph built beforehand). Tessera: ${os.availableParallelism()} worker threads; Dask's threaded scheduler uses its default pool. Target: Tessera threads at most 1/4 of Dask threads per task.`;
  writeSection("w5", "W5 — scheduler overhead (100k tiny delayed tasks)", "npm run bench -- w5", `${body}\n\n${note}`);
  console.log(body);
}
