/**
 * A failed task is reported as erred, never as finished: progress bars and
 * the dashboard count it from these events.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { delayed } from "../../kernel/collections/delayed";
import { TaskTransition } from "../../kernel/events";
import { Runtime } from "../../kernel/schedule";

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: the failing task of a batch emits "erred" and no "memory"`, async (t) => {
    const rt = new Runtime({ workers: 1 });
    t.after(() => rt.close());
    const ok = delayed(function ok(x: number) { return x + 1; });
    const bad = delayed(function bad(x: number) { if (x > 0) throw new Error(`bad ${x}`); return x; });
    const d = bad(ok(1));
    const seen: TaskTransition[] = [];
    rt.events.on("tasks", (e) => seen.push(...e.transitions));
    await assert.rejects(rt.run(d.graph(), [d.key], { scheduler, optimize: false }), /bad 2/);
    const states = (key: string) => seen.filter((s) => s.key === key).map((s) => s.state);
    assert.ok(states(d.key).includes("erred"), `erred for ${d.key}: ${states(d.key)}`);
    assert.ok(!states(d.key).includes("memory"), `no memory for the failed task: ${states(d.key)}`);
    assert.ok(states(ok(1).key).includes("memory"), "the task before it did finish");
  });
}
