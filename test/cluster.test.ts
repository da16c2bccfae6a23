import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EngineEvents, LocalCluster, compute, currentRuntime, delayed } from "../kernel";

const MB = 1 << 20;

test("a computation 4x the memory limit completes, spilling to disk and reading chunks back", async () => {
  const spillDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-clustertest-"));
  const cluster = await LocalCluster.start({ workers: 2, memoryLimit: 32 * MB, spillDir });
  try {
    const ends: EngineEvents["run-end"][] = [];
    cluster.runtime.events.on("run-end", (e) => ends.push(e));
    // 16 blocks of 8 MiB = 128 MiB, all of them results, into a 32 MiB store.
    const block = delayed(function block(i: number) {
      const a = new Float64Array(new SharedArrayBuffer(8 * 1024 * 1024));
      for (let j = 0; j < a.length; j++) a[j] = i + j / a.length;
      return a;
    });
    const blocks = Array.from({ length: 16 }, (_, i) => block(i));
    const results = (await compute(blocks)) as Float64Array[];
    assert.equal(results.length, 16);
    for (let i = 0; i < 16; i++) {
      const a = results[i]!;
      assert.equal(a.length, MB);
      assert.equal(a[0], i);
      assert.equal(a[a.length - 1], i + (a.length - 1) / a.length);
    }
    assert.ok(ends[0]!.spilledBytes >= 64 * MB, `spilled ${ends[0]!.spilledBytes} bytes`);
    assert.equal(cluster.runtime.store.stats().count, 0);
    // A reduction over the same 128 MiB runs depth-first and needs no spilling.
    const sum = delayed((a: Float64Array) => a.reduce((s, x) => s + x, 0));
    const add = delayed((...xs: number[]) => xs.reduce((s, x) => s + x, 0));
    const total = await add(...blocks.map((b) => sum(b))).compute();
    const expected = Array.from({ length: 16 }, (_, i) => MB * i + (MB - 1) / 2).reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(total - expected) < 1e-3, `${total} vs ${expected}`);
  } finally {
    await cluster.close();
  }
  assert.deepEqual(fs.readdirSync(spillDir), [], "closing the cluster removes its spill files");
  fs.rmSync(spillDir, { recursive: true });
});

test("start makes a cluster current; close ends it and a default one is made on next use", async () => {
  const c = await LocalCluster.start({ workers: 1, memoryLimit: "256MB" });
  assert.equal(currentRuntime(), c.runtime);
  assert.equal(c.workers.length, 1);
  assert.equal(c.memoryLimit, 256e6);
  assert.match(String(c), /LocalCluster\(workers=1, memoryLimit=244 MiB/);
  await c.close();
  assert.equal(c.closed, true);
  assert.notEqual(currentRuntime(), c.runtime);
  assert.equal(await delayed((x: number) => x * 2)(21).compute(), 42);
  await currentRuntime().close();
});

test("a closed cluster refuses work with a clear error", async () => {
  const c = await LocalCluster.start({ workers: 1 });
  await c.close();
  await assert.rejects(delayed((x: number) => x)(1).compute({ cluster: c }), /this cluster is closed \(start a new one/);
});

test("bad cluster options name the option and what is expected", async () => {
  await assert.rejects(LocalCluster.start({ workers: 0 }), /workers must be a positive integer, got 0/);
  await assert.rejects(LocalCluster.start({ workers: 1.5 }), /workers must be a positive integer, got 1\.5/);
  await assert.rejects(LocalCluster.start({ memoryLimit: "a lot" }), /memoryLimit must be a positive number of bytes or a string like "4GB"/);
  await assert.rejects(LocalCluster.start({ wokers: 2 } as never), /LocalCluster option "wokers" must be one of workers, memoryLimit/);
  await assert.rejects(LocalCluster.start({ scheduler: "gpu" as never }), /unknown scheduler "gpu"/);
});

test("the event stream tells a run's story: start, transitions, end", async () => {
  const c = await LocalCluster.start({ workers: 2 });
  try {
    const log: string[] = [];
    c.runtime.events.on("run-start", (e) => log.push(`start ${e.ntasks}`));
    c.runtime.events.on("tasks", (e) => {
      for (const t of e.transitions) log.push(`${t.state} ${t.key.split("-")[0]}`);
    });
    const ended = c.runtime.events.once("run-end");
    const inc = delayed(function inc(x: number) { return x + 1; });
    const mul = delayed(function mul(a: number, b: number) { return a * b; });
    assert.equal(await mul(inc(1), inc(2)).compute(), 6);
    const end = await ended;
    assert.equal(end.status, "done");
    assert.equal(end.ntasks, 3);
    assert.equal(log[0], "start 3");
    for (const k of ["inc", "mul"]) {
      assert.ok(log.includes(`processing ${k}`), k);
      assert.ok(log.includes(`memory ${k}`), k);
    }
    assert.ok(log.includes("released inc"));
    assert.ok(log.indexOf("memory mul") > log.lastIndexOf("processing inc"));
  } finally {
    await c.close();
  }
});
