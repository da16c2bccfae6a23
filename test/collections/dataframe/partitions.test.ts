import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { dd, LocalCluster, TaskError } from "../../../kernel";

let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(() => cluster.close());

const recs = Array.from({ length: 500 }, (_, i) => ({ g: i % 5, x: i / 4 }));

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: mapPartitions sees typed-array columns and returns columns checked against meta`, async () => {
    const ddf = dd.fromRecords(recs, { npartitions: 4 });
    const out = ddf.mapPartitions((p: { x: Float64Array; g: Float64Array; numRows: number }, k: number) => ({ y: p.x.map((v) => v * k), n: new Array(p.numRows).fill(p.numRows) }), { meta: { y: "float64", n: "int32" }, args: [3] });
    assert.deepEqual(out.dtypes, { y: "float64", n: "int32" });
    const t = await out.compute({ scheduler });
    assert.deepEqual(Array.from(t.col("y") as Float64Array), recs.map((r) => r.x * 3));
    assert.deepEqual(Array.from(t.col("n") as Int32Array), recs.map(() => 125));
  });
}

test("a mapPartitions result that does not match meta is an error naming the partition and the mismatch", async () => {
  const ddf = dd.fromRecords(recs, { npartitions: 2 });
  const bad = ddf.mapPartitions((p: { x: Float64Array }) => ({ y: Array.from(p.x, String) }), { meta: { y: "float64" } });
  await assert.rejects(bad.compute({ scheduler: "sync" }), (e: unknown) => {
    const m = e instanceof TaskError ? e.remote.message : (e as Error).message;
    return /mapPartitions: .* returned a result for partition 0 that does not match meta \{"y":"float64"\}: column "y" row 0: expected a number, got a string/.test(m);
  });
});

test("persist keeps the partitions in the cluster; layers carry partition metadata for the Chunks panel", async () => {
  const ddf = dd.fromRecords(recs, { npartitions: 3 }).assign({ z: dd.fromRecords(recs, { npartitions: 3 }).col("x").mul(2) });
  const kept = await ddf.persist();
  assert.equal(kept.npartitions, 3);
  for (const k of kept.keyStrings()) assert.ok(cluster.runtime.store.has(k));
  assert.equal((await kept.col("z").sum().compute()), recs.reduce((a, r) => a + r.x * 2, 0));
  const view = ddf.visualize();
  const top = view.layers.find((l) => l.name === ddf.name)!;
  assert.equal(top.collection, "dataframe");
  const layer = ddf.graph().layers.get(ddf.name)!;
  assert.deepEqual(layer.meta?.["columns"], ["g", "x", "z"]);
  assert.equal(layer.meta?.["npartitions"], 3);
  assert.equal(layer.meta?.["divisions"], null);
});
