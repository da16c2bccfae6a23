import { test } from "node:test";
import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { arrowTableBundle, isArrowTable } from "../../kernel/diagnostics/arrow-table";
import { nbytes, processMemory } from "../../kernel/diagnostics/memory";

test("nbytes is exact for typed arrays, buffers, Arrow tables and vectors, and anything with nbytes", () => {
  assert.equal(nbytes(new Float64Array(1000)), 8000);
  assert.equal(nbytes(new ArrayBuffer(10)), 10);
  assert.equal(nbytes({ nbytes: 123 }), 123);
  const t = tableFromArrays({ a: Int32Array.from({ length: 100 }, (_, i) => i), b: new Float64Array(100) });
  // another way: every buffer of every column
  const buffers = [0, 1].reduce((n, c) => n + t.getChildAt(c)!.data.reduce((m, d) => m + d.values.byteLength + (d.nullBitmap?.byteLength ?? 0), 0), 0);
  assert.equal(nbytes(t), buffers);
  assert.equal(nbytes(t.getChild("b")), 800);
  assert.ok(nbytes([1, 2, 3]) > 0, "plain values are estimated");
});

test("processMemory reports this process's RSS", () => {
  const m = processMemory();
  const rss = process.memoryUsage().rss;
  assert.equal(m.pid, process.pid);
  assert.ok(Math.abs(m.rss - rss) < 64 * 1024 * 1024, `${m.rss} vs ${rss}`);
  assert.match(m.toString(), /^Process memory: pid \d+, rss /);
});

test("an Arrow table shows its head and tail rows, row count and types", () => {
  const n = 25;
  const t = tableFromArrays({ id: Int32Array.from({ length: n }, (_, i) => i * 10), name: Array.from({ length: n }, (_, i) => `row ${i}`) });
  assert.ok(isArrowTable(t) && !isArrowTable({ numRows: 1 }));
  const b = arrowTableBundle(t, { head: 2, tail: 2 });
  const lines = b["text/plain"].split("\n");
  assert.equal(lines[0], "Arrow table: 25 rows × 2 columns");
  assert.deepEqual(lines.slice(2).map((l) => l.trim().split(/\s{2,}/)), [["0", "0", "row 0"], ["1", "10", "row 1"], ["…", "…", "…"], ["23", "230", "row 23"], ["24", "240", "row 24"]]);
  assert.match(b["text/html"]!, /<th>…<\/th>/);
  assert.match(b["text/html"]!, /<td style="text-align:right">row 24<\/td>/);
  assert.match(b["text/html"]!, /Int32/);
});
