import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TaskError, db, delayed } from "../../../kernel";
import { SCHEDULERS, useCluster } from "./helpers";

useCluster();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bag-errors-"));
test.after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** The error a task raised in a worker, as the user sees it. */
function remote(e: unknown): { code?: string; message: string } {
  return e instanceof TaskError ? e.remote : (e as Error);
}

for (const scheduler of SCHEDULERS) {
  test(`${scheduler}: a malformed JSON line names the file and the line, and the item's index in its partition`, async () => {
    const file = path.join(dir, `bad-${scheduler}.jsonl`);
    const lines = Array.from({ length: 300 }, (_, i) => JSON.stringify({ id: i, name: `n${i}` }));
    lines[207] = '{"id": 207, "name": "n207"'; // unterminated
    fs.writeFileSync(file, lines.join("\n") + "\n");
    // Small blocks: the bad line is in a later partition, so its line number is counted, not the partition's index.
    const bag = db.readText(file, { blocksize: 1000 }).map(JSON.parse);
    assert.ok(bag.npartitions > 5);
    await assert.rejects(bag.pluck("id").sum().compute({ scheduler }), (e: unknown) => {
      const r = remote(e);
      assert.equal(r.code, "TESSERA_ITEM_FAILED");
      assert.match(r.message, new RegExp(`malformed JSON on line 208 of ${file.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}`));
      assert.match(r.message, /item \d+ of partition \d+/);
      assert.match(r.message, /"\{\\"id\\": 207/);
      return true;
    });
  });

  test(`${scheduler}: a failing map shows the item's index in its partition`, async () => {
    const bag = db.fromSequence([1, 2, 3, 4, 5, 6], { npartitions: 2 }).map(function check(x: number) {
      if (x === 5) throw new RangeError("five is not allowed");
      return x;
    });
    await assert.rejects(bag.compute({ scheduler }), (e: unknown) => {
      const r = remote(e);
      assert.equal(r.code, "TESSERA_ITEM_FAILED");
      assert.match(r.message, /map\(check\) failed on item 1 of partition 1 \(5\): RangeError: five is not allowed/);
      return true;
    });
  });
}

test("a blank line gets the fix for blank lines", async () => {
  const file = path.join(dir, "blank.jsonl");
  fs.writeFileSync(file, '{"a":1}\n\n{"a":2}\n');
  await assert.rejects(db.readText(file).map(JSON.parse).compute(), (e: unknown) => {
    assert.match(remote(e).message, /malformed JSON on line 2 of .*blank\.jsonl .*the line is blank: drop blank lines first/);
    return true;
  });
  assert.deepEqual(await db.readText(file).filter((l: string) => l.trim() !== "").map(JSON.parse).compute(), [{ a: 1 }, { a: 2 }]);
});

test("missing files and empty globs: clear errors with the fix, before anything runs", () => {
  assert.throws(() => db.readText(path.join(dir, "nope.jsonl")), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_FILE_NOT_FOUND");
    assert.match(e.message, /readText: no file at ".*nope\.jsonl" .*pass a glob such as "data\/\*\.jsonl"/);
    return true;
  });
  assert.throws(() => db.readText(path.join(dir, "*.csv")), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_FILE_NOT_FOUND");
    assert.match(e.message, /the pattern ".*\*\.csv" matches no file \(looked in .*\); check the folder and the file extension/);
    return true;
  });
  assert.throws(() => db.readText(dir), /a file, not a folder \(for every file in it, pass ".*\*"\)/);
  assert.throws(() => db.readText([]), /readText\(path\) must be a path, a glob/);
  assert.throws(() => db.readText(path.join(dir, "x"), { blocksize: -1 }), /blocksize must be a positive number of bytes/);
  assert.throws(() => db.readText(path.join(dir, "x"), { compresion: "gzip" } as never), /readText option "compresion" must be one of blocksize, compression/);
});

test("a function that closes over an outside variable is refused before scheduling, with the fix; sync runs it", async () => {
  const threshold = 3;
  const bag = db.range(6, { npartitions: 2 }).filter(function big(x: number) {
    return x > threshold;
  });
  await assert.rejects(bag.compute({ scheduler: "threads" }), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_CLOSURE");
    assert.match(e.message, /function big uses "threshold"/);
    assert.match(e.message, /captures: \{ threshold \}/);
    return true;
  });
  assert.deepEqual(await bag.compute({ scheduler: "sync" }), [4, 5]);
  assert.deepEqual(await db.range(6, { npartitions: 2 }).filter(db.withCaptures((x: number) => x > threshold, { threshold })).compute(), [4, 5]);
});

test("async item functions are refused with the fix; an async mapPartitions works", async () => {
  const b = db.range(6, { npartitions: 2 });
  await assert.rejects(b.map(async (x: number) => x).compute(), /map\(\(anonymous\)\) returned a promise for item 0 of partition \d: item functions must return values \(for async work, use mapPartitions/);
  assert.deepEqual(await b.mapPartitions(async (part: number[]) => Promise.all(part.map(async (x) => x * 2))).compute(), [0, 2, 4, 6, 8, 10]);
});

test("a key function that throws names the item, in foldBy and groupBy", async () => {
  const b = db.fromSequence([{ a: 1 }, null, { a: 2 }], { npartitions: 1 });
  const key = function byA(r: { a: number } | null) {
    return r!.a;
  };
  await assert.rejects(b.foldBy(key, (n: number) => n + 1, 0).compute(), /foldBy\(byA\) failed on item 1 of partition 0 \(null\): TypeError/);
  await assert.rejects(b.groupBy(key).compute(), /groupBy\(byA\) failed on item 1 of partition 0 \(null\): TypeError/);
});

test("bad arguments name the value and the fix", () => {
  const b = db.range(4, { npartitions: 2 });
  assert.throws(() => b.map(42 as never), /map\(fn\) must be a function/);
  assert.throws(() => b.map((x: number, y: number) => x + y, db.range(4, { npartitions: 3 })), /a bag of 2 partitions like the one mapped over \(repartition it first: \.repartition\(2\)\)/);
  assert.throws(() => b.pluck({} as never), /pluck\(key\) must be a property name or index/);
  assert.throws(() => b.join(db.range(3, { npartitions: 2 }), (x: number) => x), /joins of two large bags are not implemented/);
  assert.throws(() => b.repartition(0), /repartition\(npartitions\) must be an integer of at least 1/);
  assert.throws(() => db.fromSequence(5 as never), /db\.fromSequence\(items\) must be an array or another iterable/);
  assert.throws(() => db.fromSequence([1], { npartitions: 2, partitionSize: 1 }), /either npartitions or partitionSize, not both/);
});

test("pluck without a default names the missing key and the item; flatten of a non-array too", async () => {
  const b = db.fromSequence([{ a: 1 }, { b: 2 }], { npartitions: 1 });
  await assert.rejects(b.pluck("a").compute(), (e: unknown) => {
    assert.match(remote(e).message, /pluck\("a"\): item 1 of partition 0 has no key "a": \{"b":2\} \(pass a default for missing keys: \.pluck\("a", null\)\)/);
    return true;
  });
  await assert.rejects(db.fromSequence([[1], 2], { npartitions: 1 }).flatten().compute(), /flatten: item 1 of partition 0 is not iterable: 2/);
  await assert.rejects(db.fromSequence([1, "2"], { npartitions: 1 }).sum().compute(), /sum: item 1 of partition 0 is "2", not a number \(convert first, e\.g\. \.map\(Number\)/);
  await assert.rejects(db.fromSequence([1, null], { npartitions: 1 }).mean().compute(), /mean: item 1 of partition 0 is null, not a number/);
  await assert.rejects(db.fromDelayed([delayed(5) as never]).compute(), /the value of delayed literal-[0-9a-f]+ \(partition 0\) must be an array or another iterable of items, got number 5 \(return an array of items\)/);
  await assert.rejects(db.range(3).toTextFiles(path.join(dir, "out-*.txt")), /toTextFiles: item 0 of partition \d+ is not a string: \d+ \(turn items into lines first, e\.g\. \.map\(JSON\.stringify\)\)/);
});
