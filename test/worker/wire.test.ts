import { test } from "node:test";
import assert from "node:assert/strict";
import { isPacked, markPackable, packValue, unpackValue } from "../../kernel/worker/wire";
import { MATERIALIZE, acceptsLazy, argsFor, materialize } from "../../kernel/worker/lazy";

test("marked partitions pack to msgpack on shared memory and come back equal", () => {
  const items = Array.from({ length: 100 }, (_, i) => ({
    id: i, name: `n${i}`, tags: ["a", "é字"], nested: { when: new Date(i), big: BigInt(i) * 10n ** 20n, m: new Map([[i, "x"]]), s: new Set([i]) },
    maybe: i % 3 === 0 ? undefined : null, f: new Float64Array([i, 0.5]),
  }));
  const packed = packValue(markPackable(items.slice()));
  assert.ok(isPacked(packed));
  assert.ok(packed.bytes.buffer instanceof SharedArrayBuffer);
  assert.equal(packed.items, 100);
  assert.deepEqual(unpackValue(structuredClone(packed)), items);
});

test("unmarked, short or unpackable values stay as they are", () => {
  const plain = Array.from({ length: 100 }, (_, i) => i);
  assert.equal(packValue(plain), plain);
  const short = markPackable([1, 2, 3]);
  assert.equal(packValue(short), short);
  const cyclic: Record<string, unknown>[] = markPackable(Array.from({ length: 40 }, () => ({})));
  cyclic[0]!["self"] = cyclic[0];
  assert.equal(packValue(cyclic), cyclic, "a cycle falls back to structured clone");
  assert.equal(unpackValue(5), 5);
});

test("lazy values are materialized for functions that do not accept them", () => {
  const lazy = { [MATERIALIZE]: () => [1, 2] };
  const plain = (...a: unknown[]) => a;
  const aware = (...a: unknown[]) => a;
  acceptsLazy(aware);
  assert.deepEqual(argsFor(plain, [lazy, 3]), [[1, 2], 3]);
  assert.equal(argsFor(aware, [lazy])[0], lazy);
  assert.deepEqual(materialize(lazy), [1, 2]);
  assert.equal(materialize(4), 4);
});
