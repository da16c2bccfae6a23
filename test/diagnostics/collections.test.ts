/**
 * The collection registry behind the Chunks panel: named or computed
 * collections, their chunk layout from layer meta, and where each chunk is.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { Collection, Key, LayeredGraph, LocalCluster, compute, delayed, registerCollection } from "../../kernel";
import { CollectionRegistry, DEFAULT_LIMITS } from "../../kernel/diagnostics";
import { MaterializedLayer, Task, builtin, task } from "../../kernel/graph";
import type { CollectionInfo } from "../../kernel/protocol";
import { TestClient } from "./client";

/** A stand-in for an Array: a 2 x 3 grid of chunks, keys ["grid-…", i, j], layout in the layer's meta. */
class Grid extends Collection<number[]> {
  constructor(private readonly g: LayeredGraph, private readonly name: string) {
    super();
  }
  static make(name: string, base: number): Grid {
    const tasks = new Map<string, Task>();
    // Built column by column: the registry must still list chunks row by row.
    for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) tasks.set(JSON.stringify([name, i, j]), task(builtin("delayed.identity"), [base + 10 * i + j]));
    const layer = new MaterializedLayer(name, "grid", tasks, [], { collection: "array", chunks: [[2, 2], [3, 3, 3]], shape: [4, 9], dtype: "float64" });
    return new Grid(LayeredGraph.of(layer), name);
  }
  graph() {
    return this.g;
  }
  keys(): Key[] {
    const out: Key[] = [];
    for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) out.push([this.name, i, j]);
    return out;
  }
  finalize(results: unknown[]): number[] {
    return results as number[];
  }
  withGraph(graph: LayeredGraph): this {
    return new Grid(graph, this.name) as this;
  }
  reprText(): string {
    return `Grid(${this.name})`;
  }
}

let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(() => cluster.close());

const listed = (c: TestClient, name: string): CollectionInfo | undefined => c.collections.find((x) => x.name === name);

test("a named collection is listed before it runs, then its chunks show where they live", async () => {
  const c = await TestClient.connect(cluster.dashboard!, ["collections"]);
  try {
    const x = Grid.make("grid-0a1b2c3d4e5f", 100);
    registerCollection("x", x);
    await c.until(() => listed(c, "x") !== undefined);
    let info = listed(c, "x")!;
    assert.deepEqual(
      { kind: info.kind, source: info.source, nchunks: info.nchunks, chunks: info.chunks, shape: info.shape, dtype: info.dtype, placement: info.placement },
      { kind: "array", source: "user", nchunks: 6, chunks: [[2, 2], [3, 3, 3]], shape: [4, 9], dtype: "float64", placement: { states: "nnnnnn", workers: [-1, -1, -1, -1, -1, -1] } },
    );
    assert.equal(info.counts.none, 6);

    const kept = await x.persist();
    await c.until(() => listed(c, "x")!.source === "persist" && listed(c, "x")!.counts.memory === 6);
    info = listed(c, "x")!;
    assert.equal(info.placement!.states, "mmmmmm");
    // Each chunk is coloured by the worker the store says holds it, row-major.
    const store = cluster.runtime.store;
    const rowMajor = [0, 1].flatMap((i) => [0, 1, 2].map((j) => JSON.stringify(["grid-0a1b2c3d4e5f", i, j])));
    assert.deepEqual(info.placement!.workers.map((w) => c.collectionWorkers[w]), rowMajor.map((k) => store.where(k)!.worker));
    assert.deepEqual(await kept.compute(), [100, 110, 101, 111, 102, 112]);
    assert.equal(listed(c, "x")!.name, "x", "a later compute keeps the user's name");
  } finally {
    await c.close();
  }
});

test("computed collections are listed on their own, named after their output layer, newest first", async () => {
  const c = await TestClient.connect(cluster.dashboard!, ["collections"]);
  try {
    const double = delayed(function double(v: number) {
      return 2 * v;
    });
    const a = double(21);
    const b = double(22);
    assert.deepEqual(await compute(a, b), [42, 44]);
    await c.until(() => listed(c, a.key) !== undefined && listed(c, b.key)?.placement?.states === "r");
    const names = c.collections.map((x) => x.name);
    assert.ok(names.indexOf(b.key) < names.indexOf("x"), "newest first");
    assert.equal(listed(c, a.key)!.kind, "delayed");
    assert.equal(listed(c, a.key)!.source, "compute");
  } finally {
    await c.close();
  }
});

test("a name given before any dashboard exists is used once one lists the collection", async () => {
  const quiet = await LocalCluster.start({ workers: 1, dashboard: false });
  const d = delayed(function seven() {
    return 7;
  })();
  registerCollection("early", d); // the current cluster has no dashboard
  await quiet.close();
  const late = await LocalCluster.start({ workers: 1 });
  try {
    await d.compute();
    const e = late.dashboard!.model.collections.list()[0]!;
    assert.equal(e.name, "early");
    assert.equal(e.layer, d.key);
  } finally {
    await late.close();
  }
});

test("the list is bounded, newest first", () => {
  const reg = new CollectionRegistry(4, {});
  try {
    const make = (i: number) => delayed(function item(v: number) {
      return v;
    })(i);
    for (let i = 0; i < 10; i++) reg.add(make(i), "compute");
    assert.deepEqual(reg.list().map((e) => e.keys[0]), [9, 8, 7, 6].map((i) => make(i).key));
  } finally {
    reg.dispose();
  }
  assert.equal(DEFAULT_LIMITS.maxCollections, 32);
});

test("registerCollection refuses what is not a name or not a collection, saying what it expects", () => {
  const d = delayed(1);
  assert.throws(() => registerCollection("", d), /registerCollection\(name\) must be a non-empty name of at most 200 characters, e\.g\. the variable's name, got ""/);
  assert.throws(() => registerCollection(42 as never, d), /registerCollection\(name\) must be a non-empty name/);
  assert.throws(() => registerCollection("x", { rows: 3 } as never), /registerCollection\(name, collection\) must be a Tessera collection \(Array, DataFrame, Bag, Delayed\), got "\{\\"rows\\":3\}"/);
});
