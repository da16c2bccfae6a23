import { after, test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { Delayed, LocalCluster, TaskTransition, compute, delayed, delayedModule, persist } from "../../../kernel";

let cluster: LocalCluster;
test.before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(() => cluster.close());

const inc = delayed(function inc(x: number) {
  return x + 1;
});
const add = delayed(function add(a: number, b: number) {
  return a + b;
});

for (const scheduler of ["threads", "sync"] as const) {
  test(`${scheduler}: the seed notes' delayed example: lazy until compute`, async () => {
    const total = add(inc(1), inc(2));
    assert.ok(total instanceof Delayed);
    assert.match(total.key, /^add-[0-9a-f]{20}$/);
    assert.equal(await total.compute({ scheduler }), 5);
  });

  test(`${scheduler}: compute of many shares one graph and runs common work once`, async () => {
    const seen: TaskTransition[] = [];
    const off = cluster.runtime.events.on("tasks", (e) => seen.push(...e.transitions));
    const shared = inc(100);
    const [a, b, c] = await compute(add(shared, 1), add(shared, 2), inc(shared), { scheduler });
    off();
    assert.deepEqual([a, b, c], [102, 103, 102]);
    assert.equal(seen.filter((t) => t.key === shared.key && t.state === "memory").length, 1);
    assert.deepEqual(await compute([inc(1), inc(2)], { scheduler }), [2, 3]);
  });

  test(`${scheduler}: property and index access, and delayed values inside containers`, async () => {
    const make = delayed((n: number) => ({ name: `item-${n}`, parts: [n, n * 2] }));
    const rec = make(4);
    assert.equal(await rec.get("name").compute({ scheduler }), "item-4");
    assert.equal(await rec.get("parts").get(1).compute({ scheduler }), 8);
    const gather = delayed((o: { xs: number[]; y: { z: number } }) => o.xs.reduce((s, x) => s + x, 0) + o.y.z);
    assert.equal(await gather({ xs: [inc(1), 10, inc(2)], y: { z: inc(0) } }).compute({ scheduler }), 2 + 10 + 3 + 1);
    assert.deepEqual(await delayed([inc(1), "x"]).compute({ scheduler }), [2, "x"]);
  });
}

test("the same call built twice has the same key; different calls differ", () => {
  assert.equal(inc(1).key, inc(1).key);
  assert.notEqual(inc(1).key, inc(2).key);
  assert.notEqual(add(1, 2).key, add(2, 1).key);
  const k = 3;
  const times1 = delayed((x: number) => x * k);
  const times2 = delayed((x: number) => x * k);
  assert.notEqual(times1(1).key, times2(1).key, "two closures of the same text do not share keys");
});

test("a closure fails before scheduling with the fix; captures make it work; sync runs the real closure", async () => {
  const factor = 7;
  const scale = delayed(function scale(x: number) {
    return x * factor;
  });
  await assert.rejects(scale(2).compute(), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_CLOSURE");
    assert.match(e.message, /function scale uses "factor"/);
    assert.match(e.message, /captures: \{ factor \}/);
    return true;
  });
  assert.equal(await scale(2).compute({ scheduler: "sync" }), 14);
  const captured = delayed((x: number) => x * factor, { captures: { factor } });
  assert.equal(await captured(2).compute(), 14);
});

test("well-known globals and module functions ship by reference", async () => {
  const parse = delayed(JSON.parse);
  assert.deepEqual(await parse('{"a":[1,2]}').compute(), { a: [1, 2] });
  assert.equal(await delayed(Math.hypot)(3, 4).compute(), 5);
  const fixtures = path.join(__dirname, "..", "..", "fixtures", "tasks.js");
  const fromModule = delayedModule<number>(fixtures, "add");
  assert.equal(await fromModule(inc(1), 40).compute(), 42);
});

test("persist keeps results in the cluster; later computations start from them", async () => {
  const heavy = delayed(function heavy(n: number) {
    return Array.from({ length: n }, (_, i) => i);
  });
  const base = heavy(1000);
  const [p] = await persist(base);
  assert.ok(cluster.runtime.store.has(p!.key), "the chunk is in the store");
  const seen: TaskTransition[] = [];
  const off = cluster.runtime.events.on("tasks", (e) => seen.push(...e.transitions));
  const total = delayed((xs: number[]) => xs.reduce((s, x) => s + x, 0))(p!);
  assert.equal(await total.compute(), 499500);
  off();
  assert.ok(!seen.some((t) => t.key === p!.key && t.state === "processing"), "the persisted task did not run again");
  assert.ok(cluster.runtime.store.has(p!.key), "computing from it does not release it");
  const again = await p!.persist();
  assert.equal(await again.compute(), (await base.compute()));
});

test("visualize returns the layer graph and, on request, the tasks", () => {
  const d = add(inc(1), inc(2));
  const v = d.visualize();
  assert.equal(v.layers.length, 3);
  const top = v.layers.find((l) => l.name === d.key)!;
  assert.equal(top.op, "add");
  assert.equal(top.dependencies.length, 2);
  assert.equal(top.collection, "delayed");
  const withTasks = d.visualize({ tasks: true });
  assert.equal(withTasks.tasks!.length, 3);
  assert.deepEqual(withTasks.tasks!.find((t) => t.key === d.key)!.dependencies.sort(), [inc(1).key, inc(2).key].sort());
});

test("a Delayed displays as text and as an HTML table", () => {
  const d = add(inc(1), inc(2));
  const bundle = (d as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("tessera.mimebundle")]!();
  assert.equal(bundle["text/plain"], `Delayed('${d.key}'): 3 layers, 3 tasks`);
  assert.match(bundle["text/html"]!, /<table class="tessera-repr">.*<td>3<\/td>/);
  assert.equal(require("node:util").inspect(d), bundle["text/plain"]);
});

test("bad arguments to compute get clear errors", async () => {
  await assert.rejects(compute(inc(1), { scheduler: "procs" }), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_UNKNOWN_SCHEDULER");
    assert.match(e.message, /unknown scheduler "procs": use one of "threads", "sync"/);
    return true;
  });
  await assert.rejects(compute(inc(1), { shceduler: "sync" } as never), /compute option "shceduler" must be one of scheduler, cluster, signal, optimize/);
  await assert.rejects(compute(inc(1), 42 as never), /compute\(\) argument 2 must be a Tessera collection/);
});
