/** Progress displays of a cell, driven by a real runtime's events. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { delayed } from "../../kernel/collections/delayed";
import { compute } from "../../kernel/collections/compute";
import { NotebookProgress } from "../../kernel/notebook/progress";
import { Runtime, setCurrentRuntime } from "../../kernel/schedule";
import type { MimeBundle } from "../../kernel/collections/repr";

function recorder() {
  const sent: { kind: "display" | "update"; id: string; text: string }[] = [];
  return {
    sent,
    out: {
      display: (b: MimeBundle, id: string) => sent.push({ kind: "display", id, text: b["text/plain"] }),
      update: (b: MimeBundle, id: string) => sent.push({ kind: "update", id, text: b["text/plain"] }),
    },
  };
}

const sq = delayed(function sq(x: number) { return x * x; });

test("one display per run, in the running cell only, ending in its final state; a loop's runs beyond the cap are summed up", async (t) => {
  const rt = new Runtime({ workers: 1 });
  setCurrentRuntime(rt);
  const p = new NotebookProgress({ maxDisplays: 2 });
  t.after(async () => {
    p.close();
    setCurrentRuntime(undefined);
    await rt.close();
  });
  await compute([sq(1)], { scheduler: "sync" }); // no cell is running: nothing is shown
  const r = recorder();
  p.cellStarted(r.out);
  for (let i = 0; i < 4; i++) assert.deepEqual(await compute([sq(i)], { scheduler: "sync" }), [i * i]);
  p.cellEnded();
  const ids = [...new Set(r.sent.map((s) => s.id))];
  assert.equal(ids.length, 3, "two run displays and one summary");
  for (const id of ids.slice(0, 2)) {
    const mine = r.sent.filter((s) => s.id === id);
    assert.equal(mine[0]!.kind, "display");
    assert.match(mine[0]!.text, /^Running 1 task in 1 layer/);
    assert.match(mine[mine.length - 1]!.text, /^Computed 1 task in 1 layer in \d+ ms, nothing spilled/);
  }
  assert.match(r.sent[r.sent.length - 1]!.text, /^… and 2 more runs in this cell: 2 tasks/);
  const count = r.sent.length;
  await compute([sq(9)], { scheduler: "sync" });
  assert.equal(r.sent.length, count, "nothing is sent after the cell ended");
});

test("a run still going when its cell ends is closed as not awaited (or cancelled, when interrupted)", async (t) => {
  const rt = new Runtime({ workers: 1 });
  setCurrentRuntime(rt);
  const p = new NotebookProgress();
  t.after(async () => {
    p.close();
    setCurrentRuntime(undefined);
    await rt.close();
  });
  const r = recorder();
  p.cellStarted(r.out);
  const started = rt.events.once("run-start");
  const running = compute([sq(3)], { scheduler: "sync" });
  await started;
  p.cellEnded();
  assert.match(r.sent[r.sent.length - 1]!.text, /^Still running after \d+ ms \(not awaited in its cell\)/);
  assert.deepEqual(await running, [9]);
  const r2 = recorder();
  p.cellStarted(r2.out);
  const started2 = rt.events.once("run-start");
  const running2 = compute([sq(4)], { scheduler: "sync" });
  await started2;
  p.cellEnded(true);
  assert.match(r2.sent[r2.sent.length - 1]!.text, /^Cancelled after/);
  await running2;
});
