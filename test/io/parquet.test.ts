import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { dd, LocalCluster } from "../../kernel";
import { makeRows, tmpDir, writeCsv } from "../collections/dataframe/fixtures";

let cluster: LocalCluster;
const dir = tmpDir("parquet");
const rows = makeRows(1500, 21);
const file = writeCsv(path.join(dir, "data.csv"), rows);
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(async () => {
  await cluster.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: toParquet then readParquet gives the same rows and types, one partition per row group, columns projected`, async () => {
    const ddf = dd.readCsv(file, { blocksize: 20_000, parseDates: ["t"] });
    const out = path.join(dir, `pq-${scheduler}`);
    const files = await ddf.toParquet(out, { scheduler });
    assert.equal(files.length, ddf.npartitions);
    const back = dd.readParquet(path.join(out, "*.parquet"));
    assert.equal(back.npartitions, ddf.npartitions);
    assert.deepEqual(back.dtypes, { id: "int32", name: "string", x: "float64", y: "float64", flag: "bool", t: "timestamp" });
    const [a, b] = [await ddf.compute({ scheduler }), await back.compute({ scheduler })];
    assert.deepEqual(b.toRecords(), a.toRecords());
    const proj = dd.readParquet(path.join(out, "*.parquet"), { columns: ["x", "name"] });
    assert.deepEqual(proj.columns, ["x", "name"]);
    const p = await proj.compute({ scheduler });
    assert.deepEqual(p.toRecords(), rows.map((r) => ({ x: r.x, name: r.name })));
  });

  test(`${scheduler}: toCsv then readCsv gives the same rows`, async () => {
    const ddf = dd.readCsv(file, { blocksize: 30_000 });
    const files = await ddf.toCsv(path.join(dir, `csv-${scheduler}`, "part-*.csv"), { scheduler });
    assert.equal(files.length, ddf.npartitions);
    const back = await dd.readCsv(path.join(dir, `csv-${scheduler}`, "part-*.csv")).compute({ scheduler });
    assert.deepEqual(back.toRecords(), (await ddf.compute()).toRecords());
  });
}

test("readParquet of a missing file or a file that is not Parquet: an error naming it", () => {
  assert.throws(() => dd.readParquet(path.join(dir, "none.parquet")), /readParquet: no file at ".*none\.parquet"/);
  assert.throws(() => dd.readParquet(file), /cannot read the footer of .*data\.csv.*is it a Parquet file/);
  fs.mkdirSync(path.join(dir, "one"), { recursive: true });
});
