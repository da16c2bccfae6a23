import { test } from "node:test";
import assert from "node:assert/strict";
import { fixShorthands, unexportReferences } from "../../kernel/notebook/cross-cell";
import { analyzeFunction } from "../../kernel/worker/analyze";

test("exports.k in a shipped function reads k again, so the closure check names k", () => {
  assert.equal(unexportReferences("(x) => x * exports.k + exports.m.n"), "(x) => x * k + m.n");
  assert.equal(unexportReferences("function f(o) {\n  return o[exports.key] + 'exports.k';\n}"), "function f(o) {\n  return o[key] + 'exports.k';\n}");
  assert.equal(unexportReferences("train(part) { return exports.scale * part; }"), "train(part) { return scale * part; }");
  assert.equal(unexportReferences("not js ((("), "not js (((");
  // through the seam: the transform's output is what gets analyzed
  const fn = new Function("exports", "return (x) => x * exports.k")({ k: 2 }) as Function;
  assert.deepEqual(analyzeFunction(fn, unexportReferences).freeVars, ["k"]);
  assert.deepEqual(analyzeFunction(fn).freeVars, ["exports"]);
});

test("shorthand { k } for an earlier cell's variable becomes { k: exports.k }, nothing else changes", () => {
  const earlier = new Set(["k", "other"]);
  assert.equal(fixShorthands("const o = { k, z: 1 };", earlier), "const o = { k: exports.k, z: 1 };");
  assert.equal(fixShorthands("f({ captures: { k } })", earlier), "f({ captures: { k: exports.k } })");
  // declared in the cell, a parameter, a destructuring pattern: left alone
  assert.equal(fixShorthands("const k = 1; const o = { k };", earlier), "const k = 1; const o = { k };");
  assert.equal(fixShorthands("const g = (k) => ({ k });", earlier), "const g = (k) => ({ k });");
  assert.equal(fixShorthands("const { other } = src;", earlier), "const { other } = src;");
  assert.equal(fixShorthands("const o = { unknown };", earlier), "const o = { unknown };");
  const multi = "const a = {\n  k,\n};\n";
  assert.equal(fixShorthands(multi, earlier).split("\n").length, multi.split("\n").length, "line breaks are kept");
});
