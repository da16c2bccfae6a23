/**
 * The scheduler conformance suite: every scheduler must pass it unchanged
 * (sync.test.ts and threads.test.ts run it; the distributed scheduler will too).
 * Graphs are raw tasks over module functions (test/fixtures/tasks.ts), and
 * every value is checked against a plain-loop evaluation of the same graph.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { TaskTransition } from "../../kernel/events";
import { Inline, LayeredGraph, MaterializedLayer, Task, ref, task } from "../../kernel/graph";
import { Runtime } from "../../kernel/schedule";
import { fx } from "../fixtures/tasks";
import * as fns from "../fixtures/tasks";

export interface Harness {
  rt: Runtime;
  run(graph: Map<string, Task>, outputs: string[], options?: { signal?: AbortSignal; optimize?: boolean }): Promise<unknown[]>;
}

export function harness(scheduler: string, workers = 2): Harness {
  const rt = new Runtime({ workers });
  after(() => rt.close());
  return {
    rt,
    async run(graph, outputs, options = {}) {
      const lg = LayeredGraph.of(new MaterializedLayer("raw", "raw", graph));
      const { values } = await rt.run(lg, outputs, { scheduler, ...options });
      return outputs.map((k) => values.get(k));
    },
  };
}

/** Seeded xorshift: the same "random" graph every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** A random DAG of n tasks (each adds up to 3 earlier results to i % 7, mod a prime), and its values by a plain loop. */
function randomDag(n: number, seed: number): [Map<string, Task>, Map<string, number>] {
  const r = rng(seed);
  const g = new Map<string, Task>();
  const ref_ = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const k = `t-${i}`;
    const ndeps = i === 0 ? 0 : Math.floor(r() * 4);
    const deps = new Set<number>();
    for (let j = 0; j < ndeps; j++) deps.add(Math.floor(r() * i));
    const ds = [...deps].map((d) => `t-${d}`);
    g.set(k, task(fx("sumMod"), [[i % 7, ...ds.map((d) => ref(d))], 1_000_003]));
    let v = i % 7;
    for (const d of ds) v = (v + ref_.get(d)!) % 1_000_003;
    ref_.set(k, v);
  }
  return [g, ref_];
}

export function conformance(scheduler: string): void {
  const h = harness(scheduler);
  const events: TaskTransition[] = [];
  h.rt.events.on("tasks", (e) => {
    if (e.runId !== undefined) events.push(...e.transitions);
  });

  test(`${scheduler}: a literal task and a chain`, async () => {
    const g = new Map<string, Task>([
      ["a", task(fx("inc"), [1])],
      ["b", task(fx("inc"), [ref("a")])],
      ["c", task(fx("inc"), [ref("b")])],
    ]);
    assert.deepEqual(await h.run(g, ["c"]), [4]);
    assert.deepEqual(await h.run(g, ["c", "a"], { optimize: false }), [4, 2]);
  });

  test(`${scheduler}: a diamond runs each task once`, async () => {
    events.length = 0;
    const g = new Map<string, Task>([
      ["a", task(fx("inc"), [10])],
      ["b", task(fx("inc"), [ref("a")])],
      ["c", task(fx("add"), [ref("a"), 100])],
      ["d", task(fx("add"), [ref("b"), ref("c")])],
    ]);
    assert.deepEqual(await h.run(g, ["d"]), [11 + 1 + (11 + 100)]);
    for (const k of ["a", "b", "c", "d"]) {
      assert.equal(events.filter((t) => t.key === k && t.state === "memory").length, 1, `${k} ran once`);
    }
    assert.equal(h.rt.store.stats().count, 0, "nothing is left in the store");
  });

  test(`${scheduler}: references nested in arrays, objects and inline tasks`, async () => {
    const g = new Map<string, Task>([
      ["a", task(fx("inc"), [0])],
      ["b", task(fx("inc"), [1])],
      ["n", task(fx("total"), [[ref("a"), { x: ref("b"), y: [ref("a"), 5, { z: ref(["blk", 2]) }] }, new Inline(task(fx("inc"), [ref("b")]))]])],
      ['["blk",2]', task(fx("inc"), [99])],
    ]);
    // a=1, b=2, blk=100: 1 + 2 + 1 + 5 + 100 + (2+1)
    assert.deepEqual(await h.run(g, ["n"]), [112]);
  });

  test(`${scheduler}: bad references, unknown outputs and cycles are clear errors`, async () => {
    const missing = new Map<string, Task>([["a", task(fx("inc"), [ref("ghost")])]]);
    await assert.rejects(h.run(missing, ["a"]), (e: Error & { code?: string }) => {
      assert.equal(e.code, "TESSERA_MISSING_DEPENDENCY");
      assert.match(e.message, /task a refers to key ghost/);
      return true;
    });
    const ok = new Map<string, Task>([["a", task(fx("inc"), [1])]]);
    await assert.rejects(h.run(ok, ["nope"]), { code: "TESSERA_UNKNOWN_KEY" });
    const cyclic = new Map<string, Task>([
      ["a", task(fx("inc"), [ref("b")])],
      ["b", task(fx("inc"), [ref("a")])],
      ["c", task(fx("inc"), [ref("b")])],
    ]);
    await assert.rejects(h.run(cyclic, ["c"]), (e: Error & { code?: string }) => {
      assert.equal(e.code, "TESSERA_CYCLE");
      assert.match(e.message, /(a -> b -> a|b -> a -> b)/);
      return true;
    });
  });

  test(`${scheduler}: a failing task names its key and operation, carries the worker stack, and stops its dependents`, async () => {
    events.length = 0;
    const g = new Map<string, Task>([
      ["ok-1", task(fx("inc"), [1])],
      ["boom-9f2c0b1de4aa", task(fx("fail"), ["bad value"])],
      ["after", task(fx("add"), [ref("ok-1"), ref("boom-9f2c0b1de4aa")])],
      ["later", task(fx("inc"), [ref("after")])],
    ]);
    await assert.rejects(h.run(g, ["later"], { optimize: false }), (e: Error & { code?: string; key?: string; op?: string; remote?: { stack?: string } }) => {
      assert.equal(e.code, "TESSERA_TASK_FAILED");
      assert.equal(e.key, "boom-9f2c0b1de4aa");
      assert.equal(e.op, "boom");
      assert.match(e.message, /RangeError: bad value/);
      assert.match(e.remote!.stack!, /at fail /);
      assert.match(e.stack!, /worker stack/);
      return true;
    });
    const erred = events.find((t) => t.key === "boom-9f2c0b1de4aa" && t.state === "erred")!;
    assert.ok(erred.stop! >= erred.start!, "the erred transition carries the failed task's timing");
    assert.ok(!events.some((t) => t.key === "boom-9f2c0b1de4aa" && t.state === "memory"), "a task that threw never reaches memory");
    assert.ok(!events.some((t) => (t.key === "after" || t.key === "later") && t.state === "memory"), "dependents never ran");
    assert.equal(h.rt.store.stats().count, 0, "the failed run left nothing in the store");
  });

  test(`${scheduler}: cancellation stops a run within a second and frees everything`, async () => {
    const g = new Map<string, Task>();
    for (let i = 0; i < 20; i++) g.set(`spin-${i}`, task(fx("spin"), [300]));
    g.set("all", task(fx("sum"), [[...g.keys()].map((k) => ref(k))]));
    const ac = new AbortController();
    const t0 = performance.now();
    const running = h.run(g, ["all"], { signal: ac.signal });
    setTimeout(() => ac.abort(new Error("user pressed stop")), 100);
    await assert.rejects(running, (e: Error & { code?: string }) => {
      assert.equal(e.code, "TESSERA_CANCELLED");
      assert.match(e.message, /user pressed stop/);
      return true;
    });
    const elapsed = performance.now() - t0;
    assert.ok(elapsed < 1100, `stopped after ${elapsed.toFixed(0)} ms`);
    assert.equal(h.rt.store.stats().count, 0);
    // the workers are free: a small computation runs at once
    assert.deepEqual(await h.run(new Map([["x", task(fx("inc"), [1])]]), ["x"]), [2]);
    // an already-aborted signal never starts anything
    await assert.rejects(h.run(g, ["all"], { signal: AbortSignal.abort() }), { code: "TESSERA_CANCELLED" });
  });

  test(`${scheduler}: batch-start names each batch's worker before any of its tasks finish`, async () => {
    const starts = new Map<string, string>();
    const order: string[] = [];
    const offStart = h.rt.events.on("batch-start", (e) => {
      for (const k of e.keys) starts.set(k, e.worker);
    });
    const offTasks = h.rt.events.on("tasks", (e) => {
      for (const t of e.transitions) if (t.state === "memory" && e.runId !== undefined) order.push(`${t.key}@${t.worker}:${starts.get(t.key) ?? "no batch-start"}`);
    });
    try {
      const g = new Map<string, Task>(Array.from({ length: 30 }, (_, i) => [`s${i}`, task(fx("inc"), [i])]));
      g.set("all", task(fx("sum"), [[...g.keys()].map((k) => ref(k))]));
      assert.deepEqual(await h.run(g, ["all"], { optimize: false }), [(29 * 30) / 2 + 30]);
    } finally {
      offStart();
      offTasks();
    }
    assert.equal(order.length, 31);
    for (const o of order) {
      const [key, rest] = o.split("@");
      const [ran, started] = rest!.split(":");
      assert.equal(started, ran, `${key} finished on ${ran} but its batch started on ${started}`);
    }
  });

  test(`${scheduler}: a 10,000-task random graph gives the plain-loop values`, async () => {
    const [g, expected] = randomDag(10_000, 42);
    const outs = ["t-9999", "t-5000", "t-123", "t-0"];
    const got = await h.run(g, outs);
    assert.deepEqual(got, outs.map((k) => expected.get(k)));
    assert.equal(h.rt.store.stats().count, 0);
  });

  test(`${scheduler}: concurrent runs are independent: one fails, the other completes`, async () => {
    const bad = new Map<string, Task>([["s", task(fx("sleep"), [50, 1])], ["x", task(fx("fail"), [ref("s")])]]);
    const good = new Map<string, Task>([["s2", task(fx("sleep"), [80, 5])], ["y", task(fx("inc"), [ref("s2")])]]);
    const [r1, r2] = await Promise.allSettled([h.run(bad, ["x"]), h.run(good, ["y"])]);
    assert.equal(r1.status, "rejected");
    assert.deepEqual(r2.status === "fulfilled" && r2.value, [6]);
  });

  test(`${scheduler}: async task functions are awaited`, async () => {
    const g = new Map<string, Task>([["s", task(fx("sleep"), [5, 41])], ["t", task(fx("inc"), [ref("s")])]]);
    assert.deepEqual(await h.run(g, ["t"]), [42]);
  });

  test(`${scheduler}: shared-memory chunks pass between tasks intact`, async () => {
    const g = new Map<string, Task>([
      ["blk", task(fx("block"), [100_000, 0.5])],
      ["s", task(fx("blockSum"), [ref("blk")])],
      ["t", task(fx("blockSum"), [ref("blk")])],
    ]);
    const [blk, s, t] = (await h.run(g, ["blk", "s", "t"])) as [Float64Array, number, number];
    assert.equal(s, 50_000);
    assert.equal(t, 50_000);
    assert.equal(blk.length, 100_000);
    assert.ok(blk.buffer instanceof SharedArrayBuffer);
  });

  test(`${scheduler}: the same values as a plain call of each function`, async () => {
    const g = new Map<string, Task>([
      ["a", task(fx("inc"), [fns.add(2, 3)])],
      ["b", task(fx("total"), [[ref("a"), { k: ref("a") }]])],
    ]);
    assert.deepEqual(await h.run(g, ["a", "b"]), [fns.inc(5), fns.total([6, { k: 6 }])]);
  });
}
