/**
 * What a client sees while computations run: a snapshot, then coalesced
 * deltas, and in the end the same state as the engine — per node counts,
 * per worker tasks run and processing, the task stream, errors.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { LocalCluster, compute, delayed } from "../../kernel";
import type { ServerMessage } from "../../kernel/protocol";
import { gate, hold, nap } from "../fixtures/gates";
import { TestClient } from "./client";

let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ workers: 2, dashboard: { port: 0 } });
});
after(() => cluster.close());

const server = () => cluster.dashboard!;

const add = delayed(function add(...xs: number[]) {
  return xs.reduce((s, x) => s + x, 0);
});

test("a client's mirror ends equal to the engine's state; deltas come at most every 100 ms per stream", async () => {
  const c = await TestClient.connect(server(), ["workers", "graph", "task-stream", "collections", "memory"]);
  try {
    const before = new Map(server().model.workers.list().map((w) => [w.id, w.tasksRun]));
    const t0 = performance.now();
    const since = performance.timeOrigin + t0;
    const parts = Array.from({ length: 40 }, (_, i) => nap(4, i));
    const total = await add(...parts).compute();
    const elapsed = performance.now() - t0;
    assert.equal(total, (39 * 40) / 2);
    const runId = (await c.newRun(since)).runId;
    const run = await c.runEnded(runId);
    assert.equal(run.status, "done");

    // The client's graph equals the model's, which equals what ran: 40 naps and one add, all handed over.
    assert.deepEqual(run, server().model.graph.snapshot().find((r) => r.runId === runId));
    const naps = run.nodes.filter((n) => n.op === "nap");
    assert.equal(naps.length, 40);
    for (const n of run.nodes) assert.deepEqual(n.counts, { waiting: 0, processing: 0, memory: 0, spilled: 0, erred: 0, released: 1 }, n.name);
    const addNode = run.nodes.find((n) => n.op === "add")!;
    assert.equal(addNode.dependencies.length, 40);

    // Workers: every task counted once, on the worker the task stream names.
    await c.until(() => c.workers.reduce((s, w) => s + w.tasksRun, 0) - sum(before) === 41);
    const streamed = c.records.filter((r) => r.start >= run.start);
    assert.equal(streamed.length, 41);
    assert.deepEqual(new Set(streamed.map((r) => r.key)), new Set(run.nodes.map((n) => n.name)));
    for (const w of c.workers) {
      assert.equal(w.tasksRun - (before.get(w.id) ?? 0), streamed.filter((r) => r.worker === w.id).length, w.id);
      assert.equal(w.processing, 0);
    }
    for (const r of streamed) assert.ok(r.stop >= r.start && r.op === (r.key.startsWith("nap") ? "nap" : "add"));

    // Coalescing: however many events, at most one delta per stream per 100 ms (+1 for the first).
    for (const type of ["graph-delta", "task-stream", "workers"] as const) {
      const n = c.log.filter((l) => l.message.type === type && l.at >= t0).length;
      assert.ok(n <= Math.ceil(elapsed / 100) + 2, `${n} ${type} messages in ${elapsed.toFixed(0)} ms`);
    }
    // The collection computed is listed, its one chunk handed over.
    const listed = c.collections.find((x) => x.layer === addNode.name)!;
    assert.equal(listed.source, "compute");
    assert.equal(listed.placement!.states, "r");
    assert.deepEqual(c.problems, []);
  } finally {
    await c.close();
  }
});

test("while a task runs, its worker shows it processing, and an expanded node shows where it runs", async () => {
  const c = await TestClient.connect(server(), ["workers", "graph"]);
  const g = gate();
  try {
    const since = Date.now() - 1;
    const result = hold(g.cell, 101).compute();
    const run = await c.newRun(since);
    await c.until(() => c.workers.some((w) => w.processing === 1));
    const worker = c.workers.find((w) => w.processing === 1)!;
    assert.match(worker.id, /^thread-\d+$/);
    assert.ok(cluster.workers.some((w) => w.id === worker.id), "a live worker of the pool");

    const node = run.nodes[0]!;
    const page = await c.request("expand", { runId: run.runId, node: node.name });
    assert.equal(page.type, "tasks");
    if (page.type !== "tasks") return;
    assert.equal(page.data.total, 1);
    assert.equal(page.data.tasks[0]!.state, "processing");
    assert.equal(page.data.tasks[0]!.worker, worker.id);

    const changed = c.next((m) => m.type === "tasks-delta" && m.data.tasks.some((t) => t.state === "released"));
    g.open();
    assert.equal(await result, 101);
    const delta = (await changed) as Extract<ServerMessage, { type: "tasks-delta" }>;
    const t = delta.data.tasks.find((x) => x.state === "released")!;
    assert.equal(t.worker, worker.id);
    assert.ok(t.stop! > t.start!);
    await c.until(() => c.workers.every((w) => w.processing === 0));
    c.send("collapse", { runId: run.runId, node: node.name });
  } finally {
    g.open();
    await c.close();
  }
});

test("a failing task: the run is erred with the task's error, its record and counts say so, no worker stays busy", async () => {
  const c = await TestClient.connect(server(), ["workers", "graph", "task-stream"]);
  try {
    const boom = delayed(function boom(x: number) {
      if (x > 0) throw new RangeError(`x is ${x}`);
      return x;
    });
    const since = Date.now() - 1;
    await assert.rejects(compute([boom(5), nap(1, 77)]), /x is 5/);
    const runId = (await c.newRun(since)).runId;
    const run = await c.runEnded(runId);
    assert.equal(run.status, "erred");
    assert.match(run.error!.message, /task boom-[0-9a-f]+ \(operation "boom"\) failed on thread-\d+: RangeError: x is 5/);
    const node = run.nodes.find((n) => n.op === "boom")!;
    assert.equal(node.counts.erred, 1);
    assert.equal(node.counts.memory + node.counts.released, 0, "a task that threw never reaches memory");
    const record = await waitRecord(c, node.name);
    assert.equal(record.status, "erred");
    assert.ok(record.stop >= record.start);
    assert.ok(server().model.workers.list().every((w) => w.processing === 0));
  } finally {
    await c.close();
  }
});

test("a cancelled run ends cancelled, its unfinished tasks back to waiting, no worker left processing", async () => {
  const c = await TestClient.connect(server(), ["graph"]);
  const g = gate();
  try {
    const ac = new AbortController();
    const since = Date.now() - 1;
    const running = hold(g.cell, 202).compute({ signal: ac.signal });
    const runId = (await c.newRun(since)).runId;
    await c.until(() => c.runs.get(runId)!.nodes[0]!.counts.processing === 1);
    ac.abort(new Error("user interrupt"));
    await assert.rejects(running, /cancelled: user interrupt/);
    const run = await c.runEnded(runId);
    assert.equal(run.status, "cancelled");
    assert.deepEqual(run.nodes[0]!.counts, { waiting: 1, processing: 0, memory: 0, spilled: 0, erred: 0, released: 0 });
    assert.ok(server().model.workers.list().every((w) => w.processing === 0));
  } finally {
    g.open();
    await c.close();
  }
});

function sum(m: Map<string, number>): number {
  let s = 0;
  for (const v of m.values()) s += v;
  return s;
}

async function waitRecord(c: TestClient, key: string) {
  const have = () => c.records.find((r) => r.key === key);
  if (have() === undefined) await c.next(() => have() !== undefined);
  return have()!;
}
