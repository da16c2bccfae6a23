import { test } from "node:test";
import assert from "node:assert/strict";
import { db } from "../../../kernel";
import { SCHEDULERS, partitionCounts, people, useCluster } from "./helpers";

useCluster();

for (const scheduler of SCHEDULERS) {
  for (const npartitions of partitionCounts(40)) {
    test(`${scheduler}: toDataFrame keeps every record, one DataFrame partition per bag partition (${npartitions} partitions)`, async () => {
      const items = people(40);
      const bag = db.fromSequence(items, { npartitions }).map((r) => ({ name: r.name, occupation: r.occupation, age: r.age }));
      const ddf = await bag.toDataFrame({ name: "string", occupation: "string", age: "float64" });
      assert.equal(ddf.npartitions, bag.npartitions);
      const table = await ddf.compute({ scheduler });
      assert.deepEqual(table.toRecords(), items.map((r) => ({ name: r.name, occupation: r.occupation, age: r.age })));
      // a DataFrame operation on the result, against a plain loop over the same records
      const byJob = await ddf.groupBy("occupation").agg({ age: "sum" }).compute({ scheduler });
      const expected = new Map<string, number>();
      for (const r of items) expected.set(r.occupation, (expected.get(r.occupation) ?? 0) + r.age);
      assert.deepEqual(new Map(byJob.toRecords().map((r) => [r.occupation as string, r.age as number])), expected);
    });
  }
}

test("toDataFrame without meta infers the columns from the first records", async () => {
  const items = people(12);
  const ddf = await db.fromSequence(items, { npartitions: 3 }).map((r) => ({ id: r.id, name: r.name, age: r.age, old: r.age > 50 })).toDataFrame();
  assert.deepEqual(Object.keys(ddf.dtypes), ["id", "name", "age", "old"]);
  assert.equal(ddf.dtypes.name, "string");
  const rows = (await ddf.compute()).toRecords();
  assert.deepEqual(rows.map((r) => r.old), items.map((r) => r.age > 50));
});

test("toDataFrame: items that are not records fail with the fix", async () => {
  await assert.rejects(db.range(5).toDataFrame(), /toDataFrame: the bag's first items are not records.*bag\.map\(\(x\) => \(\{ value: x \}\)\)/);
  await assert.rejects(db.fromSequence([{ a: 1 }, 2]).toDataFrame(), /some items are not records/);
});
