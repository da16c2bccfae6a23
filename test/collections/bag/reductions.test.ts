import { test } from "node:test";
import assert from "node:assert/strict";
import { Bag, Delayed, db } from "../../../kernel";
import { SCHEDULERS, partitionCounts, people, useCluster } from "./helpers";

useCluster();

/** Counts in first-seen order, as plain JS would. */
function counts<T>(xs: T[]): [T, number][] {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m];
}

function variance(xs: number[], ddof: number): number {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - ddof);
}

for (const scheduler of SCHEDULERS) {
  const items = people(41);
  const ages = items.map((r) => r.age);
  for (const np of partitionCounts(items.length)) {
    const b = db.fromSequence(items, { npartitions: np });
    const age = b.pluck("age");
    const label = `${scheduler}, ${np} partitions`;

    test(`${label}: count, sum, min, max, mean, var, std`, async () => {
      const c = age.count();
      assert.ok(c instanceof Delayed);
      assert.equal(await c.compute({ scheduler }), items.length);
      assert.equal(await age.sum().compute({ scheduler }), ages.reduce((a, x) => a + x, 0));
      assert.equal(await age.min().compute({ scheduler }), Math.min(...ages));
      assert.equal(await age.max().compute({ scheduler }), Math.max(...ages));
      assert.ok(Math.abs((await age.mean().compute({ scheduler })) - ages.reduce((a, x) => a + x, 0) / ages.length) < 1e-9);
      assert.ok(Math.abs((await age.var().compute({ scheduler })) - variance(ages, 0)) < 1e-9);
      assert.ok(Math.abs((await age.std(1).compute({ scheduler })) - Math.sqrt(variance(ages, 1))) < 1e-9);
      assert.equal(await b.pluck("name").max().compute({ scheduler }), items.map((r) => r.name).sort().at(-1));
    });

    test(`${label}: fold and reduction, with and without initial`, async () => {
      assert.equal(await age.fold((a: number, x: number) => a + x).compute({ scheduler }), ages.reduce((a, x) => a + x, 0));
      assert.equal(
        await b.fold((n: number, r: { tags: string[] }) => n + r.tags.length, (x: number, y: number) => x + y, 0).compute({ scheduler }),
        items.reduce((n, r) => n + r.tags.length, 0),
      );
      const r = age.reduction((part: number[]) => part.length, (partials: number[]) => partials.reduce((a, x) => a + x, 0));
      assert.equal(await r.compute({ scheduler }), items.length);
      // A deep tree: two partials per combine.
      assert.equal(await age.sum({ splitEvery: 2 }).compute({ scheduler }), ages.reduce((a, x) => a + x, 0));
    });

    test(`${label}: frequencies, distinct, topk`, async () => {
      const occ = items.map((r) => r.occupation);
      const freqs = b.pluck("occupation").frequencies();
      assert.ok(freqs instanceof Bag);
      assert.equal(freqs.npartitions, 1);
      assert.deepEqual(new Map(await freqs.compute({ scheduler })), new Map(counts(occ)));
      const sorted = await b.pluck("occupation").frequencies({ sort: true }).compute({ scheduler });
      assert.deepEqual(sorted, counts(occ).sort((x, y) => y[1] - x[1]));
      // The W4 query, on small data.
      const top = await b.filter((r) => r.age > 30).pluck("occupation").frequencies().topk(3, ([, n]: [string, number]) => n).compute({ scheduler });
      const expected = counts(items.filter((r) => r.age > 30).map((r) => r.occupation)).sort((x, y) => y[1] - x[1]).slice(0, 3);
      assert.deepEqual(top.map(([, n]) => n), expected.map(([, n]) => n));
      assert.deepEqual(await b.pluck("city").distinct().compute({ scheduler }), [...new Set(items.map((r) => r.city))]);
      assert.deepEqual(
        (await b.distinct("city").compute({ scheduler })).map((r) => r.id),
        [...new Map(items.map((r) => [r.city, r.id] as const).reverse()).values()].sort((x, y) => x - y),
      );
      assert.deepEqual(await age.topk(4).compute({ scheduler }), [...ages].sort((x, y) => y - x).slice(0, 4));
      assert.deepEqual(await b.topk(2, "age").compute({ scheduler }), [...items].sort((x, y) => y.age - x.age).slice(0, 2));
      assert.deepEqual(await b.pluck(["name", "age"]).topk(2, 1).compute({ scheduler }), [...items].sort((x, y) => y.age - x.age).slice(0, 2).map((r) => [r.name, r.age]));
      assert.deepEqual(await db.fromSequence([[1, 2], [1, 2], "1,2", [2]]).frequencies().compute({ scheduler }), [[[1, 2], 2], ["1,2", 1], [[2], 1]]);
    });
  }
}

test("empty bags: sums are 0, means NaN, min/max and fold without initial fail with the fix", async () => {
  const empty = db.range(0);
  assert.equal(await empty.count().compute(), 0);
  assert.equal(await empty.sum().compute(), 0);
  assert.ok(Number.isNaN(await empty.mean().compute()));
  await assert.rejects(empty.max().compute(), /max of an empty bag/);
  await assert.rejects(empty.fold((a: number, b: number) => a + b).compute(), /fold of an empty bag with no initial value \(pass initial/);
  assert.equal(await empty.fold((a: number, b: number) => a + b, undefined, 0).compute(), 0);
  assert.deepEqual(await empty.frequencies().compute(), []);
});
