import { test } from "node:test";
import assert from "node:assert/strict";
import { analyzeFunction } from "../../kernel/worker/analyze";

const free = (fn: Function) => analyzeFunction(fn).freeVars;

// Functions below are only parsed, never run; the outer names they use exist so TypeScript compiles them.
const k = 2, table = [1], helper = (x: number) => x, offset = 1;

test("self-contained functions have no free variables", () => {
  assert.deepEqual(free((x: number) => x + 1), []);
  assert.deepEqual(free(function inc(x: number) { return x + 1; }), []);
  assert.deepEqual(free((xs: number[]) => { let s = 0; for (const x of xs) s += Math.sqrt(x); return s; }), []);
  assert.deepEqual(free(({ a, b: [c, ...d] }: { a: number; b: number[] }, e = a) => a + c + d.length + e), []);
  assert.deepEqual(free((s: string) => JSON.parse(s).map((r: { n: number }) => r.n)), []);
  assert.deepEqual(free(function fact(n: number): number { return n < 2 ? 1 : n * fact(n - 1); }), []);
  assert.deepEqual(free((x: number) => { try { return x; } catch (err) { return err; } }), []);
  assert.deepEqual(free((x: number) => { function inner() { return x * 2; } var y = inner(); return y; }), []);
  assert.deepEqual(free((o: { p: number }) => ({ q: o.p, r: { s: 1 } }.r.s)), []);
  assert.deepEqual(free((x: number) => { label: for (;;) { if (x) break label; } return new Map([[x, x]]); }), []);
  assert.deepEqual(free((x: number) => { class A { m() { return x; } } return new A().m(); }), []);
});

test("closures list exactly the outside names they read", () => {
  assert.deepEqual(free((x: number) => x * k), ["k"]);
  assert.deepEqual(free((x: number) => helper(x) + table[0]! + offset), ["helper", "offset", "table"]);
  assert.deepEqual(free((x: number) => { const k = 3; return x * k; }), []);
  assert.deepEqual(free((x: number) => { { const k = 3; void k; } return x * k; }), ["k"]);
  assert.deepEqual(free((x: number) => ({ k }.k + x)), ["k"]);
  assert.deepEqual(free((x: number, y = k) => x + y), ["k"]);
});

test("method shorthand and async functions are understood", () => {
  const obj = { train(part: { n: number }) { return part.n * k; }, async load(p: string) { return p; } };
  const a = analyzeFunction(obj.train);
  assert.equal(a.name, "train");
  assert.deepEqual(a.freeVars, ["k"]);
  assert.match(a.source, /^Object\.values\(\{/);
  assert.deepEqual(free(obj.load), []);
  assert.deepEqual(free(async (p: Promise<number>) => (await p) + 1), []);
});

test("native functions and classes are refused with the fix", () => {
  assert.throws(() => analyzeFunction(Math.max), /native function max cannot be sent to a worker.*JSON\.parse or Math\.sqrt/);
  class Model {}
  assert.throws(() => analyzeFunction(Model), /class Model cannot be sent to a worker/);
});
