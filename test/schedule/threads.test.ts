import { test } from "node:test";
import assert from "node:assert/strict";
import { Task, task } from "../../kernel/graph";
import { fx } from "../fixtures/tasks";
import { conformance, harness } from "./conformance";
import { delayed } from "../../kernel/collections/delayed";

conformance("threads");

test("threads: a task that kills its worker gives a clear error, and the pool keeps working", async () => {
  const h = harness("threads");
  const g = new Map<string, Task>([["ok", task(fx("inc"), [1])], ["exit-0a1b2c3d4e", task(fx("exit"), [7])]]);
  await assert.rejects(h.run(g, ["exit-0a1b2c3d4e"]), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_WORKER_CRASHED");
    assert.match(e.message, /while running task exit-0a1b2c3d4e \(operation "exit"\)/);
    assert.match(e.message, /exited with code: 7/);
    return true;
  });
  assert.deepEqual(await h.run(g, ["ok"]), [2]);
  const many = new Map<string, Task>(Array.from({ length: 50 }, (_, i) => [`k${i}`, task(fx("inc"), [i])]));
  assert.deepEqual(await h.run(many, ["k49", "k0"]), [50, 1]);
});

test("threads: workers report their memory on the event stream", async () => {
  const h = harness("threads");
  const sample = h.rt.events.once("memory");
  await h.run(new Map([["x", task(fx("block"), [1000, 1])]]), ["x"]);
  const s = await sample;
  assert.match(s.worker, /^thread-\d+$/);
  assert.ok(s.heapUsed > 0);
  assert.ok(s.arrayBuffers >= 0);
  assert.ok(h.rt.workers().length === 2);
});

test("threads: a result on an ordinary ArrayBuffer of 64 KiB or more is moved back intact", async () => {
  const h = harness("threads");
  const big = delayed(function big(n: number) { return new Float64Array(n).map((_, i) => i * 0.5); });
  const d = big(100_000);
  const [v] = (await h.rt.run(d.graph(), [d.key])).values.values() as IterableIterator<Float64Array>;
  assert.ok(v instanceof Float64Array, `got ${Object.prototype.toString.call(v)}`);
  assert.equal(v.length, 100_000);
  assert.equal(v[99_999], 99_999 * 0.5);
});
