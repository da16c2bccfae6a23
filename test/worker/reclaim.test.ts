/**
 * Chunks a worker drops give their memory back: streaming an array four
 * times the memory limit keeps the process's RSS near the limit, instead of
 * growing with every chunk made (before reclaim.ts, 1 GiB summed here took
 * the RSS up by more than 1 GiB; a 4 GiB array, by 8 GB).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalCluster, da } from "../../kernel";

test("summing a 1 GiB array on a 256 MB cluster keeps RSS growth far below the array's size", async () => {
  const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "256MB" });
  try {
    const x = da.random.random([16384, 8192], { chunks: [512, 8192], seed: 3 }); // 32 chunks of 32 MiB
    await da.random.random([512, 8192], { chunks: [512, 8192], seed: 4 }).sum().compute(); // threads warmed up
    const base = process.memoryUsage.rss();
    let peak = base;
    // Sampled while the computation runs (RSS has no event to await).
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
    let s: number;
    try {
      s = (await x.sum().compute()) as number;
    } finally {
      clearInterval(sampler);
    }
    assert.ok(Math.abs(s / (16384 * 8192) - 0.5) < 1e-3, `mean of uniform [0, 1) draws: ${s / (16384 * 8192)}`);
    const grewMb = (peak - base) / 2 ** 20;
    assert.ok(grewMb < 640, `RSS grew by ${grewMb.toFixed(0)} MB while 1024 MB of chunks were made and dropped`);
  } finally {
    await cluster.close();
  }
});
