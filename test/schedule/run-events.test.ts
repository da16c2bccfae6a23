/**
 * What run-start and run-end report: the tasks that run, not the chunks a
 * run reads from the store (progress bars count from them).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { delayed } from "../../kernel/collections/delayed";
import { compute, persist } from "../../kernel/collections/compute";
import { EngineEvents } from "../../kernel/events";
import { Runtime } from "../../kernel/schedule";

test("a run over persisted chunks counts only the tasks it runs", async (t) => {
  const rt = new Runtime({ workers: 1 });
  t.after(() => rt.close());
  const sq = delayed(function sq(x: number) { return x * x; });
  const sum = delayed(function sum(...xs: number[]) { return xs.reduce((a, b) => a + b, 0); });
  const kept = await persist([sq(1), sq(2), sq(3)], { cluster: { runtime: rt }, scheduler: "sync" });
  const starts: EngineEvents["run-start"][] = [];
  const ends: EngineEvents["run-end"][] = [];
  rt.events.on("run-start", (e) => starts.push(e));
  rt.events.on("run-end", (e) => ends.push(e));
  const [total] = await compute([sum(...kept)], { cluster: { runtime: rt }, scheduler: "sync" });
  assert.equal(total, 1 + 4 + 9);
  assert.equal(starts[0]!.ntasks, 1);
  assert.deepEqual(starts[0]!.layers.filter((l) => l.ntasks > 0).map((l) => l.op), ["sum"]);
  assert.equal(ends[0]!.ntasks, 1);
});
