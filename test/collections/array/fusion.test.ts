import { test } from "node:test";
import assert from "node:assert/strict";
import { BlockwiseLayer, LayeredGraph } from "../../../kernel/graph";
import { fuseBlockwise } from "../../../kernel/optimize";
import { NDArray, TaskTransition, compute, da } from "../../../kernel";
import { withCluster } from "./helpers";

const { cluster } = withCluster();

test("(x + 1).mean() never materialises x + 1: the add layer is fused into the mean's partial layer", async () => {
  const data = Float64Array.from({ length: 1000 }, (_, i) => i);
  const x = da.fromArray(data, { chunks: 100 });
  const y = x.add(1);
  const m = y.mean();
  const fused = fuseBlockwise(m.graph(), new Set([m.name]));
  const ops = [...fused.layers.values()].map((l) => l.op);
  assert.ok(!fused.layers.has(y.name), `add layer still there: ${ops}`);
  const partial = [...fused.layers.values()].find((l) => l.op === "mean-partial")! as BlockwiseLayer;
  assert.ok((partial.meta!["fused"] as string[]).includes(y.name), "the partial lists what it absorbed");
  assert.deepEqual([...(partial.meta!["fusedOps"] as string[])].sort(), ["add", "array"]);
  // What the scheduler runs: no task of the add layer ever reaches memory, and the run's layer summary shows the fusion.
  const seen: TaskTransition[] = [];
  let layers: string[] = [];
  const off1 = cluster().runtime.events.on("tasks", (e) => seen.push(...e.transitions));
  const off2 = cluster().runtime.events.on("run-start", (e) => (layers = e.layers.map((l) => l.op)));
  for (const scheduler of ["sync", "threads"] as const) assert.equal(await m.compute({ scheduler }), 500.5);
  off1();
  off2();
  assert.ok(!layers.includes("add"), layers.join(","));
  assert.equal(seen.filter((t) => t.key.includes(y.name)).length, 0);
  assert.ok(seen.some((t) => t.key.includes("mean-partial")));
});

test("chains of elementwise operations become one layer; a layer read twice is not fused", () => {
  const x = da.ones([10], { chunks: 5 });
  const a = x.mul(2).add(1).sqrt();
  const g = fuseBlockwise(a.graph(), new Set([a.name]));
  assert.deepEqual([...g.layers.values()].map((l) => l.op).sort(), ["sqrt"], "source, mul, add and sqrt are one layer");
  const shared = x.add(1);
  const both = LayeredGraph.merge(shared.mul(2).graph(), shared.mul(3).graph());
  const g2 = fuseBlockwise(both, new Set([shared.mul(2).name, shared.mul(3).name]));
  assert.ok(g2.layers.has(shared.name), "x + 1 feeds two layers, so it stays");
});

test("fused and unfused runs agree, for shared operands and broadcasting", async () => {
  const x = da.fromArray(Float64Array.from({ length: 60 }, (_, i) => i - 30), { shape: [6, 10], chunks: [4, 3] });
  const row = da.fromArray(Float64Array.from({ length: 10 }, (_, i) => i), { chunks: 3 });
  const e = x.add(row).mul(x).sub(row.div(2)).abs().std({ axis: 0 });
  const [a, b] = [(await e.compute()) as NDArray, (await e.compute({ optimize: false })) as NDArray];
  for (let i = 0; i < a.size; i++) assert.ok(Math.abs((a.data[i] as number) - (b.data[i] as number)) < 1e-9);
});

test("persisted chunks are read, not recomputed by fusion", async () => {
  const x = da.arange(20, { chunks: 5 });
  const y = await x.mul(2).persist();
  assert.equal(await y.sum().compute(), 380n);
  const [s, m] = await compute(x.mul(2).sum(), x.mul(2).max());
  assert.equal(s, 380n);
  assert.equal(m, 38);
});
