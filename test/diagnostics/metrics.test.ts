/**
 * /metrics against the engine's own state: the store's byte counts, each
 * worker's chunks (from store.where), the tasks that ran, with spilling.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { LocalCluster, delayed, persist } from "../../kernel";
import { tempDir } from "./client";

const MB = 1 << 20;
const spillDir = tempDir("tessera-metrics-spill-");
let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ workers: 2, memoryLimit: 8 * MB, spillDir, dashboard: { port: 0 } });
});
after(async () => {
  await cluster.close();
  fs.rmSync(spillDir, { recursive: true, force: true });
});

/** Prometheus text -> "name{labels}" -> value. */
async function scrape(): Promise<Map<string, number>> {
  const r = await fetch(new URL(`metrics?token=${cluster.dashboard!.token}`, cluster.dashboard!.url));
  assert.equal(r.status, 200);
  assert.match(r.headers.get("content-type")!, /^text\/plain; version=0\.0\.4/);
  const out = new Map<string, number>();
  for (const line of (await r.text()).split("\n")) {
    if (line === "" || line.startsWith("#")) continue;
    const m = /^(\S+) (\S+)$/.exec(line);
    assert.ok(m !== null, `not a sample line: ${line}`);
    out.set(m[1]!, Number(m[2]));
  }
  return out;
}

const block = delayed(function block(i: number, n: number) {
  const a = new Float64Array(new SharedArrayBuffer(n * 8));
  a.fill(i);
  return a;
});

test("/metrics needs the token", async () => {
  assert.equal((await fetch(new URL("metrics", cluster.dashboard!.url))).status, 403);
});

test("/metrics matches the store, each worker's chunks and the tasks run, spilled chunks included", async () => {
  const store = cluster.runtime.store;
  const before = await scrape();
  const runBefore = [...before].filter(([k]) => k.startsWith("tessera_tasks_run_total")).reduce((s, [, v]) => s + v, 0);
  // Six 1.5 MiB chunks persisted into an 8 MiB store: above the 60% target, some go to disk.
  const blocks = Array.from({ length: 6 }, (_, i) => block(i + 1, (3 * MB) / 16));
  const kept = await persist(blocks);
  await store.settled();
  const m = await scrape();
  const stats = store.stats();
  assert.ok(stats.spilled > 0, "the test needs some chunks on disk");
  assert.equal(m.get('tessera_store_bytes{type="managed"}'), stats.managed);
  assert.equal(m.get('tessera_store_bytes{type="spilled"}'), stats.spilled);
  assert.equal(m.get("tessera_spilled_bytes_total"), store.spilledTotalBytes);
  assert.equal(m.get("tessera_store_chunks"), stats.count);
  assert.equal(m.get("tessera_memory_limit_bytes"), 8 * MB);
  assert.equal(m.get("tessera_store_paused"), stats.paused ? 1 : 0);

  // Each worker's managed and spilled bytes are exactly the chunks the store says it produced.
  const byWorker = new Map<string, { managed: number; spilled: number }>();
  for (const k of store.keys()) {
    const loc = store.where(k)!;
    const w = byWorker.get(loc.worker!) ?? { managed: 0, spilled: 0 };
    if (loc.state === "memory") w.managed += loc.nbytes;
    else w.spilled += loc.nbytes;
    byWorker.set(loc.worker!, w);
  }
  assert.ok(byWorker.size >= 1);
  for (const w of cluster.workers) {
    const expect = byWorker.get(w.id) ?? { managed: 0, spilled: 0 };
    assert.equal(m.get(`tessera_worker_memory_bytes{worker="${w.id}",type="managed"}`), expect.managed, w.id);
    assert.equal(m.get(`tessera_worker_memory_bytes{worker="${w.id}",type="spilled"}`), expect.spilled, w.id);
    assert.equal(m.get(`tessera_worker_tasks_processing{worker="${w.id}"}`), 0);
  }
  const run = [...m].filter(([k]) => k.startsWith("tessera_tasks_run_total")).reduce((s, [, v]) => s + v, 0);
  assert.equal(run - runBefore, 6);
  const spilledKeys = [...store.keys()].filter((k) => store.where(k)!.state === "spilled").length;
  assert.equal(m.get('tessera_tasks{state="spilled"}'), spilledKeys);
  assert.equal(m.get('tessera_tasks{state="memory"}'), 6 - spilledKeys);
  assert.equal(m.get('tessera_tasks{state="processing"}'), 0);
  assert.equal(m.get("tessera_workers"), cluster.workers.length);

  // Reading the chunks back moves bytes from disk to memory; the figures follow.
  const sums = await Promise.all(kept.map((b) => b.compute()));
  assert.deepEqual(sums.map((a) => a[0]), [1, 2, 3, 4, 5, 6]);
  await store.settled();
  const again = await scrape();
  assert.equal(again.get('tessera_store_bytes{type="managed"}'), store.stats().managed);
  assert.equal(again.get('tessera_store_bytes{type="spilled"}'), store.stats().spilled);
});
