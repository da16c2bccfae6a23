import { test } from "node:test";
import assert from "node:assert/strict";
import { Task, builtin, ref, task, taskDeps } from "../../kernel/graph";
import { fuseLinear } from "../../kernel/optimize";
import { runTask } from "../../kernel/worker/execute";
import { defineKernels } from "../../kernel/worker/registry";

defineKernels("fusetest", { inc: (x: number) => x + 1, add: (a: number, b: number) => a + b, one: () => 1 });
const inc = builtin("fusetest.inc"), add = builtin("fusetest.add"), one = builtin("fusetest.one");

/** Evaluates a graph with plain recursion: the reference for what fusion must preserve. */
function evaluate(g: ReadonlyMap<string, Task>, key: string, memo = new Map<string, unknown>()): unknown {
  if (!memo.has(key)) memo.set(key, runTask(g.get(key)!, (k) => evaluate(g, k, memo)));
  return memo.get(key);
}

test("a linear chain becomes one task under the last key, with the same value", () => {
  const g = new Map<string, Task>([
    ["a", task(one, [])],
    ["b", task(inc, [ref("a")])],
    ["c", task(inc, [ref("b")])],
  ]);
  const f = fuseLinear(g, { keep: new Set(["c"]) });
  assert.deepEqual([...f.keys()], ["c"]);
  assert.deepEqual(taskDeps(f.get("c")!), []);
  assert.equal(evaluate(f, "c"), evaluate(g, "c"));
  assert.equal(evaluate(f, "c"), 3);
});

test("outputs, shared inputs and tasks with several inputs are not fused away", () => {
  const g = new Map<string, Task>([
    ["a", task(one, [])],
    ["b", task(inc, [ref("a")])],
    ["c", task(inc, [ref("a")])], // a has two readers: stays
    ["d", task(add, [ref("b"), ref("c")])], // d reads two: b and c stay
    ["e", task(inc, [ref("d")])],
    ["f", task(inc, [ref("e")])],
  ]);
  // d reads b and c, so neither is fused into it; d itself runs inside e, e inside f.
  const f = fuseLinear(g, { keep: new Set(["f", "d"]) });
  assert.deepEqual([...f.keys()].sort(), ["a", "b", "c", "d", "f"]);
  const f2 = fuseLinear(g, { keep: new Set(["f"]) });
  assert.deepEqual([...f2.keys()].sort(), ["a", "b", "c", "f"]);
  assert.equal(evaluate(f2, "f"), evaluate(g, "f"));
});

test("nothing to fuse returns the same graph; long chains are cut at maxChain", () => {
  const g = new Map<string, Task>([["a", task(one, [])], ["b", task(one, [])]]);
  assert.equal(fuseLinear(g), g);
  const chain = new Map<string, Task>([["k0", task(one, [])]]);
  for (let i = 1; i < 200; i++) chain.set(`k${i}`, task(inc, [ref(`k${i - 1}`)]));
  const f = fuseLinear(chain, { keep: new Set(["k199"]), maxChain: 64 });
  assert.ok(f.size >= 4 && f.size <= 5, `200 tasks in chains of 64: got ${f.size}`);
  assert.equal(evaluate(f, "k199"), 200);
});

test("an error inside a fused task names the inner task's key", () => {
  defineKernels("fusetest2", { boom: () => { throw new Error("inner"); } });
  const g = new Map<string, Task>([["a", task(builtin("fusetest2.boom"), [])], ["b", task(inc, [ref("a")])]]);
  const f = fuseLinear(g, { keep: new Set(["b"]) });
  assert.throws(() => runTask(f.get("b")!, () => undefined), (e: Error) => {
    const sym = Object.getOwnPropertySymbols(e).find((s) => s.description === "tessera.failedKey")!;
    assert.equal((e as unknown as Record<symbol, unknown>)[sym], "a");
    return true;
  });
});

test("a task its only reader names twice is not inlined (it would run twice)", () => {
  const g = new Map<string, Task>([
    ["a", task(one, [])],
    ["b", task(add, [ref("a"), ref("a")])],
  ]);
  const f = fuseLinear(g, { keep: new Set(["b"]) });
  assert.deepEqual([...f.keys()].sort(), ["a", "b"]);
  assert.equal(evaluate(f, "b"), 2);
});
