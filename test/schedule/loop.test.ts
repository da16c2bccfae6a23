/**
 * The loop's policies, observed through a scripted executor: batching of
 * subtrees, holding root tasks back under memory pressure, releasing
 * results as soon as their last reader finishes.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { EventBus, StoreStats } from "../../kernel/events";
import { Task, builtin, ref, task } from "../../kernel/graph";
import { order } from "../../kernel/optimize";
import { Batch, BatchOutcome, Executor } from "../../kernel/schedule/executor";
import { runLoop } from "../../kernel/schedule/loop";
import { ChunkStore } from "../../kernel/store/store";

const f = builtin("test.f");

class ScriptedExecutor implements Executor {
  readonly name = "scripted";
  readonly inProcess = true;
  readonly batches: Batch[] = [];
  readonly pending: { batch: Batch; done: (o: BatchOutcome) => void }[] = [];
  maxInflight = 0;
  constructor(readonly slots: number, readonly parallelism: number, private readonly auto: boolean) {}
  workers() {
    return [];
  }
  run(batch: Batch, store: ChunkStore): Promise<BatchOutcome> {
    this.batches.push(batch);
    return new Promise((resolve) => {
      const done = (o: BatchOutcome) => {
        for (const k of batch.returns) store.put(k, 1);
        resolve(o);
      };
      const timings = batch.tasks.flatMap(() => [0, 0.001]);
      if (this.auto) queueMicrotask(() => done({ worker: "w", timings }));
      else {
        this.pending.push({ batch, done: () => done({ worker: "w", timings }) });
        this.maxInflight = Math.max(this.maxInflight, this.pending.length);
      }
    });
  }
  /** Completes the oldest batch in flight. */
  finishOne(): void {
    this.pending.shift()!.done({ worker: "w", timings: [] });
  }
  async close() {}
}

class FakeStore implements ChunkStore {
  readonly data = new Map<string, unknown>();
  readonly log: string[] = [];
  constructor(private readonly pausedNow: () => boolean = () => false) {}
  has(k: string) { return this.data.has(k); }
  async get(k: string) { return this.data.get(k); }
  put(k: string, v: unknown) { this.data.set(k, v); this.log.push(`put ${k}`); }
  release(k: string) { this.data.delete(k); this.log.push(`release ${k}`); }
  pin() {}
  unpin() {}
  where() { return undefined; }
  keys() { return this.data.keys(); }
  paused() { return this.pausedNow(); }
  relief() { return undefined; }
  stats(): StoreStats { return { t: 0, memoryLimit: 0, managed: 0, spilled: 0, unmanaged: 0, count: this.data.size, thresholds: { target: 0.6, spill: 0.7, pause: 0.8 }, paused: false }; }
  async close() {}
}

function run(graph: Map<string, Task>, outputs: string[], executor: Executor, store: ChunkStore) {
  return runLoop({ runId: "r", graph, outputs, priority: order(graph, outputs), done: new Set(), executor, store, events: new EventBus() });
}

test("once tasks are known to be tiny, a whole subtree goes in one batch and only its root comes back", async () => {
  const g = new Map<string, Task>();
  for (let i = 0; i < 8; i++) g.set(`leaf-${i}`, task(f, []));
  for (let i = 0; i < 4; i++) g.set(`mid-${i}`, task(f, [ref(`leaf-${2 * i}`), ref(`leaf-${2 * i + 1}`)]));
  for (let i = 0; i < 2; i++) g.set(`top-${i}`, task(f, [ref(`mid-${2 * i}`), ref(`mid-${2 * i + 1}`)]));
  g.set("root", task(f, [ref("top-0"), ref("top-1")]));
  const ex = new ScriptedExecutor(1, 1, true);
  const store = new FakeStore();
  await run(g, ["root"], ex, store);
  assert.equal(ex.batches.length, 2, "one probe batch, then everything else");
  assert.deepEqual(ex.batches[0]!.tasks.map((t) => t.key), ["leaf-0"]);
  const second = ex.batches[1]!;
  assert.equal(second.tasks.length, g.size - 1);
  assert.deepEqual(second.inputs, ["leaf-0"]);
  assert.deepEqual(second.returns, ["root"]);
  // topological order inside the batch
  const pos = new Map(second.tasks.map((t, i) => [t.key, i]));
  for (const t of second.tasks) for (const a of t.task.args) if ("ref" in a && pos.has(a.ref)) assert.ok(pos.get(a.ref)! < pos.get(t.key)!);
  assert.deepEqual([...store.data.keys()], ["root"], "leaf-0 was released once read");
});

test("roots are held back while the store is paused, and go again when nothing can free memory", async () => {
  // Four roots; x reads r0 and r1, y reads r2 and r3, out reads x and y.
  const g = new Map<string, Task>();
  for (let i = 0; i < 4; i++) g.set(`r${i}`, task(f, []));
  g.set("x", task(f, [ref("r0"), ref("r1")]));
  g.set("y", task(f, [ref("r2"), ref("r3")]));
  g.set("out", task(f, [ref("x"), ref("y")]));
  const drain = async (ex: ScriptedExecutor, p: Promise<unknown>) => {
    await new Promise((r) => setImmediate(r));
    while (ex.pending.length > 0) {
      ex.finishOne();
      await new Promise((r) => setImmediate(r));
    }
    await p;
  };
  const free = new ScriptedExecutor(4, 4, false);
  await drain(free, run(g, ["out"], free, new FakeStore(() => false)));
  assert.equal(free.maxInflight, 4, "unpaused: every root goes out at once");

  const held = new ScriptedExecutor(4, 4, false);
  const store = new FakeStore(() => true);
  await drain(held, run(g, ["out"], held, store));
  assert.equal(held.maxInflight, 1, "paused: one batch at a time, only when nothing else runs");
  assert.deepEqual([...store.data.keys()], ["out"]);
});

test("a result is released as soon as its last reader finishes, not at the end", async () => {
  // Extra roots (z1..z3) keep the tasks in separate batches.
  const g = new Map<string, Task>([
    ["a", task(f, [])],
    ["z1", task(f, [])],
    ["z2", task(f, [])],
    ["z3", task(f, [])],
    ["b", task(f, [ref("a"), ref("z1")])],
    ["c", task(f, [ref("a"), ref("z2")])],
    ["d", task(f, [ref("b"), ref("c")])],
    ["e", task(f, [ref("d"), ref("z3")])],
  ]);
  const store = new FakeStore();
  const ex = new ScriptedExecutor(1, 100, true);
  await run(g, ["e"], ex, store);
  assert.ok(ex.batches.length >= 4, `${ex.batches.length} batches`);
  const at = (s: string) => store.log.indexOf(s);
  assert.ok(at("release a") >= 0 && at("release a") < at("put e"), store.log.join(", "));
  assert.ok(at("release b") < at("put e") && at("release c") < at("put e"), store.log.join(", "));
  assert.deepEqual([...store.data.keys()], ["e"]);
});
