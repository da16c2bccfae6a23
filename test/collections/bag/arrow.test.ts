import { test } from "node:test";
import assert from "node:assert/strict";
import { db } from "../../../kernel";
import { SCHEDULERS, people, useCluster } from "./helpers";

useCluster();

for (const scheduler of SCHEDULERS) {
  test(`${scheduler}: toArrow makes one table of every partition's records`, async () => {
    const items = people(30);
    const bag = db.fromSequence(items, { npartitions: 4 });
    const t = await bag.toArrow(undefined, { scheduler });
    assert.equal(t.numRows, 30);
    assert.deepEqual(t.schema.fields.map((f) => `${f.name}:${f.type}`), ["id:Float64", "name:Utf8", "occupation:Utf8", "age:Float64", "city:Utf8", "tags:Utf8"]);
    assert.deepEqual(t.getChild("age")!.toArray().slice(0, 30), Float64Array.from(items.map((r) => r.age)));
    assert.equal(t.getChild("tags")!.get(1), JSON.stringify(items[1]!.tags), "arrays become their JSON text");
    const typed = await bag.map((r) => ({ id: r.id, name: r.name, big: r.age > 50, when: new Date(r.id) })).toArrow({ id: "int64", name: "utf8", big: "bool", when: "date" }, { scheduler });
    assert.deepEqual(typed.schema.fields.map((f) => `${f.type}`), ["Int64", "Utf8", "Bool", "Date64<MILLISECOND>"]);
    assert.equal(typed.getChild("id")!.get(29), 29n);
  });
}

test("toArrow: partitions that disagree, and bad meta, fail with the fix", async () => {
  const mixed = db.fromSequence([{ a: 1 }, { a: "x" }], { npartitions: 2 });
  await assert.rejects(mixed.toArrow(), /partition 1 has columns \(a: Utf8\), another has \(a: Float64\); pass meta/);
  assert.equal((await mixed.toArrow({ a: "utf8" })).getChild("a")!.get(0), "1");
  await assert.rejects(db.fromSequence([{ a: "x" }]).toArrow({ a: "float64" }), /column "a" of item 0 in partition 0 is "x", not a float64/);
  await assert.rejects(db.fromSequence([1, 2]).toArrow(), /items must be records/);
  await assert.rejects(async () => db.range(2).toArrow({ a: "double" } as never), /toArrow\(meta\) must be an object of column types/);
});
