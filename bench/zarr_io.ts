/**
 * Zarr I/O: a 1 GiB float64 array (16384 × 8192 in chunks of 512 rows,
 * 32 MiB each) generated and written with toZarr, then read back with
 * fromZarr and summed, on a cluster whose memory limit (256 MB) is a
 * quarter of the array: every chunk streams through the workers. Against
 * Dask's to_zarr / from_zarr (zarr_io.py; Debian's zarr-python 2 writes
 * Zarr v2, the same raw chunk bytes) and a plain one-thread Node loop
 * that writes and reads the same bytes as 32 files (the disk's pace).
 *
 *   npm run bench -- zarr [--reps 3]
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, da } from "../kernel";
import { fmt, median, peakRssMb, timed } from "./lib/measure";
import { DASK_SCRIPTS, havePythonDask, runPython } from "./lib/python";
import { table, writeSection } from "./lib/results";

const ROWS = 16384, COLS = 8192, CHUNK = 512;
const GIB = (ROWS * COLS * 8) / 2 ** 30;

/** The same bytes written and read as plain files, one thread: what the disk (page cache) allows. */
function plainLoop(dir: string): { write: number; read: number } {
  const chunk = new Float64Array(CHUNK * COLS).map((_, i) => i);
  const n = ROWS / CHUNK;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) fs.writeFileSync(path.join(dir, `plain-${i}`), chunk);
  const write = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  let s = 0;
  for (let i = 0; i < n; i++) s += fs.readFileSync(path.join(dir, `plain-${i}`)).readDoubleLE(8);
  const read = (performance.now() - t1) / 1000;
  if (s !== n) throw new Error("plain loop: read back the wrong bytes");
  for (let i = 0; i < n; i++) fs.rmSync(path.join(dir, `plain-${i}`));
  return { write, read };
}

export async function main(args: string[]): Promise<void> {
  const reps = Number(args[args.indexOf("--reps") + 1] ?? 3) || 3;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bench-zarr-"));
  const load0 = os.loadavg()[0]!;
  const runs: { gen: number; write: number; read: number }[] = [];
  const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "256MB" });
  try {
    for (let r = 0; r <= reps; r++) {
      const x = da.random.random([ROWS, COLS], { chunks: [CHUNK, COLS], seed: 7 + r });
      const p = path.join(dir, "tessera.zarr");
      const gen = await timed(() => x.sum().compute());
      const write = await timed(() => x.toZarr(p, { overwrite: true }));
      const read = await timed(async () => (await da.fromZarr(p)).sum().compute());
      if (read.value !== gen.value) throw new Error(`zarr bench: read back sum ${String(read.value)} != ${String(gen.value)}`);
      if (r > 0) runs.push({ gen: gen.wallS, write: write.wallS, read: read.wallS }); // run 0 warms up
      console.log(`Tessera run ${r}: gen ${fmt(gen.wallS)} s, gen + write ${fmt(write.wallS)} s, read + sum ${fmt(read.wallS)} s`);
    }
  } finally {
    await cluster.close();
  }
  const rss = peakRssMb();
  const plain = Array.from({ length: reps }, () => plainLoop(dir));
  const dask: Record<string, unknown>[] = [];
  if (havePythonDask()) {
    for (let r = 0; r < reps; r++) {
      try {
        dask.push(await runPython(path.join(DASK_SCRIPTS, "zarr_io.py"), ["--dir", dir]));
      } catch (e) {
        console.log(`Dask side not run: ${(e as Error).message.split("\n")[0]} (apt-get install python3-zarr)`);
        break;
      }
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
  const m = (xs: number[]) => median(xs);
  const t = { gen: m(runs.map((r) => r.gen)), write: m(runs.map((r) => r.write)), read: m(runs.map((r) => r.read)) };
  const d = dask.length ? { gen: m(dask.map((x) => Number(x.gen_s))), write: m(dask.map((x) => Number(x.write_s))), read: m(dask.map((x) => Number(x.read_s))) } : undefined;
  const p = { write: m(plain.map((x) => x.write)), read: m(plain.map((x) => x.read)) };
  const gbs = (s: number) => fmt(GIB / s, 2);
  const body = table(
    ["implementation", "random + sum s", "random + write s", "read + sum s", "read GiB/s", "peak RSS MB"],
    [
      ["Tessera (2 worker threads, memoryLimit 256 MB), Zarr v3", fmt(t.gen), fmt(t.write), fmt(t.read), gbs(t.read), fmt(rss, 0)],
      d ? ["Dask threaded, zarr-python 2 (Zarr v2, no compressor)", fmt(d.gen), fmt(d.write), fmt(d.read), gbs(d.read), fmt(Math.max(...dask.map((x) => Number(x.peak_rss_mb))), 0)]
        : ["Dask", "n/a", "n/a", "n/a", "n/a", "n/a"],
      ["plain Node loop, 1 thread, 32 files (no generation)", "—", fmt(p.write), fmt(p.read), gbs(p.read), "—"],
    ],
  );
  const ratio = d ? `Tessera / Dask: write ${fmt(t.write / d.write)}, read ${fmt(t.read / d.read)}. ` : "";
  const note = `${ratio}1 GiB float64 in 32 chunks of 32 MiB, no compression. "random + write" includes generating the data (compare with "random + sum"). ` +
    `Tessera: median of ${reps} runs after a warm-up (runs: ${runs.map((r) => `${fmt(r.write)}/${fmt(r.read)}`).join(", ")} s write/read); Dask: median of ${dask.length} fresh processes; plain: median of ${reps}. ` +
    `Files go to the OS temp folder, so reads come from the page cache. Load average at start ${load0.toFixed(2)} (shared machine).`;
  writeSection("zarr", "Zarr I/O (1 GiB float64 through toZarr / fromZarr)", "npm run bench -- zarr", `${body}\n\n${note}`);
  console.log(body);
  console.log(note);
}
