/**
 * W2: sum(x @ x.T) for x = 4000×4000 float64 in 1000×1000 chunks. Tessera
 * against Dask (w2_matmul.py, threaded, OpenBLAS inside) and the anchors'
 * register-blocked JS kernel on two threads (w2_matmul.mjs --impl js2); plus
 * Tessera's two block kernels alone on one core (WebAssembly SIMD and the
 * JavaScript fallback, GFLOP/s per core).
 *
 *   npm run bench -- w2 [--reps 3]
 */
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, da } from "../kernel";
import { gemmJs } from "../kernel/collections/array/kernels/gemm";
import { gemmWasm } from "../kernel/collections/array/kernels/gemm-wasm";
import { fmt, median, peakRssMb, timed } from "./lib/measure";
import { ANCHORS, havePythonDask, runPython } from "./lib/python";
import { ensureData, runNodeAnchor } from "./lib/anchors";
import { loadF64 } from "./lib/load";
import { table, writeSection } from "./lib/results";

const N = 4000, B = 1000;
const FLOP = 2 * N ** 3;

export async function main(args: string[]): Promise<void> {
  const reps = Number(args[args.indexOf("--reps") + 1] ?? 3) || 3;
  const data = loadF64(ensureData("w2"));
  const load0 = os.loadavg()[0]!;
  // The kernels alone, one core: one 1000³ block product each (x's first block times its transpose, as in W2).
  const a = data.subarray(0, B * B), c = new Float64Array(B * B);
  const kernelAlone = async (kernel: typeof gemmJs) => {
    kernel(a, false, a, true, c.fill(0), B, B, B); // warm-up (compilation)
    const runs: number[] = [];
    for (let r = 0; r < 3; r++) runs.push((await timed(() => kernel(a, false, a, true, c.fill(0), B, B, B))).wallS);
    return (2 * B ** 3) / 1e9 / median(runs);
  };
  const perCore = await kernelAlone(gemmWasm);
  const perCoreJs = await kernelAlone(gemmJs);
  console.log(`W2 kernel alone, one core: WebAssembly SIMD ${fmt(perCore)} GFLOP/s, JavaScript ${fmt(perCoreJs)} GFLOP/s`);
  const cluster = await LocalCluster.start({ workers: 2 });
  const walls: number[] = [];
  let result = 0;
  try {
    const run = async () => {
      const x = da.fromArray(data, { shape: [N, N], chunks: [B, B] });
      return (await x.matmul(x.T).sum().compute()) as number;
    };
    await run();
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
  const js = await runNodeAnchor("w2_matmul.mjs", ["--impl", "js2"]);
  const dask: Record<string, unknown>[] = [];
  if (havePythonDask()) for (let r = 0; r < reps; r++) dask.push(await runPython(path.join(ANCHORS, "w2_matmul.py"), ["--impl", "dask"]));
  const daskWall = dask.length ? median(dask.map((d) => Number(d.wall_s))) : NaN;
  const rel = Math.abs(result - Number(js.result)) / Math.abs(Number(js.result));
  console.log(`W2 Tessera ${walls.map((w) => fmt(w, 3)).join(", ")} s, result ${result} (JS anchor ${js.result}, rel. diff ${rel.toExponential(1)})`);
  if (!(rel < 1e-9)) throw new Error("W2: Tessera's result differs from the JS anchor's");
  const g = (s: number) => fmt(FLOP / 1e9 / s, 1);
  const body = table(
    ["implementation", "wall s (median)", "GFLOP/s", "Tessera / it", "peak RSS MB"],
    [
      ["Tessera (2 worker threads, WebAssembly SIMD kernel)", fmt(tessera, 3), g(tessera), "1.00", fmt(rss, 0)],
      ["Dask threaded (OpenBLAS)", fmt(daskWall, 3), g(daskWall), fmt(tessera / daskWall, 2), dask.length ? fmt(Math.max(...dask.map((d) => Number(d.peak_rss_mb))), 0) : "n/a"],
      ["anchor JS 2×4 register-blocked kernel, 2 threads", fmt(Number(js.wall_s), 3), g(Number(js.wall_s)), fmt(tessera / Number(js.wall_s), 2), fmt(Number(js.peak_rss_mb), 0)],
    ],
  );
  const note = `Tessera's kernels alone, one core, one 1000×1000×1000 block product (median of 3): WebAssembly SIMD ${fmt(perCore)} GFLOP/s (target ≥ 8), the JavaScript fallback ${fmt(perCoreJs)} GFLOP/s. ` +
    `Tessera: median of ${reps} runs after a warm-up, fromArray included (runs ${walls.map((w) => fmt(w, 2)).join(", ")} s); ` +
    `Dask: median of ${dask.length} fresh processes (${dask.map((d) => fmt(Number(d.wall_s), 2)).join(", ")} s). ` +
    `Tessera's peak RSS is that of one process after the warm-up and ${reps} runs (it grows from run to run, with either kernel). ` +
    `Load average at start ${load0.toFixed(2)} (shared machine: other work competes for the 2 cores).`;
  writeSection("w2", "W2 — matmul (sum(x @ x.T), 4000² float64)", "npm run bench -- w2", `${body}\n\n${note}`);
  console.log(body);
}
