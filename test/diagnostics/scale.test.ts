/**
 * A 100,000-task graph streams as a handful of layers with counts, every
 * message stays under the size bound, and a layer's tasks come on request,
 * a page at a time.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { DashboardServer, LayeredGraph, Runtime, compute, delayed } from "../../kernel";
import { LazyLayer, Task, builtin, ref, task } from "../../kernel/graph";
import { MAX_EXPAND_PAGE, RunGraph, ServerMessage } from "../../kernel/protocol";
import { fx } from "../fixtures/tasks";
import { TestClient } from "./client";

const N = 50_000;
const GROUP = 50;
let rt: Runtime;
let server: DashboardServer;
before(async () => {
  rt = new Runtime({ workers: 1, scheduler: "sync" });
  server = await DashboardServer.start(rt, { runtimeDir: false });
});
after(async () => {
  await server.close();
  await rt.close();
});

const T = "0123456789abcdef";
/** load[i] = i; double[i] = load[i] + i (fused with load); part[j] = sum of 50 doubles; total = sum of parts. */
function bigGraph(): { graph: LayeredGraph; output: string; expected: number } {
  const key = (name: string, i: number) => JSON.stringify([name, i]);
  const load = new LazyLayer(`load-${T}`, "load", N, () => new Map(Array.from({ length: N }, (_, i): [string, Task] => [key(`load-${T}`, i), task(builtin("delayed.identity"), [i])])), [], { collection: "bag", npartitions: N });
  const double = new LazyLayer(`double-${T}`, "double", N, () => new Map(Array.from({ length: N }, (_, i): [string, Task] => [key(`double-${T}`, i), task(fx("add"), [ref([`load-${T}`, i]), i])])), [load.name], { collection: "bag", npartitions: N });
  const parts = N / GROUP;
  const part = new LazyLayer(`part-${T}`, "part", parts, () => new Map(Array.from({ length: parts }, (_, j): [string, Task] => [key(`part-${T}`, j), task(fx("sum"), [Array.from({ length: GROUP }, (_, k) => ref([`double-${T}`, j * GROUP + k]))])])), [double.name]);
  const total = new LazyLayer(`total-${T}`, "total", 1, () => new Map([[`total-${T}`, task(fx("sum"), [Array.from({ length: parts }, (_, j) => ref([`part-${T}`, j]))])]]), [part.name]);
  const graph = LayeredGraph.from(total, LayeredGraph.from(part, LayeredGraph.from(double, LayeredGraph.of(load))));
  return { graph, output: `total-${T}`, expected: N * (N - 1) };
}

test("100,000 tasks stream as 4 layers with counts; no message over the bound; a layer expands a page at a time", async () => {
  const c = await TestClient.connect(server, ["graph", "workers", "task-stream", "collections", "memory"]);
  try {
    const { graph, output, expected } = bigGraph();
    const since = Date.now() - 1;
    const { values } = await rt.run(graph, [output]);
    assert.equal(values.get(output), expected);
    const run = await c.runEnded((await c.newRun(since)).runId);
    assert.equal(run.status, "done");
    assert.equal(run.grouped, false);
    assert.deepEqual(run.nodes.map((n) => [n.op, n.ntasks, n.counts.released]), [["total", 1, 1], ["part", 1000, 1000], ["double", N, N], ["load", N, N]]);
    assert.equal(run.ntasks, N + 1000 + 1, "load was fused into double: the scheduler ran 51,001 tasks");
    assert.deepEqual(run.nodes.find((n) => n.op === "double")!.dependencies, [`load-${T}`]);
    assert.equal(run.nodes.find((n) => n.op === "load")!.npartitions, N);

    const max = server.limits.maxMessageBytes;
    const biggest = Math.max(...c.log.map((l) => l.bytes));
    assert.ok(biggest <= max, `largest message ${biggest} bytes`);
    const graphBytes = c.log.filter((l) => l.message.type === "graph" || l.message.type === "graph-delta").reduce((s, l) => s + l.bytes, 0);
    assert.ok(graphBytes < 64 * 1024, `the graph of 101,001 tasks took ${graphBytes} bytes, not one message per task`);
    const dropped = c.log.reduce((s, l) => s + (l.message.type === "task-stream" ? l.message.data.dropped : 0), 0);
    assert.ok(c.records.length + dropped >= 51_001 - 1, "every finished task is streamed or counted as dropped");

    // Expand the fused layer: pages of at most MAX_EXPAND_PAGE tasks, each saying what it was fused into.
    const first = await c.request("expand", { runId: run.runId, node: `load-${T}` });
    assert.equal(first.type, "tasks");
    if (first.type !== "tasks") return;
    assert.equal(first.data.total, N);
    assert.equal(first.data.tasks.length, MAX_EXPAND_PAGE);
    assert.deepEqual(first.data.tasks[7], { key: JSON.stringify([`load-${T}`, 7]), state: "released", dependencies: [], fusedInto: JSON.stringify([`double-${T}`, 7]) });
    const last = await c.request("expand", { runId: run.runId, node: `double-${T}`, offset: N - 10, limit: 100 });
    assert.equal(last.type, "tasks");
    if (last.type !== "tasks") return;
    assert.equal(last.data.tasks.length, 10);
    const t = last.data.tasks[9]!;
    assert.equal(t.key, JSON.stringify([`double-${T}`, N - 1]));
    assert.deepEqual(t.dependencies, [JSON.stringify([`load-${T}`, N - 1])]);
    assert.equal(t.worker, "main");
    assert.ok(t.stop! >= t.start!);
    const sizes = c.log.filter((l) => l.message.type === "tasks").map((l) => l.bytes);
    assert.ok(Math.max(...sizes) <= max, `expand pages of ${sizes.join(", ")} bytes`);

    const unknown = await c.request("expand", { runId: run.runId, node: "lod" });
    assert.equal(unknown.type, "error");
    if (unknown.type === "error") {
      assert.equal(unknown.data.code, "unknown-node");
      assert.match(unknown.data.message, new RegExp(`run ${run.runId} has no node "lod"; use a name from its graph message \\("total-${T}", "part-${T}", "double-${T}", "load-${T}"\\)`));
    }
    assert.deepEqual(c.problems, []);
  } finally {
    await c.close();
  }
});

test("thousands of one-task layers (delayed calls) are drawn grouped by operation", async () => {
  const c = await TestClient.connect(server, ["graph"]);
  try {
    const inc = delayed(function inc(x: number) {
      return x + 1;
    });
    const since = Date.now() - 1;
    const xs = Array.from({ length: 3000 }, (_, i) => inc(i));
    const ys = xs.map((x) => inc(x));
    const results = await compute(ys, { cluster: { runtime: rt } });
    assert.equal(results[2999], 3001);
    const run = await c.runEnded((await c.newRun(since)).runId);
    assert.equal(run.grouped, true);
    assert.deepEqual(run.nodes.map((n) => [n.name, n.layers, n.ntasks, n.counts.released]), [["group:inc", 6000, 6000, 6000]]);
    assert.deepEqual(run.nodes[0]!.dependencies, [], "no self-edges");
    const page = await c.request("expand", { runId: run.runId, node: "group:inc", limit: 3 });
    assert.equal(page.type, "tasks");
    if (page.type === "tasks") assert.equal(page.data.total, 6000);
  } finally {
    await c.close();
  }
});

test("runs beyond the kept ones are forgotten, and clients are told", async () => {
  const c = await TestClient.connect(server, ["graph"]);
  try {
    const one = delayed(function one(i: number) {
      return i;
    });
    const removed = c.next((m: ServerMessage) => m.type === "graph-delta" && m.data.removed.length > 0);
    for (let i = 0; i < server.limits.maxRuns + 1; i++) await one(1000 + i).compute({ cluster: { runtime: rt } });
    await removed;
    const kept: RunGraph[] = server.model.graph.snapshot();
    assert.equal(kept.length, server.limits.maxRuns);
    // The flush that ends the newest run also forgets the oldest: after it, client and server agree.
    await c.runEnded(kept[kept.length - 1]!.runId);
    assert.deepEqual([...c.runs.keys()].sort(), kept.map((r) => r.runId).sort());
  } finally {
    await c.close();
  }
});
