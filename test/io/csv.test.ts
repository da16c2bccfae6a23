import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { dd, LocalCluster, TaskError, TesseraError } from "../../kernel";
import { makeRows, tmpDir, writeCsv } from "../collections/dataframe/fixtures";

let cluster: LocalCluster;
const dir = tmpDir("csv");
const rows = makeRows(2000);
const file = writeCsv(path.join(dir, "data.csv"), rows);
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(async () => {
  await cluster.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function remoteMessage(e: unknown): string {
  return e instanceof TaskError ? e.remote.message : (e as Error).message;
}

test("readCsv infers types from the sample and reads nothing else until compute", () => {
  const ddf = dd.readCsv(file, { blocksize: 4096 });
  assert.deepEqual(ddf.dtypes, { id: "int32", name: "string", x: "float64", y: "float64", flag: "bool", t: "string" });
  assert.ok(ddf.npartitions > 10);
  assert.equal(ddf.divisions, null);
  assert.match(ddf.reprText(), /npartitions=\d+, divisions unknown/);
});

for (const scheduler of ["sync", "threads"] as const) {
  for (const blocksize of [null, 100_000, 4096, 300] as const) {
    test(`${scheduler}: blocksize ${blocksize}: every row, exactly once, in order`, async () => {
      const ddf = dd.readCsv(file, { blocksize });
      const t = await ddf.compute({ scheduler });
      assert.equal(t.numRows, rows.length);
      const got = t.toRecords();
      for (let i = 0; i < rows.length; i += 1) {
        const r = rows[i]!, g = got[i]!;
        assert.deepEqual([g.id, g.name, g.x, g.y, g.flag, g.t], [r.id, r.name, r.x, r.y, r.flag, r.t], `row ${i}`);
      }
    });
  }
}

test("CRLF line ends, quoted fields with separators, quotes and newlines, a missing last newline", async () => {
  const f = path.join(dir, "quoted.csv");
  fs.writeFileSync(f, 'a,b,c\r\n1,"x, y",2.5\r\n2,"say ""hi""",3\r\n3,"two\nlines",4\r\n4,plain,5');
  const t = await dd.readCsv(f, { blocksize: null }).compute({ scheduler: "sync" });
  assert.deepEqual(t.toRecords(), [
    { a: 1, b: "x, y", c: 2.5 },
    { a: 2, b: 'say "hi"', c: 3 },
    { a: 3, b: "two\nlines", c: 4 },
    { a: 4, b: "plain", c: 5 },
  ]);
});

test("gzip files are read whole (Dask cannot read .gz; Tessera can)", async () => {
  const gz = path.join(dir, "data.csv.gz");
  fs.writeFileSync(gz, zlib.gzipSync(fs.readFileSync(file)));
  const ddf = dd.readCsv(gz, { blocksize: 1000 });
  assert.equal(ddf.npartitions, 1);
  const t = await ddf.compute();
  assert.equal(t.numRows, rows.length);
  assert.deepEqual(t.col("id"), Int32Array.from(rows.map((r) => r.id)));
});

test("a glob of files, in name order; columns, dtype, parseDates, na and names options", async () => {
  const sub = path.join(dir, "parts");
  fs.mkdirSync(sub);
  writeCsv(path.join(sub, "p-1.csv"), rows.slice(0, 700));
  writeCsv(path.join(sub, "p-2.csv"), rows.slice(700));
  const ddf = dd.readCsv(path.join(sub, "p-*.csv"), { columns: ["id", "y", "t"], dtype: { id: "float64" }, parseDates: ["t"], blocksize: 8192 });
  assert.deepEqual(ddf.dtypes, { id: "float64", y: "float64", t: "timestamp" });
  const t = await ddf.compute({ scheduler: "threads" });
  assert.deepEqual(Array.from(t.col("id") as Float64Array), rows.map((r) => r.id));
  assert.deepEqual(Array.from(t.col("t") as Float64Array), rows.map((r) => Date.parse(r.t + "Z")));
  const f = path.join(dir, "nohead.csv");
  fs.writeFileSync(f, "1,missing\n2,ok\n-,ok\n");
  const t2 = await dd.readCsv(f, { header: false, names: ["n", "s"], na: ["-", "missing"] }).compute();
  assert.deepEqual(t2.toRecords(), [{ n: 1, s: null }, { n: 2, s: "ok" }, { n: null, s: "ok" }]);
});

test("a missing file or a glob that matches nothing: an error naming it", () => {
  assert.throws(() => dd.readCsv(path.join(dir, "nope.csv")), (e: TesseraError) => e.code === "TESSERA_FILE_NOT_FOUND" && /readCsv: no file at ".*nope\.csv"/.test(e.message));
  assert.throws(() => dd.readCsv(path.join(dir, "zz-*.csv")), /readCsv: the pattern ".*zz-\*\.csv" matches no file/);
  assert.throws(() => dd.readCsv(file, { dtype: { nope: "float64" } }), /dtype names column "nope", which the file does not have \(columns: id, name, x, y, flag, t\)/);
  assert.throws(() => dd.readCsv(file, { dtype: { x: "complex" } }), /readCsv dtype for column "x" must be one of/);
  assert.throws(() => dd.readCsv(file, { blocksize: -1 }), /blocksize must be a positive number/);
  assert.throws(() => dd.readCsv(file, { sepp: ";" } as never), /readCsv option "sepp"/);
});

const bad = (both = true) => {
  const f = path.join(dir, both ? "bad.csv" : "bad1.csv");
  const lines = ["id,x", ...Array.from({ length: 500 }, (_, i) => `${i},${i / 2}`)];
  lines[301] = "300,abc"; // line 302 of the file
  if (both) lines[402] = "401,2,3"; // line 403: one field too many
  fs.writeFileSync(f, lines.join("\n") + "\n");
  return f;
};

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: a bad row is an error naming file, line, column and value, with the fix`, async () => {
    // One bad row only: with several, the threads scheduler may meet either first.
    const f = bad(false);
    await assert.rejects(dd.readCsv(f, { blocksize: 1024, sample: 200 }).compute({ scheduler }), (e: unknown) => {
      const m = remoteMessage(e);
      assert.match(m, /bad1\.csv line 302: column "x": "abc" is not a float64/);
      assert.match(m, /pass dtype: \{ "x": "string" \}|onBadLines: "skip"/);
      return true;
    });
  });
}

test("onBadLines skip and warn drop the bad rows (warn says which)", async () => {
  const f = bad();
  const t = await dd.readCsv(f, { blocksize: 2048, onBadLines: "skip", sample: 200 }).compute();
  assert.equal(t.numRows, 498);
  assert.ok(!(t.col("id") as Int32Array).includes(300));
  const warnings: string[] = [];
  const onWarn = (w: Error) => warnings.push(w.message);
  process.on("warning", onWarn);
  const t2 = await dd.readCsv(f, { onBadLines: "warn", sample: 200 }).compute({ scheduler: "sync" });
  await new Promise((r) => setImmediate(r));
  process.off("warning", onWarn);
  assert.equal(t2.numRows, 498);
  assert.ok(warnings.some((w) => /line 302/.test(w) && /line 403: expected 2 fields, found 3/.test(w)), warnings.join("\n"));
});

test("a value the sample did not foresee names the dtype to pass", async () => {
  const f = path.join(dir, "big.csv");
  const lines = ["n", ...Array.from({ length: 20000 }, (_, i) => String(i))];
  lines.push("3000000000");
  fs.writeFileSync(f, lines.join("\n") + "\n");
  await assert.rejects(dd.readCsv(f, { sample: 1000 }).compute({ scheduler: "sync" }), (e: unknown) => /"3000000000" is not an int32 \(it is too large\).*dtype: \{ "n": "int64" \}/.test(remoteMessage(e)));
  const t = await dd.readCsv(f, { sample: 1000, dtype: { n: "int64" } }).compute({ scheduler: "sync" });
  assert.equal(t.col("n")[20000], 3000000000n);
});

test("the fast path and the general parser agree: every kind of line, every blocksize", async () => {
  // Only int32, float64 and string columns: the generated fast path takes the plain lines and
  // hands every unusual one (quotes, missing values, long or exponent numbers, \r\n, blank
  // lines) to the general parser.
  const r = (seed => () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)(42);
  const lines = ["i,f,s,skip1,g"];
  const want: { i: number | null; f: number | null; s: string | null; g: number | null }[] = [];
  for (let k = 0; k < 3000; k++) {
    const kind = Math.floor(r() * 10);
    let i: number | null = Math.floor(r() * 2e6) - 1e6, f: number | null = Math.round((r() - 0.5) * 1e7) / 1e4, s: string | null = ["ab", "cd", "Nx", "e f"][k % 4]!, g: number | null = k;
    let fText = String(f), sText = s, iText = String(i), eol = "\n";
    if (kind === 1) { sText = `"q,${s}"`; s = `q,${s}`; }
    if (kind === 2) { fText = ""; f = null; }
    if (kind === 3) { iText = "NA"; i = null; }
    if (kind === 4) { fText = "1.2345678901234567"; f = 1.2345678901234567; }
    if (kind === 5) { fText = "-3.5e-3"; f = -0.0035; }
    if (kind === 6) eol = "\r\n";
    if (kind === 7) { sText = ""; s = null; }
    lines.push(`${iText},${fText},${sText},zz${k},${g}${eol}`.replace(/\n$/, ""));
    if (kind === 8) lines.push("");
    want.push({ i, f, s, g });
  }
  const f = path.join(dir, "fast.csv");
  fs.writeFileSync(f, lines.join("\n") + "\n");
  for (const blocksize of [null, 5000, 700] as const) {
    for (const scheduler of ["sync", "threads"] as const) {
      const ddf = dd.readCsv(f, { blocksize, dtype: { g: "int32" } });
      assert.deepEqual(ddf.dtypes, { i: "int32", f: "float64", s: "string", skip1: "string", g: "int32" });
      const t = await ddf.select(["i", "f", "s", "g"]).compute({ scheduler });
      assert.deepEqual(t.toRecords(), want, `blocksize ${blocksize}, ${scheduler}`);
      // Only the first columns read: the fast path skips each line's tail.
      const head2 = await ddf.select(["i", "f"]).compute({ scheduler });
      assert.deepEqual(head2.toRecords(), want.map((w) => ({ i: w.i, f: w.f })));
    }
  }
});

test("a column of mostly distinct strings stops deduplicating and comes back as plain UTF-8, missing values kept", async () => {
  const f = path.join(dir, "distinct.csv");
  const want = Array.from({ length: 30000 }, (_, i) => (i % 1000 === 999 ? null : i < 100 ? `dup${i % 3}` : `id-${i}-é`));
  fs.writeFileSync(f, "s,n\n" + want.map((s, i) => `${s ?? ""},${i}`).join("\n") + "\n");
  for (const scheduler of ["sync", "threads"] as const) {
    const t = await dd.readCsv(f).compute({ scheduler });
    assert.deepEqual(t.col("s"), want);
    const counts = await dd.readCsv(f).groupBy("s").agg({ n: "count" }).compute({ scheduler });
    assert.equal(counts.numRows, new Set(want.filter((s) => s !== null)).size);
  }
});

test("tab-separated files and a UTF-8 byte order mark", async () => {
  const f = path.join(dir, "bom.tsv");
  fs.writeFileSync(f, "\uFEFFa\tb\n1\tx y\n2\tz\n");
  const ddf = dd.readCsv(f, { sep: "\t" });
  assert.deepEqual(ddf.columns, ["a", "b"]);
  assert.deepEqual((await ddf.compute()).toRecords(), [{ a: 1, b: "x y" }, { a: 2, b: "z" }]);
  const g = path.join(dir, "bom-nohead.csv");
  fs.writeFileSync(g, "\uFEFF7,q\n8,r\n");
  assert.deepEqual((await dd.readCsv(g, { header: false, names: ["n", "s"] }).compute()).toRecords(), [{ n: 7, s: "q" }, { n: 8, s: "r" }]);
});
