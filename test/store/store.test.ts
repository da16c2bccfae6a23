import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EventBus, TaskTransition } from "../../kernel/events";
import { LocalStore } from "../../kernel/store/store";
import { formatBytes, parseBytes } from "../../kernel/store/bytes";

const MB = 1 << 20;
const block = (mb: number, v: number) => new Float64Array(new SharedArrayBuffer(mb * MB)).fill(v);

function spillRoot(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-storetest-"));
  process.on("exit", () => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

test("bytes are accounted per key and released exactly", async () => {
  const store = new LocalStore({ memoryLimit: 100 * MB });
  store.put("a", block(1, 1));
  store.put("b", block(2, 2));
  assert.equal(store.stats().count, 2);
  assert.ok(store.stats().managed >= 3 * MB && store.stats().managed < 3 * MB + 1024);
  store.release("a");
  assert.equal(store.has("a"), false);
  assert.ok(store.stats().managed >= 2 * MB && store.stats().managed < 2 * MB + 1024);
  await assert.rejects(store.get("a"), /chunk a is not in the store/);
  await store.close();
  assert.equal(store.stats().managed, 0);
});

test("above the target, least-recently-used chunks go to disk and come back on demand", async () => {
  const root = spillRoot();
  const events = new EventBus();
  const seen: TaskTransition[] = [];
  events.on("tasks", (e) => seen.push(...e.transitions));
  const store = new LocalStore({ memoryLimit: 10 * MB, spillDir: root, events });
  for (let i = 0; i < 8; i++) store.put(`k${i}`, block(2, i)); // 16 MB into a 10 MB store
  await store.settled();
  const s = store.stats();
  assert.ok(s.managed <= 0.6 * 10 * MB, `managed ${formatBytes(s.managed)} should be under the target`);
  assert.ok(s.spilled >= 10 * MB, `spilled ${formatBytes(s.spilled)}`);
  assert.equal(store.where("k0")?.state, "spilled", "the oldest chunk went first");
  assert.equal(store.where("k7")?.state, "memory", "the newest stayed");
  const back = (await store.get("k0")) as Float64Array;
  assert.equal(back[12345], 0);
  assert.equal(back.length, (2 * MB) / 8);
  assert.ok(back.buffer instanceof SharedArrayBuffer);
  assert.equal(store.where("k0")?.state, "memory");
  assert.ok(seen.some((t) => t.key === "k0" && t.state === "spilled"));
  assert.ok(seen.some((t) => t.key === "k0" && t.state === "memory"));
  for (let i = 0; i < 8; i++) assert.equal(((await store.get(`k${i}`)) as Float64Array)[7], i);
  const dirs = fs.readdirSync(root);
  assert.equal(dirs.length, 1);
  await store.close();
  assert.deepEqual(fs.readdirSync(root), [], "close removes the spill folder");
});

test("pause is reported above the pause threshold; pinned chunks survive release", async () => {
  const store = new LocalStore({ memoryLimit: 10 * MB, target: 0.4, spill: 0.45, pause: 0.5, spillDir: spillRoot() });
  store.put("a", block(3, 1));
  assert.equal(store.paused(), false);
  store.put("b", block(3, 1));
  assert.equal(store.paused(), true);
  const relief = store.relief();
  assert.ok(relief !== undefined, "a spill is under way");
  await relief;
  await store.settled();
  assert.equal(store.paused(), false, "spilling brought memory under the pause threshold");
  assert.equal(store.relief(), undefined, "nothing left to wait for");
  store.pin("a");
  store.release("a");
  assert.equal(store.has("a"), true);
  store.unpin("a");
  assert.equal(store.has("a"), false);
  await store.close();
});

test("bad options name the option and the expected value", () => {
  assert.throws(() => new LocalStore({ memoryLimit: "lots" }), /memoryLimit must be a positive number of bytes or a string like "4GB"/);
  assert.throws(() => new LocalStore({ target: 1.5 }), /store\.target must be a fraction in \(0, 1\]/);
  assert.throws(() => new LocalStore({ target: 0.9, pause: 0.5 }), /ordered target <= spill <= pause/);
});

test("parseBytes and formatBytes", () => {
  assert.equal(parseBytes("4GB"), 4e9);
  assert.equal(parseBytes("512 MiB"), 512 * MB);
  assert.equal(parseBytes("1.5gib"), 1.5 * 2 ** 30);
  assert.equal(parseBytes(1234.7), 1234);
  assert.throws(() => parseBytes(-1, "memoryLimit"), /memoryLimit must be/);
  assert.throws(() => parseBytes("4 parsecs", "memoryLimit"), /"4 parsecs"/);
  assert.equal(formatBytes(1536), "1.50 KiB");
  assert.equal(formatBytes(512), "512 B");
});

test("bytes per producing worker add up to managed and spilled, through spill, read-back and release", async () => {
  const store = new LocalStore({ memoryLimit: 10 * MB, spillDir: spillRoot() });
  const check = () => {
    const by = store.bytesByWorker();
    const expect = new Map<string, { managed: number; spilled: number }>();
    for (const k of store.keys()) {
      const loc = store.where(k)!;
      const b = expect.get(loc.worker ?? "") ?? { managed: 0, spilled: 0 };
      if (loc.state === "memory") b.managed += loc.nbytes;
      else b.spilled += loc.nbytes;
      expect.set(loc.worker ?? "", b);
    }
    assert.deepEqual(by, expect);
    const s = store.stats();
    assert.equal([...by.values()].reduce((t, b) => t + b.managed, 0), s.managed);
    assert.equal([...by.values()].reduce((t, b) => t + b.spilled, 0), s.spilled);
  };
  for (let i = 0; i < 8; i++) store.put(`k${i}`, block(2, i), i % 3 === 0 ? {} : { worker: `w${i % 2}` });
  await store.settled();
  assert.ok(store.stats().spilled > 0);
  check();
  await store.get("k0");
  await store.settled();
  check();
  store.release("k1");
  store.release("k0");
  check();
  await store.close();
  assert.deepEqual(store.bytesByWorker(), new Map());
});
