import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { compute, dd, LocalCluster, TesseraError, TableResult, MIMEBUNDLE } from "../../../kernel";
import { close, makeRows, NAMES, stats, tmpDir, writeCsv } from "./fixtures";

let cluster: LocalCluster;
const dir = tmpDir("frame");
const rows = makeRows(3000, 11);
const file = writeCsv(path.join(dir, "data.csv"), rows);
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(async () => {
  await cluster.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const frames = { "1 partition": () => dd.readCsv(file, { blocksize: null }), "many partitions": () => dd.readCsv(file, { blocksize: 2500 }) };

for (const scheduler of ["sync", "threads"] as const) {
  for (const [label, make] of Object.entries(frames)) {
    test(`${scheduler}, ${label}: filter, assign, select and reductions match plain JS`, async () => {
      const ddf = make();
      const pos = ddf.filter(ddf.col("x").gt(0).and(ddf.col("name").ne("bob")));
      const withZ = pos.assign({ z: pos.col("x").mul(2).add(pos.col("id")), big: pos.col("y").ge(5000) }).select(["id", "z", "big", "y"]);
      const [t, ymean, ystd, ycount, n, xmin, xmax, nuniq] = await compute(
        [withZ, pos.col("y").mean(), pos.col("y").std(), pos.col("y").count(), ddf.numRows(), ddf.col("x").min(), ddf.col("x").max(), ddf.col("name").nunique()],
        { scheduler },
      );
      const ref = rows.filter((r) => r.x > 0 && r.name !== "bob");
      assert.deepEqual(Array.from((t as TableResult).col("id") as Int32Array), ref.map((r) => r.id));
      assert.deepEqual(Array.from((t as TableResult).col("z") as Float64Array), ref.map((r) => r.x * 2 + r.id));
      assert.deepEqual(Array.from((t as TableResult).col("big") as Uint8Array), ref.map((r) => (r.y !== null && r.y >= 5000 ? 1 : 0)));
      const s = stats(ref.map((r) => r.y));
      assert.ok(close(ymean as number, s.mean), `${ymean} vs ${s.mean}`);
      assert.ok(close(ystd as number, s.std, 1e-9));
      assert.equal(ycount, s.count);
      assert.equal(n, rows.length);
      assert.equal(xmin, stats(rows.map((r) => r.x)).min);
      assert.equal(xmax, stats(rows.map((r) => r.x)).max);
      assert.equal(nuniq, new Set(rows.map((r) => r.name)).size);
    });

    test(`${scheduler}, ${label}: dropna, fillna, isna, astype, rename, drop, string and date methods`, async () => {
      const ddf = make();
      const ts = dd.toDatetime(ddf.col("t"));
      const d = ddf.assign({ up: ddf.col("name").str.upper(), hasA: ddf.col("name").str.contains("a"), len: ddf.col("name").str.len(), month: ts.dt.month(), hour: ts.dt.hour() });
      const cutoff = new Date(Date.UTC(2024, 6, 1));
      assert.equal(await ddf.filter(ts.ge(cutoff)).numRows().compute({ scheduler }), rows.filter((r) => Date.parse(r.t + "Z") >= cutoff.getTime()).length);
      const [dropped, filled, nulls, cast, frame] = await compute(
        [ddf.dropna({ subset: ["y"] }).numRows(), ddf.fillna({ y: -1 }).col("y").sum(), ddf.isna().sum(), ddf.astype({ id: "float64", flag: "int32" }).rename({ x: "xx" }).drop(["t"]), d.select(["up", "hasA", "len", "month", "hour"])],
        { scheduler },
      );
      assert.equal(dropped, rows.filter((r) => r.y !== null).length);
      assert.ok(close(filled as number, rows.reduce((a, r) => a + (r.y ?? -1), 0)));
      assert.equal((nulls as Record<string, number>).y, rows.filter((r) => r.y === null).length);
      const c = cast as TableResult;
      assert.deepEqual(c.columns, ["id", "name", "xx", "y", "flag"]);
      assert.deepEqual(Array.from(c.col("flag") as Int32Array), rows.map((r) => (r.flag ? 1 : 0)));
      const f = (frame as TableResult).toRecords();
      rows.forEach((r, i) => {
        const dt = new Date(r.t + "Z");
        assert.deepEqual(f[i], { up: r.name.toUpperCase(), hasA: r.name.includes("a"), len: r.name.length, month: dt.getUTCMonth() + 1, hour: dt.getUTCHours() });
      });
    });
  }
}

test("head and tail read only the partitions they need, without compute()", async () => {
  const ddf = dd.readCsv(file, { blocksize: 2500 });
  const seen = new Set<string>();
  const off = cluster.runtime.events.on("tasks", (e) => e.transitions.forEach((t) => t.state === "memory" && seen.add(t.key)));
  const h = await ddf.head(3);
  off();
  assert.deepEqual(h.toRecords().map((r) => r.id), [0, 1, 2]);
  assert.equal([...seen].filter((k) => k.includes("read-csv")).length, 1, "head read one block");
  const t = await ddf.tail(4);
  assert.deepEqual(t.toRecords().map((r) => r.id), [2996, 2997, 2998, 2999]);
  const big = await ddf.head(500);
  assert.equal(big.numRows, 500);
});

test("valueCounts, describe, memoryUsage and info", async () => {
  const ddf = dd.readCsv(file, { blocksize: 5000 });
  const vc = (await ddf.col("name").valueCounts().compute()).toRecords();
  const ref = NAMES.map((n) => ({ name: n, count: rows.filter((r) => r.name === n).length })).sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : 1));
  assert.deepEqual(vc, ref);
  const desc = (await ddf.describe().compute()).toRecords();
  const s = stats(rows.map((r) => r.y));
  const byStat = Object.fromEntries(desc.map((r) => [r.stat, r]));
  assert.equal(byStat.count!.y, s.count);
  assert.ok(close(byStat.mean!.y as number, s.mean));
  assert.equal(byStat.min!.y, s.min);
  assert.equal(byStat.max!.y, s.max);
  const sorted = rows.map((r) => r.x).sort((a, b) => a - b);
  assert.ok(Math.abs((byStat["50%"]!.x as number) - sorted[1500]!) < 5, "median from the sample is close");
  const names = (await ddf.col("name").unique().compute()).values;
  assert.deepEqual(names, [...new Set(rows.map((r) => r.name))].sort());
  const ids = (await ddf.filter(ddf.col("id").lt(5)).col("id").unique().compute()).values;
  assert.deepEqual(Array.from(ids as Int32Array), [0, 1, 2, 3, 4]);
  const mem = await ddf.memoryUsage().compute();
  assert.equal(mem.id, rows.length * 4);
  assert.equal(mem.x, rows.length * 8);
  const info = String(await ddf.info());
  assert.match(info, /3000 rows/);
  assert.match(info, /y\s+\d+ non-null\s+float64/);
  assert.match(info, /memory usage: /);
});

test("column expressions are typed when built: unknown columns and wrong types fail at once", () => {
  const ddf = dd.readCsv(file);
  assert.throws(() => ddf.col("nope"), (e: TesseraError) => e.code === "TESSERA_BAD_INPUT" && /unknown column "nope" \(columns are: id, name, x, y, flag, t\)/.test(e.message));
  assert.throws(() => ddf.col("name").add(1), /add needs numbers, got string and float64/);
  assert.throws(() => ddf.col("name").mean(), /column "name" is string, not numeric/);
  assert.throws(() => ddf.filter(ddf.col("x")), /the mask is float64, not bool/);
  assert.throws(() => ddf.select(["id", "zz"]), /select: unknown column "zz"/);
  const other = dd.readCsv(file, { blocksize: 1000 });
  assert.throws(() => ddf.filter(other.col("x").gt(0)), /another DataFrame/);
  assert.throws(() => ddf.col("x").str.lower(), /str.lower needs a string column, got float64/);
  assert.throws(() => ddf.col("x").dt.year(), /dt.year needs a timestamp column, got float64/);
});

test("reprs: the lazy frame shows columns, types, partitions, divisions and layers; results show rows", async () => {
  const ddf = dd.readCsv(file, { blocksize: 5000 });
  const f = ddf.filter(ddf.col("x").gt(0));
  const text = f.reprText();
  assert.match(text, /npartitions=\d+, divisions unknown/);
  assert.match(text, /x\s+float64/);
  assert.match(text, /2 graph layers/);
  assert.match(f[MIMEBUNDLE]()["text/html"] as string, /<th>name<\/th>/);
  const t = await ddf.compute();
  const html = t[MIMEBUNDLE]()["text/html"] as string;
  assert.match(html, /3000 rows × 6 columns/);
  assert.match(String(t), /…/);
});

test("fromRecords, fromArray, fromArrow and fromDelayed build frames of the same rows", async () => {
  const { delayed } = await import("../../../kernel");
  const { tableFromArrays } = await import("apache-arrow");
  const recs = rows.slice(0, 100).map((r) => ({ id: r.id, name: r.name, x: r.x }));
  const a = dd.fromRecords(recs, { npartitions: 3 });
  const b = dd.fromArray({ id: Int32Array.from(recs.map((r) => r.id)), name: recs.map((r) => r.name), x: Float64Array.from(recs.map((r) => r.x)) }, { npartitions: 4 });
  const c = dd.fromArrow(tableFromArrays({ id: Int32Array.from(recs.map((r) => r.id)), name: recs.map((r) => r.name), x: Float64Array.from(recs.map((r) => r.x)) }), { npartitions: 2 });
  const load = delayed((lo: number) => ({ id: Array.from({ length: 50 }, (_, i) => lo + i), x: Array.from({ length: 50 }, (_, i) => (lo + i) / 2) }));
  const d = dd.fromDelayed([load(0), load(50)], { meta: { id: "int32", x: "float64" } });
  for (const scheduler of ["sync", "threads"] as const) {
    const [ta, tb, tc, td] = await compute([a, b, c, d], { scheduler });
    assert.deepEqual(ta.toRecords(), recs.map((r) => ({ id: r.id, name: r.name, x: r.x })).map((r) => ({ ...r, id: r.id })));
    assert.deepEqual(tb.toRecords(), recs);
    assert.deepEqual(tc.toRecords(), recs);
    assert.deepEqual(Array.from(td.col("x") as Float64Array), Array.from({ length: 100 }, (_, i) => i / 2));
  }
  const wrong = dd.fromDelayed([load(0)], { meta: { id: "string", x: "float64" } });
  await assert.rejects(wrong.compute({ scheduler: "sync" }), /expected a string, got a number/);
  assert.throws(() => dd.fromDelayed([load(0)], {} as never), /fromDelayed option meta/);
});
