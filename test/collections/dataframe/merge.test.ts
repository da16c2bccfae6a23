import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { compute, dd, LocalCluster, TableResult } from "../../../kernel";
import { rng } from "./fixtures";

let cluster: LocalCluster;
before(async () => {
  cluster = await LocalCluster.start({ workers: 2 });
});
after(() => cluster.close());

const r = rng(9);
const left = Array.from({ length: 600 }, (_, i) => ({ k: Math.floor(r() * 120), v: i }));
const right = Array.from({ length: 150 }, (_, i) => ({ k: i < 100 ? i : 200 + i, w: `w${i}`, v: i * 10 }));

/** A reference join in plain JS, as pandas' merge. */
function refJoin(how: "inner" | "left" | "right" | "outer"): string[] {
  const out: string[] = [];
  const byK = new Map<number, typeof right>();
  for (const x of right) byK.set(x.k, [...(byK.get(x.k) ?? []), x]);
  const matched = new Set<number>();
  for (const l of left) {
    const rs = byK.get(l.k);
    if (rs) for (const x of rs) {
      out.push(JSON.stringify([l.k, l.v, x.w, x.v]));
      matched.add(x.k);
    }
    else if (how === "left" || how === "outer") out.push(JSON.stringify([l.k, l.v, null, null]));
  }
  if (how === "right" || how === "outer") for (const x of right) if (!matched.has(x.k)) out.push(JSON.stringify([x.k, null, x.w, x.v]));
  return out.sort();
}

function rowsOf(t: TableResult): string[] {
  return t.toRecords().map((x) => JSON.stringify([x.k, x.v_x, x.w, x.v_y])).sort();
}

for (const scheduler of ["sync", "threads"] as const) {
  for (const [lp, rp] of [[1, 1], [6, 1], [6, 5], [3, 8]] as const) {
    test(`${scheduler}: merge of ${lp} x ${rp} partitions, every how, matches a plain JS join`, async () => {
      const L = dd.fromRecords(left, { npartitions: lp });
      const R = dd.fromRecords(right, { npartitions: rp });
      const hows = ["inner", "left", "right", "outer"] as const;
      const results = await compute(hows.map((how) => L.merge(R, { on: "k", how })), { scheduler });
      hows.forEach((how, i) => assert.deepEqual(rowsOf(results[i] as TableResult), refJoin(how), how));
    });
  }
}

test("a small side is broadcast (no shuffle); a large one is shuffled; key type mismatch is an error", () => {
  const L = dd.fromRecords(left, { npartitions: 6 });
  const small = L.merge(dd.fromRecords(right, { npartitions: 1 }), { on: "k" });
  assert.ok(![...small.graph().layers.values()].some((l) => l.op === "shuffle"));
  const big = L.merge(dd.fromRecords(right, { npartitions: 5 }), { on: "k", how: "outer" });
  assert.ok([...big.graph().layers.values()].some((l) => l.op === "shuffle"));
  assert.deepEqual(big.columns, ["k", "v_x", "w", "v_y"]);
  const S = dd.fromRecords(right.map((x) => ({ k: String(x.k) })));
  assert.throws(() => L.merge(S, { on: "k" }), /key "k" is float64 on the left and "k" is string on the right; cast one with astype/);
  assert.throws(() => L.merge(S, { on: "nope" }), /merge \(left side\): unknown column "nope"/);
});

for (const scheduler of ["sync", "threads"] as const) {
  test(`${scheduler}: setIndex sorts with divisions from sampled quantiles; loc reads only the partitions it needs`, async () => {
    const recs = Array.from({ length: 3000 }, () => ({ x: Math.round(r() * 1e6) / 100, g: Math.floor(r() * 5) }));
    const ddf = dd.fromRecords(recs, { npartitions: 7 });
    const s = await ddf.setIndex("x", { scheduler });
    assert.equal(s.index, "x");
    const d = s.divisions!;
    assert.equal(d.length, s.npartitions + 1);
    const xs = recs.map((q) => q.x).sort((a, b) => a - b);
    assert.equal(d[0], xs[0]);
    assert.equal(d[d.length - 1], xs[xs.length - 1]);
    const t = await s.compute({ scheduler });
    assert.deepEqual(Array.from(t.col("x") as Float64Array), xs);
    const lo = xs[1000]!, hi = xs[1200]!;
    const sub = s.loc(lo, hi);
    assert.ok(sub.npartitions < s.npartitions, `${sub.npartitions} of ${s.npartitions}`);
    assert.deepEqual(Array.from((await sub.compute({ scheduler })).col("x") as Float64Array), xs.filter((x) => x >= lo && x <= hi));
    const desc = await ddf.sortValues("x", { ascending: false, npartitions: 3, scheduler });
    assert.deepEqual(Array.from((await desc.compute({ scheduler })).col("x") as Float64Array), [...xs].reverse());
    assert.throws(() => ddf.loc(1, 2), /no sorted index with known divisions \(call await ddf.setIndex/);
  });
}

test("setIndex on a string column: divisions are strings, loc takes a string range", async () => {
  const words = Array.from({ length: 2000 }, (_, i) => ({ w: `w${String((i * 7919) % 2000).padStart(4, "0")}`, i }));
  const ddf = dd.fromRecords(words, { npartitions: 5 });
  for (const scheduler of ["sync", "threads"] as const) {
    const s = await ddf.setIndex("w", { scheduler });
    assert.equal(typeof s.divisions![0], "string");
    const sorted = words.map((x) => x.w).sort();
    assert.deepEqual((await s.compute({ scheduler })).col("w"), sorted);
    const sub = s.loc("w0100", "w0199");
    assert.deepEqual((await sub.compute({ scheduler })).col("w"), sorted.filter((x) => x >= "w0100" && x <= "w0199"));
    assert.ok(sub.npartitions <= s.npartitions);
  }
});

test("repartition merges or slices partitions and keeps every row", async () => {
  const ddf = dd.fromRecords(left, { npartitions: 6 });
  for (const n of [1, 4, 6, 13]) {
    const p = ddf.repartition({ npartitions: n });
    assert.equal(p.npartitions, n);
    assert.deepEqual(Array.from((await p.compute()).col("v") as Float64Array), left.map((x) => x.v));
  }
  const bySize = await ddf.repartition({ partitionSize: 1000 });
  assert.ok(bySize.npartitions >= 10);
  assert.equal((await bySize.numRows().compute()), left.length);
});
