/**
 * An array four times the memory limit goes to Zarr and comes back, one
 * chunk at a time, each chunk written and read by a task on a worker
 * thread: the store never holds more than a few chunks.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, da } from "../../../kernel";

test("a 128 MiB array through Zarr on a cluster limited to 32 MB: written and read chunk by chunk on the workers", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-zarr-large-"));
  const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "32MB" });
  try {
    const store = cluster.runtime.store;
    // Per phase: the most bytes the store held, and the workers that ran each task.
    let peak = 0;
    let ran = new Map<string, string>();
    const off = cluster.runtime.events.on("tasks", ({ transitions }) => {
      peak = Math.max(peak, store.stats().managed);
      for (const t of transitions) if (t.state === "memory" && t.worker !== undefined) ran.set(t.key, t.worker);
    });
    const phase = async <T>(f: () => Promise<T>) => {
      peak = 0;
      ran = new Map();
      const value = await f();
      return { value, peak, ran };
    };
    // 4096 × 4096 float64 = 128 MiB in 16 chunks of 8 MiB.
    const x = da.random.random([4096, 4096], { chunks: [256, 4096], seed: 7 });
    const p = path.join(dir, "big.zarr");
    const write = await phase(() => x.toZarr(p));
    const files = fs.readdirSync(path.join(p, "c"));
    assert.equal(files.length, 16, "one folder per row of chunks");
    const onDisk = files.reduce((s, f) => s + fs.readdirSync(path.join(p, "c", f)).reduce((t, g) => t + fs.statSync(path.join(p, "c", f, g)).size, 0), 0);
    assert.equal(onDisk, 4096 * 4096 * 8, "16 chunk files of 8 MiB");
    const y = await da.fromZarr(p);
    assert.deepEqual(y.chunks, x.chunks);
    // Reading is fused into the reduction's first step: one task per chunk reads and sums it.
    const read = await phase(() => y.sum().compute());
    // Compared with the same array generated again (seeded), elementwise and in sum.
    const [diff, want] = await Promise.all([y.sub(x).abs().max().compute(), x.sum().compute()]);
    off();
    assert.equal(diff, 0, "every element read back equals the one written");
    assert.equal(read.value, want);
    const limit = 32e6;
    for (const [name, ph] of [["writing", write], ["reading", read]] as const) {
      assert.ok(ph.peak <= limit, `while ${name}, the store held at most ${ph.peak} bytes (limit ${limit})`);
      const workers = new Set(ph.ran.values());
      assert.ok(ph.ran.size >= 16 && [...workers].every((w) => /^thread-\d+$/.test(w)), `${name}: ${ph.ran.size} tasks ran on ${[...workers].join(", ")}`);
    }
    const writes = [...write.ran.keys()].filter((k) => k.includes("to-zarr") && !k.includes("-done"));
    assert.equal(writes.length, 16, "one write task per chunk");
  } finally {
    await cluster.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
