import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compute, dd, LocalCluster, TaskError, TableResult } from "../../../kernel";
import { close, groupBy, makeRows, rng, stats, tmpDir, writeCsv } from "./fixtures";

let cluster: LocalCluster;
const dir = tmpDir("groupby");
const rows = makeRows(4000, 3);
const file = writeCsv(path.join(dir, "data.csv"), rows);
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(async () => {
  await cluster.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const byName = groupBy(rows, (r) => r.name);
const names = [...byName.keys()].sort();

/** The seed notes' per-group model: least squares y = slope * x + intercept (DESIGN's train). */
function train(part: { numRows: number; x: Float64Array; y: Float64Array }) {
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < part.numRows; i++) {
    const x = part.x[i]!, y = part.y[i]!;
    n++;
    sx += x;
    sy += y;
    sxx += x * x;
    sxy += x * y;
  }
  const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { slope: a, intercept: (sy - a * sx) / n };
}

for (const scheduler of ["sync", "threads"] as const) {
  for (const blocksize of [null, 3000] as const) {
    test(`${scheduler}, blocksize ${blocksize}: groupBy().agg by tree reduction matches plain JS`, async () => {
      const ddf = dd.readCsv(file, { blocksize });
      const [a, multi] = await compute(
        [ddf.groupBy("name").agg({ x: "mean", y: ["sum", "count", "std", "min", "max"], id: "count", flag: "nunique", t: "first" }), ddf.groupBy(["name", "flag"]).agg({ x: "sum" }, { splitOut: 3 })],
        { scheduler },
      );
      const recs = (a as TableResult).toRecords();
      assert.deepEqual(recs.map((r) => r.name), names, "sorted by key");
      for (const r of recs) {
        const g = byName.get(r.name as string)!;
        const sx = stats(g.map((v) => v.x)), sy = stats(g.map((v) => v.y));
        assert.ok(close(r.x as number, sx.mean), "mean x");
        assert.ok(close(r.y_sum as number, sy.sum), "sum y");
        assert.equal(r.y_count, sy.count);
        assert.ok(close(r.y_std as number, sy.std, 1e-9), "std y");
        assert.equal(r.y_min, sy.min);
        assert.equal(r.y_max, sy.max);
        assert.equal(r.id, g.length);
        assert.equal(r.flag, new Set(g.map((v) => v.flag)).size);
        assert.equal(r.t, g[0]!.t);
      }
      const m = (multi as TableResult).toRecords();
      const ref = groupBy(rows, (r) => `${r.name}|${r.flag}`);
      assert.equal(m.length, ref.size);
      for (const r of m) assert.ok(close(r.x as number, stats(ref.get(`${r.name}|${r.flag}`)!.map((v) => v.x)).sum));
    });

    test(`${scheduler}, blocksize ${blocksize}: groupBy().apply fits a model per group (the seed's example)`, async () => {
      const ddf = dd.readCsv(file, { blocksize }).dropna({ subset: ["y"] });
      const models = await ddf.groupBy("name").apply(train, { meta: { name: "LinearRegression", type: "object" } }).compute({ scheduler });
      assert.deepEqual(models.columns, ["name", "LinearRegression"]);
      const recs = models.toRecords().sort((p, q) => ((p.name as string) < (q.name as string) ? -1 : 1));
      assert.deepEqual(recs.map((r) => r.name), names);
      for (const r of recs) {
        const g = byName.get(r.name as string)!.filter((v) => v.y !== null);
        const want = train({ numRows: g.length, x: Float64Array.from(g.map((v) => v.x)), y: Float64Array.from(g.map((v) => v.y!)) });
        const got = r.LinearRegression as { slope: number; intercept: number };
        assert.ok(close(got.slope, want.slope, 1e-9) && close(got.intercept, want.intercept, 1e-9), `${r.name}`);
      }
    });
  }

  test(`${scheduler}: apply with records per group, transform, and captures`, async () => {
    const ddf = dd.readCsv(file, { blocksize: 5000 });
    const summary = ddf.groupBy("name").apply((g: { numRows: number; x: Float64Array }) => ({ n: g.numRows, top: Math.max(...g.x) * k }), { meta: { n: "int32", top: "float64" }, captures: { k: 2 } });
    const centered = ddf.groupBy("name").transform((g: { x: Float64Array }) => {
      let s = 0;
      for (const v of g.x) s += v;
      return g.x.map((v) => v - s / g.x.length);
    }, { meta: { xc: "float64" } });
    const [s, c] = await compute([summary, centered], { scheduler });
    for (const r of (s as TableResult).toRecords()) {
      const g = byName.get(r.name as string)!;
      assert.equal(r.n, g.length);
      assert.equal(r.top, Math.max(...g.map((v) => v.x)) * 2);
    }
    const cr = (c as TableResult).toRecords();
    assert.equal(cr.length, rows.length);
    assert.deepEqual(cr.map((r) => r.id), rows.map((r) => r.id), "transform keeps the input's order");
    assert.equal(centered.npartitions, ddf.npartitions);
    const byId = new Map(cr.map((r) => [r.id as number, r]));
    for (const r of rows) {
      const mean = stats(byName.get(r.name)!.map((v) => v.x)).mean;
      assert.ok(close(byId.get(r.id)!.xc as number, r.x - mean, 1e-9));
    }
  });
}
declare const k: number;

test("a meta that does not match what apply returns is a clear error naming the group", async () => {
  const ddf = dd.readCsv(file, { blocksize: 5000 });
  const wrong = ddf.groupBy("name").apply((g: { numRows: number }) => ({ n: g.numRows }), { meta: { name: "n", type: "float64" } });
  for (const scheduler of ["sync", "threads"] as const) {
    await assert.rejects(wrong.compute({ scheduler }), (e: unknown) => {
      const m = e instanceof TaskError ? e.remote.message : (e as Error).message;
      assert.match(m, /groupBy\(\)\.apply: .* returned a value for group \("\w+"\) that does not match meta \{"name":"n","type":"float64"\}: .*expected a number, got an object/);
      assert.match(m, /fix the meta/);
      return true;
    });
  }
  const cols = ddf.groupBy("name").apply((g: { numRows: number }) => ({ n: g.numRows, extra: 1 }), { meta: { n: "int32" } });
  await assert.rejects(cols.compute({ scheduler: "sync" }), /records have columns not in meta: extra/);
});

test("apply without meta infers it from fake data and says so", async () => {
  const warnings: string[] = [];
  const onWarn = (w: Error) => warnings.push(w.message);
  process.on("warning", onWarn);
  const ddf = dd.readCsv(file, { blocksize: 5000 });
  const out = ddf.groupBy("name").apply((g: { numRows: number }) => g.numRows);
  await new Promise((r) => setImmediate(r));
  process.off("warning", onWarn);
  assert.deepEqual(out.dtypes, { name: "string", result: "float64" });
  assert.ok(warnings.some((w) => /no meta given; inferred meta \{"name":"result","type":"float64"\}/.test(w)), warnings.join("\n"));
  const r = await out.compute();
  for (const rec of r.toRecords()) assert.equal(rec.result, byName.get(rec.name as string)!.length);
});

test("a closure is refused before anything runs on threads, and runs on sync", async () => {
  const factor = 3;
  const ddf = dd.readCsv(file, { blocksize: 5000 });
  const out = ddf.groupBy("name").apply((g: { numRows: number }) => g.numRows * factor, { meta: { name: "n", type: "float64" } });
  await assert.rejects(out.compute({ scheduler: "threads" }), /uses "factor" from outside its body/);
  const r = await out.compute({ scheduler: "sync" });
  assert.equal(r.numRows, byName.size);
});

test("agg errors name the column and the fix", () => {
  const ddf = dd.readCsv(file);
  assert.throws(() => ddf.groupBy("nope"), /groupBy: unknown column "nope"/);
  assert.throws(() => ddf.groupBy("name").agg({ name2: "sum" }), /agg: unknown column "name2"/);
  assert.throws(() => ddf.groupBy("id").agg({ name: "mean" }), /mean of column "name" \(string\) needs numbers/);
  assert.throws(() => ddf.groupBy("name").agg({ x: "median" as never }), /one of sum, mean/);
});

test("two-stage shuffle (many partitions) gives every group once, whole", async () => {
  const r = rng(5);
  const recs = Array.from({ length: 6000 }, (_, i) => ({ g: Math.floor(r() * 300), v: i }));
  const ddf = dd.fromRecords(recs, { npartitions: 40 });
  const out = ddf.groupBy("g").apply((p: { numRows: number; v: Float64Array }) => ({ n: p.numRows, s: p.v.reduce((a, b) => a + b, 0) }), { meta: { n: "int32", s: "float64" }, npartitions: 45 });
  assert.ok([...out.graph().layers.values()].some((l) => l.op === "shuffle-regroup"), "two stages");
  const got = (await out.compute()).toRecords();
  const ref = groupBy(recs, (x) => String(x.g));
  assert.equal(got.length, ref.size);
  for (const x of got) {
    const g = ref.get(String(x.g))!;
    assert.equal(x.n, g.length);
    assert.equal(x.s, g.reduce((a, b) => a + b.v, 0));
  }
});
