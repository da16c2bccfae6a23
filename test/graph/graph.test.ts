import { test } from "node:test";
import assert from "node:assert/strict";
import {
  LayeredGraph, MaterializedLayer, Task, builtin, cull, dependencies, dependents, findCycle, ref, task, taskDeps, toArg, toposort,
} from "../../kernel/graph";

const f = builtin("test.f");
const graphOf = (spec: Record<string, string[]>): Map<string, Task> =>
  new Map(Object.entries(spec).map(([k, ds]) => [k, task(f, ds.map((d) => ref(d)))]));

test("task arguments: references at any depth, literals never mistaken for references", () => {
  const t = task(f, [ref("a"), [1, ref(["b", 0])], { x: ref("c"), y: "a" }, "a", { ref: "not-a-ref" }]);
  assert.deepEqual(taskDeps(t), ["a", '["b",0]', "c"]);
  assert.deepEqual(t.args[3], { lit: "a" });
  assert.deepEqual(t.args[4], { lit: { ref: "not-a-ref" } });
  assert.deepEqual(toArg([1, 2]), { lit: [1, 2] });
});

test("dependencies, dependents and a topological order of a diamond", () => {
  const g = graphOf({ a: [], b: ["a"], c: ["a"], d: ["b", "c"] });
  assert.deepEqual(dependencies(g).get("d"), ["b", "c"]);
  assert.deepEqual(dependents(g).get("a"), ["b", "c"]);
  const order = toposort(g);
  const pos = new Map(order.map((k, i) => [k, i]));
  for (const [k, ds] of dependencies(g)) for (const d of ds) assert.ok(pos.get(d)! < pos.get(k)!, `${d} before ${k}`);
});

test("a reference to a missing key is an error naming both keys", () => {
  const g = graphOf({ a: ["zz"] });
  assert.throws(() => toposort(g), /task a refers to key zz, which is not in the graph/);
});

test("cycles are found and printed as a path", () => {
  const g = graphOf({ a: ["c"], b: ["a"], c: ["b"], d: [] });
  assert.throws(() => toposort(g), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_CYCLE");
    assert.match(e.message, /a -> c -> b -> a|c -> b -> a -> c|b -> a -> c -> b/);
    return true;
  });
  const cycle = findCycle(g)!;
  assert.equal(cycle[0], cycle[cycle.length - 1]);
  assert.equal(findCycle(graphOf({ a: [], b: ["a"] })), undefined);
  assert.deepEqual(findCycle(graphOf({ s: ["s"] })), ["s", "s"]);
});

test("cull keeps what the outputs need, and stops at keys already computed", () => {
  const g = graphOf({ a: [], b: ["a"], c: ["b"], x: [], y: ["x"] });
  assert.deepEqual([...cull(g, ["c"]).keys()].sort(), ["a", "b", "c"]);
  assert.deepEqual([...cull(g, ["c"], new Set(["b"])).keys()].sort(), ["b", "c"]);
  assert.throws(() => cull(g, ["nope"]), /key nope is not in the task graph/);
});

test("layered graphs merge without copying and materialize every layer once", () => {
  const l1 = new MaterializedLayer("a", "a", new Map([["a", task(f, [])]]));
  const l2 = new MaterializedLayer("b", "b", new Map([["b", task(f, [ref("a")])]]), ["a"]);
  const g1 = LayeredGraph.of(l1);
  const g2 = LayeredGraph.from(l2, g1);
  const merged = LayeredGraph.merge(g2, g1, g2);
  assert.deepEqual([...merged.layers.keys()].sort(), ["a", "b"]);
  assert.equal(merged.taskCount, 2);
  assert.deepEqual([...merged.materialize().keys()].sort(), ["a", "b"]);
  assert.deepEqual([...merged.cullLayers(["a"]).layers.keys()], ["a"]);
  // a long chain builds in linear time and flattens without recursion
  let g = g1;
  for (let i = 0; i < 50_000; i++) g = LayeredGraph.from(new MaterializedLayer(`n${i}`, "n", new Map(), []), g);
  assert.equal(g.layers.size, 50_001);
});
