import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { LocalCluster, db } from "../../kernel";
import { segmentRegExp } from "../../kernel/io/files";

let cluster: LocalCluster;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-text-"));
test.before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
test.after(async () => {
  await cluster.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Lines of many lengths, with multi-byte characters and an empty line. */
function sampleLines(n: number): string[] {
  return Array.from({ length: n }, (_, i) => (i === 5 ? "" : `${i}:${"é字x".repeat(i % 13)}${"-".repeat((i * 7) % 31)}`));
}

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: byte ranges cut on line boundaries give every line once, in order, for any blocksize`, async () => {
    const lines = sampleLines(40);
    const lf = path.join(dir, `lf-${scheduler}.txt`);
    const crlf = path.join(dir, `crlf-${scheduler}.txt`);
    const noEnd = path.join(dir, `noend-${scheduler}.txt`);
    fs.writeFileSync(lf, lines.join("\n") + "\n");
    fs.writeFileSync(crlf, lines.join("\r\n") + "\r\n");
    fs.writeFileSync(noEnd, lines.join("\n"));
    const size = fs.statSync(lf).size;
    for (const blocksize of [1, 23, 100, size - 1, size, null]) {
      for (const file of [lf, crlf, noEnd]) {
        const bag = db.readText(file, { blocksize });
        if (blocksize !== null && blocksize < fs.statSync(file).size) assert.ok(bag.npartitions > 1);
        assert.deepEqual(await bag.compute({ scheduler }), lines, `${path.basename(file)} blocksize ${blocksize}`);
      }
    }
  });

  test(`${scheduler}: gzip files, globs, lists of files, paths with items, latin1`, async () => {
    const sub = path.join(dir, `set-${scheduler}`);
    fs.mkdirSync(path.join(sub, "deep", "er"), { recursive: true });
    fs.writeFileSync(path.join(sub, "a1.jsonl"), '{"x":1}\n{"x":2}\n');
    fs.writeFileSync(path.join(sub, "a2.jsonl.gz"), zlib.gzipSync('{"x":3}\n{"x":4}\n'));
    fs.writeFileSync(path.join(sub, "b1.jsonl"), '{"x":5}\n');
    fs.writeFileSync(path.join(sub, "deep", "er", "c.jsonl"), '{"x":6}\n');
    fs.writeFileSync(path.join(sub, "gz-without-extension"), zlib.gzipSync("z\n"));
    fs.writeFileSync(path.join(sub, "latin1.txt"), Buffer.from("café\nnaïve\n", "latin1"));
    fs.writeFileSync(path.join(sub, "empty.txt"), "");
    fs.writeFileSync(path.join(sub, "odd[1].txt"), "literal\n");
    const xs = async (p: string | string[], o = {}) => (await db.readText(p, o).map(JSON.parse).pluck("x").compute({ scheduler }));
    assert.deepEqual(await xs(path.join(sub, "a*")), [1, 2, 3, 4]);
    assert.deepEqual(db.readText(path.join(sub, "a*"), { blocksize: 4 }).npartitions, 5, "a1 is cut in 4 blocks; a gzip file is read whole");
    assert.deepEqual(await xs(path.join(sub, "a*"), { blocksize: 4 }), [1, 2, 3, 4]);
    assert.deepEqual(await xs(path.join(sub, "{a,b}?.jsonl")), [1, 2, 5]);
    assert.deepEqual(await xs(path.join(sub, "[ab][0-9].jsonl*")), [1, 2, 3, 4, 5]);
    assert.deepEqual(await xs(path.join(sub, "**", "*.jsonl")), [1, 2, 5, 6]);
    assert.deepEqual(await xs([path.join(sub, "b1.jsonl"), path.join(sub, "a1.jsonl")]), [5, 1, 2]);
    assert.deepEqual(await db.readText(path.join(sub, "gz-without-extension"), { compression: "gzip" }).compute({ scheduler }), ["z"]);
    assert.deepEqual(await db.readText(path.join(sub, "latin1.txt"), { encoding: "latin1" }).compute({ scheduler }), ["café", "naïve"]);
    assert.deepEqual(await db.readText(path.join(sub, "empty.txt")).compute({ scheduler }), []);
    assert.deepEqual(await db.readText(path.join(sub, "odd[1].txt")).compute({ scheduler }), ["literal"]);
    assert.deepEqual(await db.readText(path.join(sub, "b1.jsonl"), { includePath: true }).compute({ scheduler }), [['{"x":5}', path.join(sub, "b1.jsonl")]]);
  });

  test(`${scheduler}: toTextFiles writes one file per partition that readText reads back`, async () => {
    const recs = Array.from({ length: 50 }, (_, i) => ({ i, s: `é${i}` }));
    const bag = db.fromSequence(recs, { npartitions: 4 }).map(JSON.stringify);
    const files = await bag.toTextFiles(path.join(dir, `out-${scheduler}`, "part-*.jsonl"), { scheduler });
    assert.deepEqual(files.map((f) => path.basename(f)), ["part-0.jsonl", "part-1.jsonl", "part-2.jsonl", "part-3.jsonl"]);
    assert.deepEqual(await db.readText(path.join(dir, `out-${scheduler}`, "part-*.jsonl")).map(JSON.parse).compute({ scheduler }), recs);
    const gz = await bag.toTextFiles(path.join(dir, `gz-${scheduler}`, "p-*.jsonl.gz"), { scheduler, nameFunction: (i) => `n${i}` });
    assert.deepEqual(gz.map((f) => path.basename(f)), ["p-n0.jsonl.gz", "p-n1.jsonl.gz", "p-n2.jsonl.gz", "p-n3.jsonl.gz"]);
    assert.equal(zlib.gunzipSync(fs.readFileSync(gz[0]!)).toString().split("\n")[0], JSON.stringify(recs[0]));
    assert.deepEqual(await db.readText(gz).map(JSON.parse).compute({ scheduler }), recs);
    const plain = await bag.toTextFiles(path.join(dir, `folder-${scheduler}`), { scheduler });
    assert.deepEqual(plain.map((f) => path.basename(f)), ["0.part", "1.part", "2.part", "3.part"]);
  });
}

test("readText().map(JSON.parse) reads and parses in the worker threads, one fused task per block", async () => {
  const f = path.join(dir, "parse-in-workers.jsonl");
  fs.writeFileSync(f, Array.from({ length: 500 }, (_, i) => JSON.stringify({ i })).join("\n") + "\n");
  const bag = db.readText(f, { blocksize: 1000 }).map(JSON.parse);
  const where = new Map<string, string | undefined>();
  const runs: number[] = [];
  const offTasks = cluster.runtime.events.on("tasks", (e) => {
    for (const t of e.transitions) if (t.state === "memory" && t.start !== undefined) where.set(t.key, t.worker);
  });
  const offRuns = cluster.runtime.events.on("run-start", (e) => void runs.push(e.ntasks));
  const items = await bag.compute();
  offTasks();
  offRuns();
  assert.deepEqual(items.map((r: { i: number }) => r.i), Array.from({ length: 500 }, (_, i) => i));
  assert.deepEqual(runs, [bag.npartitions], "one task per block: reading and parsing fused");
  assert.equal(where.size, bag.npartitions);
  assert.ok([...where.values()].every((w) => w !== undefined && w.startsWith("thread-")), [...where.values()].join(" "));
});

test("a changed file gets new keys (the token covers size and modification time)", async () => {
  const f = path.join(dir, "changing.txt");
  fs.writeFileSync(f, "a\n");
  const before = db.readText(f).keys();
  assert.deepEqual(db.readText(f).keys(), before);
  fs.writeFileSync(f, "a\nb\n");
  assert.notDeepEqual(db.readText(f).keys(), before);
  assert.deepEqual(await db.readText(f).compute(), ["a", "b"]);
});

test("glob segments", () => {
  assert.ok(segmentRegExp("*.jsonl").test("a.jsonl"));
  assert.ok(!segmentRegExp("*.jsonl").test("a.jsonl.gz"));
  assert.ok(segmentRegExp("part-?.{json,txt}").test("part-1.txt"));
  assert.ok(!segmentRegExp("part-?.{json,txt}").test("part-12.txt"));
  assert.ok(segmentRegExp("[!a]*").test("b") && !segmentRegExp("[!a]*").test("a"));
  assert.ok(segmentRegExp("a+b(1).txt").test("a+b(1).txt"));
});
