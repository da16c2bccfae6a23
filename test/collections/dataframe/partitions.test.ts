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

test("results are Arrow tables with Arrow types; an Arrow Schema works as meta", async () => {
  const arrow = await import("apache-arrow");
  const ddf = dd.fromRecords([{ s: "a", n: 1, b: true, t: new Date(0) }, { s: "b", n: 2, b: false, t: new Date(86400000) }], { meta: { s: "string", n: "int32", b: "bool", t: "timestamp" } });
  const t = await ddf.compute();
  assert.ok(t instanceof arrow.Table);
  assert.deepEqual(t.schema.fields.map((f) => f.type.toString()), ["Utf8", "Int32", "Bool", "Timestamp<MILLISECOND>"]);
  assert.deepEqual(t.getChild("n")!.toArray(), Int32Array.of(1, 2));
  assert.deepEqual(t.toRecords(), [{ s: "a", n: 1, b: true, t: new Date(0) }, { s: "b", n: 2, b: false, t: new Date(86400000) }]);
  const schema = new arrow.Schema([new arrow.Field("k", new arrow.Float64())]);
  const out = ddf.groupBy("s").apply((g: { n: Int32Array }) => ({ k: g.n[0]! * 10 }), { meta: schema });
  assert.deepEqual(out.dtypes, { s: "string", k: "float64" });
  assert.deepEqual((await out.compute()).toRecords().sort((a, b) => (a.k as number) - (b.k as number)), [{ s: "a", k: 10 }, { s: "b", k: 20 }]);
  const { sizeof } = await import("../../../kernel/store/sizeof");
  const big = arrow.tableFromArrays({ x: new Float64Array(10_000) });
  assert.ok(sizeof(big) >= 80_000 && sizeof(big) < 81_000, "the store sizes Arrow tables by their buffers");
});

test("dd.concat appends frames' partitions; mismatched columns are an error", async () => {
  const a = dd.fromRecords(recs.slice(0, 200), { npartitions: 2 });
  const b = dd.fromRecords(recs.slice(200).map((r) => ({ x: r.x, g: r.g })), { npartitions: 3 });
  const c = dd.concat([a, b]);
  assert.equal(c.npartitions, 5);
  assert.deepEqual(c.columns, ["g", "x"]);
  for (const scheduler of ["sync", "threads"] as const) assert.deepEqual(Array.from((await c.compute({ scheduler })).col("x") as Float64Array), recs.map((r) => r.x));
  assert.throws(() => dd.concat([a, a.rename({ x: "y" })]), /dd.concat: frame 1 has columns g:float64, y:float64, frame 0 has g:float64, x:float64/);
});
