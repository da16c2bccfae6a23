import { test } from "node:test";
import assert from "node:assert/strict";
import { dd, LocalCluster } from "../../../kernel";
import { groupBy, rng } from "./fixtures";

test("a shuffle larger than the memory limit goes through the store, spills to disk, and completes", async () => {
  const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "3MB" });
  try {
    const r = rng(13);
    const n = 200_000;
    const g = Int32Array.from({ length: n }, () => Math.floor(r() * 500));
    const v = Float64Array.from({ length: n }, (_, i) => i);
    const ddf = dd.fromArray({ g, v }, { npartitions: 20 });
    const sums = ddf.groupBy("g").apply((p: { v: Float64Array }) => p.v.reduce((a, b) => a + b, 0), { meta: { name: "s", type: "float64" } });
    const spilledBefore = cluster.runtime.store.spilledTotalBytes;
    const out = (await sums.compute()).toRecords();
    assert.ok(cluster.runtime.store.spilledTotalBytes > spilledBefore, "spilled");
    const ref = groupBy(Array.from(g, (k, i) => ({ k, i })), (x) => String(x.k));
    assert.equal(out.length, ref.size);
    for (const o of out) assert.equal(o.s, ref.get(String(o.g))!.reduce((a, b) => a + b.i, 0));
  } finally {
    await cluster.close();
  }
});
