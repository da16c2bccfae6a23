import { test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { checkShippable, toCallable } from "../../kernel/worker/callable";
import { resolveCallable } from "../../kernel/worker/resolve";

test("well-known globals ship by name", () => {
  assert.deepEqual(toCallable(JSON.parse), { kind: "global", path: "JSON.parse" });
  assert.deepEqual(toCallable(Math.sqrt), { kind: "global", path: "Math.sqrt" });
  assert.deepEqual(toCallable(parseFloat), { kind: "global", path: "parseFloat" });
  assert.equal(resolveCallable(toCallable(JSON.parse)), JSON.parse);
});

test("source callables compile to a working function, with captures", () => {
  const c = toCallable((x: number) => x * factor + 1, { captures: { factor: 10 } });
  assert.equal(c.kind, "source");
  assert.deepEqual(c.kind === "source" && c.freeVars, []);
  assert.equal(resolveCallable(c)(4), 41);
  const same = toCallable((x: number) => x * factor + 1, { captures: { factor: 10 } });
  const other = toCallable((x: number) => x * factor + 1, { captures: { factor: 11 } });
  assert.equal(c.kind === "source" && same.kind === "source" && c.hash === same.hash, true);
  assert.notEqual(c.kind === "source" && other.kind === "source" && c.hash === other.hash, true);
});
declare const factor: number;

test("a closure is accepted, then refused before shipping with the variable named", () => {
  const k = 3;
  const c = toCallable(function scale(x: number) { return x * k; });
  assert.throws(() => checkShippable([c]), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_CLOSURE");
    assert.match(e.message, /function scale uses "k" from outside its body/);
    assert.match(e.message, /\{ captures: \{ k \} \}/);
    assert.match(e.message, /scheduler: "sync"/);
    return true;
  });
  // the sync scheduler runs the real closure
  assert.equal(resolveCallable(c, { preferLocal: true })(2), 6);
});

test("captures that cannot be cloned, and bad capture names, are refused", () => {
  assert.throws(() => toCallable((x: number) => x, { captures: { f: () => 1 } }), /capture "f" of function .* is not structured-cloneable/);
  assert.throws(() => toCallable((x: number) => x, { captures: { "not a name": 1 } }), /captures\["not a name"\] must be a valid identifier/);
  assert.throws(() => toCallable((x: number) => x, { captures: [1] as never }), /captures must be an object/);
});

test("module references resolve to an absolute file and load the export", () => {
  const fixtures = path.join(__dirname, "..", "fixtures", "tasks.js");
  const c = toCallable({ module: fixtures, export: "add" });
  assert.deepEqual(c, { kind: "module", module: fixtures, export: "add" });
  assert.equal(resolveCallable(c)(2, 3), 5);
  assert.throws(() => toCallable({ module: "./no/such/module.js" }), /module must be a module path or package name/);
  assert.throws(() => resolveCallable({ kind: "module", module: fixtures, export: "nope" }), /export must be the name of a function it exports/);
});

test("things that are not functions are refused", () => {
  assert.throws(() => toCallable(42 as never), /function must be a function or a module reference/);
});
