import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readSpill, writeSpill } from "../../kernel/store/spill";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-spilltest-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));

test("a typed array round-trips through disk and comes back on shared memory", async () => {
  const a = new Float64Array(1000).map((_, i) => i * 0.5);
  const file = path.join(dir, "a.chunk");
  await writeSpill(file, a);
  const back = (await readSpill(file)) as Float64Array;
  assert.ok(back instanceof Float64Array);
  assert.ok(back.buffer instanceof SharedArrayBuffer);
  assert.deepEqual(Array.from(back), Array.from(a));
});

test("structured values keep their shape, types, sharing and odd offsets", async () => {
  const big = new Float64Array(new SharedArrayBuffer(8 * 7)).map((_, i) => i);
  const value = {
    data: big,
    alias: big, // the same array twice stays one array
    ints: new Int32Array([1, -2, 3]),
    bytes: new Uint8Array([1, 2, 3]).subarray(1), // odd offset into its buffer
    i64: new BigInt64Array([2n ** 40n]),
    buf: Buffer.from("héllo"),
    meta: { shape: [7], dtype: "float64", when: new Date(5), tags: new Map([["k", [1, 2]]]) },
    list: [1, "two", null, undefined, true],
  };
  const file = path.join(dir, "b.chunk");
  await writeSpill(file, value);
  const back = (await readSpill(file)) as typeof value;
  assert.deepEqual(Array.from(back.data), Array.from(big));
  assert.equal(back.alias, back.data);
  assert.deepEqual(Array.from(back.ints), [1, -2, 3]);
  assert.deepEqual(Array.from(back.bytes), [2, 3]);
  assert.equal(back.i64[0], 2n ** 40n);
  assert.equal(back.buf.toString(), "héllo");
  assert.deepEqual(back.meta.shape, [7]);
  assert.equal(back.meta.when.getTime(), 5);
  assert.deepEqual(back.meta.tags.get("k"), [1, 2]);
  assert.deepEqual(back.list, [1, "two", null, undefined, true]);
  for (const v of [back.data, back.ints, back.bytes, back.i64]) assert.ok(v.buffer instanceof SharedArrayBuffer);
});

test("a truncated spill file is an error naming the file", async () => {
  const file = path.join(dir, "c.chunk");
  await writeSpill(file, new Float64Array(100));
  fs.truncateSync(file, 40);
  await assert.rejects(readSpill(file), /c\.chunk/);
});
