import { test } from "node:test";
import assert from "node:assert/strict";
import { RunProgress } from "../../kernel/diagnostics/progress";

const start = {
  graph: new Map(),
  runId: "r1", scheduler: "threads", t: 1000, ntasks: 5, outputs: ["sum-1"],
  layers: [
    { name: "load-a", op: "load", ntasks: 2, dependencies: [] },
    { name: "load-b", op: "load", ntasks: 2, dependencies: [] },
    { name: "gone", op: "fused", ntasks: 0, dependencies: [] },
    { name: "sum-1", op: "sum", ntasks: 1, dependencies: ["load-a", "load-b"] },
  ],
};

test("counts each task once per layer, groups rows by operation, ends with what ran", () => {
  const p = new RunProgress(start);
  assert.deepEqual(p.layers.map((l) => l.name), ["load-a", "load-b", "sum-1"], "layers with no task in the run are left out");
  assert.equal(p.onTasks([{ key: '["load-a",0]', state: "memory", t: 1 }, { key: '["load-a",0]', state: "released", t: 2 }]), true);
  p.onTasks([{ key: '["load-a",0]', state: "memory", t: 3 }, { key: '["load-b",1]', state: "memory", t: 3 }]);
  assert.equal(p.done, 2);
  assert.deepEqual(p.rows().map((r) => [r.op, r.done, r.total]), [["load", 2, 4], ["sum", 0, 1]]);
  assert.match(p.summary(1500), /^Running 5 tasks in 3 layers: 2 done \(500 ms\)$/);
  p.onTasks(["load-a", "load-b"].flatMap((l) => [0, 1].map((i) => ({ key: JSON.stringify([l, i]), state: "memory" as const, t: 4 }))));
  p.onTasks([{ key: "sum-1", state: "memory", t: 5 }]);
  p.onEnd({ runId: "r1", status: "done", t: 3300, elapsedMs: 2300, ntasks: 5, spilledBytes: 3 * 1024 * 1024 });
  assert.equal(p.summary(), "Computed 5 tasks in 3 layers in 2.30 s, spilled 3.00 MiB to disk");
  assert.equal(p.text().split("\n")[1], `  load [${"#".repeat(30)}] 4/4`);
  assert.match(p.html(), /data-status="done".*Computed 5 tasks/);
});

test("a failed run names the task; a cancelled or abandoned one says how far it got", () => {
  const p = new RunProgress(start);
  p.onTasks([{ key: "sum-1", state: "erred", t: 2, error: { name: "RangeError", message: "bad" } }]);
  p.onEnd({ runId: "r1", status: "erred", t: 1010, elapsedMs: 10, ntasks: 5, spilledBytes: 0 });
  assert.equal(p.summary(), "Failed after 10 ms: task sum-1 raised RangeError: bad (0 of 5 tasks done)");
  assert.match(p.text(), /sum +\[#{30}\] 0\/1 \(1 failed\)/);
  const c = new RunProgress(start);
  c.cancelled(1800);
  assert.equal(c.summary(), "Cancelled after 800 ms: 0 of 5 tasks done");
  const d = new RunProgress(start);
  d.detach(2000);
  assert.match(d.summary(), /^Still running after 1.00 s \(not awaited in its cell\): 0 of 5 tasks done$/);
});
