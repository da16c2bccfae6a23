import { test } from "node:test";
import assert from "node:assert/strict";
import { tableFromArrays } from "apache-arrow";
import { TOKENIZE, tokenize } from "../../kernel/graph";

test("same inputs give the same token; different inputs differ", () => {
  assert.equal(tokenize(1, "a", [1, 2]), tokenize(1, "a", [1, 2]));
  const distinct = [tokenize(1), tokenize("1"), tokenize([1]), tokenize(1n), tokenize(true), tokenize(null), tokenize(undefined), tokenize(-0), tokenize(0), tokenize(NaN)];
  assert.equal(new Set(distinct).size, distinct.length);
  assert.notEqual(tokenize(["ab"]), tokenize(["a", "b"]));
  assert.notEqual(tokenize([[1], 2]), tokenize([1, [2]]));
});

test("plain objects tokenize by content, whatever their key order", () => {
  assert.equal(tokenize({ a: 1, b: [2, 3] }), tokenize({ b: [2, 3], a: 1 }));
  assert.notEqual(tokenize({ a: 1 }), tokenize({ a: 2 }));
  assert.notEqual(tokenize({ a: 1 }), tokenize({ b: 1 }));
});

test("typed arrays tokenize by element type and bytes", () => {
  const a = new Float64Array([1, 2, 3]);
  assert.equal(tokenize(a), tokenize(new Float64Array([1, 2, 3])));
  assert.notEqual(tokenize(a), tokenize(new Float64Array([1, 2, 4])));
  assert.notEqual(tokenize(new Int32Array([1, 2])), tokenize(new Uint32Array([1, 2])));
  const shared = new Float64Array(new SharedArrayBuffer(24));
  shared.set([1, 2, 3]);
  assert.equal(tokenize(shared), tokenize(a));
  // a view tokenizes its own bytes, not its whole buffer
  assert.equal(tokenize(new Float64Array([0, 1, 2, 3]).subarray(1)), tokenize(a));
});

test("Maps, Sets, Dates and RegExps tokenize by content", () => {
  assert.equal(tokenize(new Map([["a", 1], ["b", 2]])), tokenize(new Map([["b", 2], ["a", 1]])));
  assert.notEqual(tokenize(new Map([["a", 1]])), tokenize(new Map([["a", 2]])));
  assert.equal(tokenize(new Set([1, 2])), tokenize(new Set([2, 1])));
  assert.notEqual(tokenize(new Date(0)), tokenize(new Date(1)));
  assert.notEqual(tokenize(/a/g), tokenize(/a/i));
});

test("functions tokenize by source; native functions by identity", () => {
  const f = (x: number) => x + 1;
  const g = (x: number) => x + 1;
  const h = (x: number) => x + 2;
  assert.equal(tokenize(f), tokenize(g));
  assert.notEqual(tokenize(f), tokenize(h));
  assert.notEqual(tokenize(JSON.parse), tokenize(JSON.stringify));
  assert.equal(tokenize(JSON.parse), tokenize(JSON.parse));
});

test("Arrow tables tokenize by schema and data", () => {
  const t1 = tableFromArrays({ x: new Float64Array([1, 2]), name: ["a", "b"] });
  const t2 = tableFromArrays({ x: new Float64Array([1, 2]), name: ["a", "b"] });
  const t3 = tableFromArrays({ x: new Float64Array([1, 2]), name: ["a", "c"] });
  const t4 = tableFromArrays({ y: new Float64Array([1, 2]), name: ["a", "b"] });
  assert.equal(tokenize(t1), tokenize(t2));
  assert.notEqual(tokenize(t1), tokenize(t3));
  assert.notEqual(tokenize(t1), tokenize(t4));
});

test("objects can choose their token; cycles do not hang", () => {
  const o = { [TOKENIZE]: () => "fixed" };
  assert.equal(tokenize(o), tokenize({ [TOKENIZE]: () => "fixed" }));
  const cyc: Record<string, unknown> = { a: 1 };
  cyc.self = cyc;
  assert.equal(typeof tokenize(cyc), "string");
});
