import { test } from "node:test";
import assert from "node:assert/strict";
import { LocalCluster, db, delayed } from "../../../kernel";
import { SCHEDULERS, partitionCounts, people, useCluster } from "./helpers";

useCluster();

function byKey<V>(pairs: [unknown, V][]): Map<unknown, V> {
  return new Map(pairs);
}

for (const scheduler of SCHEDULERS) {
  const items = people(37);
  for (const np of partitionCounts(items.length)) {
    const b = db.fromSequence(items, { npartitions: np });
    const label = `${scheduler}, ${np} partitions`;

    test(`${label}: foldBy matches a per-key fold`, async () => {
      const ref = new Map<string, number>();
      for (const r of items) ref.set(r.city, (ref.get(r.city) ?? 0) + r.age);
      const got = await b.foldBy("city", (acc: number, r: { age: number }) => acc + r.age, 0, (x: number, y: number) => x + y, 0).compute({ scheduler });
      assert.deepEqual(byKey(got), ref);
      // No initial: each key starts from its first item; combine defaults to binop.
      const oldest = await b.pluck("age").foldBy((a: number) => a % 3, (x: number, y: number) => Math.max(x, y)).compute({ scheduler });
      const ref2 = new Map<number, number>();
      for (const r of items) ref2.set(r.age % 3, Math.max(ref2.get(r.age % 3) ?? -Infinity, r.age));
      assert.deepEqual(byKey(oldest), ref2);
      // A mutable initial is copied per key.
      const lists = await b.foldBy("city", (acc: number[], r: { id: number }) => (acc.push(r.id), acc), [] as number[], (x: number[], y: number[]) => x.concat(y), []).compute({ scheduler });
      for (const [city, ids] of lists) assert.deepEqual([...ids].sort((x, y) => x - y), items.filter((r) => r.city === city).map((r) => r.id));
    });

    test(`${label}: groupBy shuffles every item to its key's group`, async () => {
      for (const nout of [undefined, 1, 5]) {
        const g = b.groupBy("occupation", nout === undefined ? {} : { npartitions: nout });
        assert.equal(g.npartitions, nout ?? np);
        const got = await g.compute({ scheduler });
        const ref = new Map<string, number[]>();
        for (const r of items) ref.set(r.occupation, [...(ref.get(r.occupation) ?? []), r.id]);
        assert.equal(got.length, ref.size);
        for (const [k, rs] of got) assert.deepEqual(rs.map((r) => r.id).sort((x, y) => x - y), ref.get(k as string));
      }
      const byParity = await db.range(20, { npartitions: 3 }).groupBy((x: number) => x % 2).compute({ scheduler });
      assert.deepEqual(byKey(byParity.map(([k, xs]) => [k, [...xs].sort((x, y) => x - y)])), new Map([[0, [0, 2, 4, 6, 8, 10, 12, 14, 16, 18]], [1, [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]]]));
    });

    test(`${label}: join against an array, a bag of one partition, a Delayed`, async () => {
      const cities = [{ name: "Kalo", country: "K" }, { name: "Mira", country: "M" }, { name: "Mira", country: "M2" }];
      const ref = items.flatMap((r) => cities.filter((c) => c.name === r.city).map((c) => [c, r]));
      assert.deepEqual(await b.join(cities, "city", "name").compute({ scheduler }), ref);
      assert.deepEqual(await b.join(db.fromSequence(cities, { npartitions: 1 }), (r: { city: string }) => r.city, (c: { name: string }) => c.name).compute({ scheduler }), ref);
      assert.deepEqual(await b.join(delayed(cities), "city", "name").compute({ scheduler }), ref);
    });

    test(`${label}: random.sample and random.choices`, async () => {
      const ids = b.pluck("id");
      const s = await db.random.sample(ids, 10, { seed: 3 }).compute({ scheduler });
      assert.equal(s.length, 10);
      assert.equal(new Set(s).size, 10, "without replacement: no repeats");
      assert.ok(s.every((x) => x >= 0 && x < items.length));
      assert.deepEqual(await db.random.sample(ids, 10, { seed: 3 }).compute({ scheduler }), s, "a seed makes it reproducible");
      assert.deepEqual((await db.random.sample(ids, 100).compute({ scheduler })).sort((x, y) => x - y), items.map((r) => r.id), "k >= n: everything once");
      const c = await db.random.choices(ids, 50, { seed: 1 }).compute({ scheduler });
      assert.equal(c.length, 50);
      assert.ok(c.every((x) => x >= 0 && x < items.length));
    });
  }
}

test("random.sample is uniform: each of 12 items in 3 uneven partitions drawn about equally often", async () => {
  const b = db.concat([db.range(2), db.range(10).map((x: number) => x + 2)]).repartition(3);
  const hits = new Array<number>(12).fill(0);
  const runs = 300;
  for (let s = 0; s < runs; s++) for (const x of await db.random.sample(b, 3, { seed: s }).compute({ scheduler: "sync" })) hits[x]!++;
  const expected = (runs * 3) / 12;
  for (const h of hits) assert.ok(Math.abs(h - expected) < expected * 0.35, `hits ${hits.join(",")} around ${expected}`);
});

test("take computes only the partitions it needs, and stops reading a partition once it has n items", async () => {
  const seen: number[] = [];
  const b = db.range(100, { npartitions: 10 }).map((x: number) => (seen.push(x), x * 2));
  assert.deepEqual(await b.take(3, { scheduler: "sync" }), [0, 2, 4]);
  assert.deepEqual(seen, [0, 1, 2], "the sync scheduler runs the real closure: only 3 items of partition 0 were mapped");
  seen.length = 0;
  assert.deepEqual(await b.take(25, { scheduler: "sync" }), Array.from({ length: 25 }, (_, i) => i * 2));
  assert.ok(Math.max(...seen) < 40, "partitions 0, then 1-2, then 3 (of 10 items each) were enough");
  const cluster = await LocalCluster.start({ workers: 2 });
  try {
    const runs: number[] = [];
    const off = cluster.runtime.events.on("run-start", (e) => void runs.push(e.ntasks));
    assert.deepEqual(await db.range(100, { npartitions: 10 }).map((x: number) => x * 2).take(3), [0, 2, 4]);
    off();
    assert.deepEqual(runs, [1], "one task: partition 0's range, map and head fused");
  } finally {
    await cluster.close();
  }
});
