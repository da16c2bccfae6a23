import { test } from "node:test";
import assert from "node:assert/strict";
import { Bag, Delayed, compute, db, delayed, withCaptures } from "../../../kernel";
import { SCHEDULERS, partitionCounts, people, useCluster } from "./helpers";

useCluster();

function sqr(x: number): number {
  return x ** 2;
}
function even(x: number): boolean {
  return x % 2 === 0;
}

test("the seed notes' bag: a mixed list, take(n), map and filter with named functions", async () => {
  const mixed = db.fromSequence([[1, 2], {}, [3, 4, 5], "python"]);
  assert.ok(mixed instanceof Bag);
  assert.equal(mixed.npartitions, 4);
  assert.deepEqual(await mixed.take(2), [[1, 2], {}]);
  assert.deepEqual(await mixed.compute(), [[1, 2], {}, [3, 4, 5], "python"]);
  const nums = db.fromSequence([1, 2, 3, 4]);
  assert.deepEqual(await nums.map(sqr).compute(), [1, 4, 9, 16]);
  assert.deepEqual(await nums.filter(even).compute(), [2, 4]);
  assert.deepEqual(await nums.map(sqr).filter(even).compute({ scheduler: "sync" }), [4, 16]);
});

for (const scheduler of SCHEDULERS) {
  const items = people(23);
  for (const np of partitionCounts(items.length)) {
    const b = db.fromSequence(items, { npartitions: np });
    const label = `${scheduler}, ${np} partitions`;

    test(`${label}: item-wise verbs match plain JS`, async () => {
      assert.equal(b.npartitions, np);
      assert.deepEqual(await b.compute({ scheduler }), items);
      assert.deepEqual(await b.map((r) => r.age * 2).compute({ scheduler }), items.map((r) => r.age * 2));
      assert.deepEqual(await b.filter((r) => r.age > 30).compute({ scheduler }), items.filter((r) => r.age > 30));
      assert.deepEqual(await b.remove((r) => r.age > 30).compute({ scheduler }), items.filter((r) => !(r.age > 30)));
      assert.deepEqual(await b.pluck("occupation").compute({ scheduler }), items.map((r) => r.occupation));
      assert.deepEqual(await b.pluck(["name", "age"]).compute({ scheduler }), items.map((r) => [r.name, r.age]));
      assert.deepEqual(await b.pluck("missing", null).compute({ scheduler }), items.map(() => null));
      assert.deepEqual(await b.pluck("tags").flatten().compute({ scheduler }), items.flatMap((r) => r.tags));
      assert.deepEqual(
        await b.map((r) => [r.age, r.id]).starmap((a: number, id: number) => a + id).compute({ scheduler }),
        items.map((r) => r.age + r.id),
      );
      const sizes = await b.mapPartitions((part) => [part.length]).compute({ scheduler });
      assert.equal(sizes.length, np);
      assert.equal(sizes.reduce((a, x) => a + x, 0), items.length);
    });

    test(`${label}: map with extra arguments: constants, Delayed values, zipped bags`, async () => {
      const k = delayed((x: number) => x * 10)(3);
      const ids = b.pluck("id");
      assert.deepEqual(await ids.map((x: number, a: number, c: number) => x + a + c, 1, k).compute({ scheduler }), items.map((r) => r.id + 1 + 30));
      const ages = b.pluck("age");
      assert.deepEqual(await ids.map((x: number, y: number) => [x, y], ages).compute({ scheduler }), items.map((r) => [r.id, r.age]));
      const factor = 7;
      assert.deepEqual(await ids.map(withCaptures((x: number) => x * factor, { factor })).compute({ scheduler }), items.map((r) => r.id * 7));
    });

    test(`${label}: take computes the first items, across partitions when it must`, async () => {
      assert.deepEqual(await b.take(5, { scheduler }), items.slice(0, 5));
      assert.deepEqual(await b.take(0, { scheduler }), []);
      assert.deepEqual(await b.take(100, { scheduler }), items);
      assert.deepEqual(await b.filter((r) => r.age > 50).take(3, { scheduler }), items.filter((r) => r.age > 50).slice(0, 3));
      assert.deepEqual(await b.take(50, { npartitions: -1, scheduler }), items);
    });
  }

  test(`${scheduler}: range, concat, repartition (fewer and more partitions), fromDelayed and toDelayed`, async () => {
    const r = db.range(17, { npartitions: 4 });
    const ref = Array.from({ length: 17 }, (_, i) => i);
    assert.deepEqual(await r.compute({ scheduler }), ref);
    assert.deepEqual(await db.range(0).compute({ scheduler }), []);
    for (const n of [1, 2, 4, 9, 30]) {
      const re = r.repartition(n);
      assert.equal(re.npartitions, n);
      assert.deepEqual(await re.compute({ scheduler }), ref);
    }
    assert.deepEqual(await db.concat([r, db.range(3)]).compute({ scheduler }), [...ref, 0, 1, 2]);
    const parts = r.toDelayed();
    assert.equal(parts.length, 4);
    assert.ok(parts[0] instanceof Delayed);
    const values = await compute(parts, { scheduler });
    assert.deepEqual(values.flat(), ref);
    const total = delayed((xs: number[]) => xs.reduce((a, x) => a + x, 0))(parts[1]!);
    assert.equal(await total.compute({ scheduler }), values[1]!.reduce((a: number, x: number) => a + x, 0));
    const load = delayed((i: number) => [i, i * 10]);
    assert.deepEqual(await db.fromDelayed([load(1), load(2)]).map((x: number) => x + 1).compute({ scheduler }), [2, 11, 3, 21]);
    assert.deepEqual(await db.fromDelayed(parts).compute({ scheduler }), ref);
    // A function fused with a partition's item-wise steps sees a real array, directly or inside an object.
    const mapped = r.map((x: number) => x + 1).toDelayed();
    const direct = delayed((p: number[]) => Array.isArray(p) && p.join(","))(mapped[0]!);
    const inObject = delayed((o: { p: number[] }) => Array.isArray(o.p) && o.p.length)({ p: mapped[1]! });
    assert.deepEqual(await compute([direct, inObject], { scheduler }), [values[0]!.map((x: number) => x + 1).join(","), values[1]!.length]);
  });
}

test("fromSequence partitions: defaults, npartitions, partitionSize", () => {
  assert.equal(db.fromSequence([1, 2, 3]).npartitions, 3);
  assert.equal(db.fromSequence(Array.from({ length: 1000 }, (_, i) => i)).npartitions, 100);
  assert.equal(db.fromSequence([1, 2, 3, 4, 5], { partitionSize: 2 }).npartitions, 3);
  assert.equal(db.fromSequence(new Set([1, 2]), { npartitions: 5 }).npartitions, 5);
  assert.equal(db.fromSequence([]).npartitions, 1);
});

test("the same expression built twice has the same keys; different ones differ", () => {
  const a = db.range(10, { npartitions: 2 }).map(sqr).filter(even);
  const b = db.range(10, { npartitions: 2 }).map(sqr).filter(even);
  assert.deepEqual(a.keys(), b.keys());
  assert.notDeepEqual(a.keys(), db.range(10, { npartitions: 2 }).map(sqr).filter((x: number) => x > 3).keys());
});

test("display: npartitions and layer count, like Dask's repr", () => {
  const b = db.range(10, { npartitions: 2 }).map(sqr).filter(even);
  assert.equal(b.reprText(), "Bag<filter, npartitions=2, layers=3>");
  assert.match(b.reprHtml(), /npartitions<\/th><td>2</);
  const layers = b.visualize().layers;
  assert.equal(layers.length, 3);
  assert.ok(layers.every((l) => l.collection === "bag"));
});

test("persist keeps the partitions; later computations start from them", async () => {
  const base = db.range(1000, { npartitions: 4 }).map((x: number) => ({ x, y: x % 7 }));
  const kept = await base.persist();
  assert.deepEqual(await kept.pluck("y").sum().compute(), Array.from({ length: 1000 }, (_, i) => i % 7).reduce((a, b) => a + b, 0));
  assert.deepEqual(await kept.take(2), [{ x: 0, y: 0 }, { x: 1, y: 1 }]);
});

test("partitions larger than the memory limit spill to disk as msgpack and come back", async () => {
  const { LocalCluster } = await import("../../../kernel");
  const small = await LocalCluster.start({ workers: 2, memoryLimit: "4MB" });
  try {
    const n = 200_000; // about 7 MB as msgpack: above the 2.4 MB at which spilling starts
    const big = db.range(n, { npartitions: 8 }).map((i: number) => ({ i, name: `person-${i}`, tags: ["a", "b"] }));
    const kept = await big.persist();
    await small.runtime.store.settled();
    assert.ok(small.runtime.store.stats().spilled > 0, "some partitions went to disk");
    assert.equal(await kept.pluck("i").sum().compute(), (n * (n - 1)) / 2);
    assert.deepEqual(await kept.take(2), [{ i: 0, name: "person-0", tags: ["a", "b"] }, { i: 1, name: "person-1", tags: ["a", "b"] }]);
  } finally {
    await small.close();
  }
});
