import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, TArray, da } from "../../../kernel";
import { CHUNKINGS_7x5, F, SCHEDULERS, assertMatches, nd, withCluster } from "./helpers";

withCluster();
const AXES: Record<string, { axis?: number; keepdims?: boolean }> = { all: {}, "0": { axis: 0 }, "1": { axis: 1 }, "1k": { axis: 1, keepdims: true } };

function build(key: string, a: Record<string, TArray>, splitEvery: number): TArray {
  const [name, ax] = key.split("|") as [string, string];
  const o = { ...AXES[ax], splitEvery };
  const { x, xi, yi, xn, z } = a as Record<string, TArray>;
  switch (name) {
    case "sum": return x!.sum(o);
    case "prod": return x!.prod(o);
    case "mean": return x!.mean(o);
    case "var": return x!.var(o);
    case "std": return x!.std(o);
    case "min": return x!.min(o);
    case "max": return x!.max(o);
    case "any": return x!.any(o);
    case "all": return x!.all(o);
    case "var1": return x!.var({ ...o, ddof: 1 });
    case "isum": return xi!.sum(o);
    case "imean": return xi!.mean(o);
    case "iprod": return yi!.prod(o);
    case "istd": return xi!.std(o);
    case "imin": return xi!.min(o);
    case "nansum": return xn!.nansum(o);
    case "nanmean": return xn!.nanmean(o);
    case "csum": return z!.sum(o);
    case "cmean": return z!.mean(o);
    case "cvar": return z!.var(o);
    case "argmin": return x!.argmin(ax === "all" ? { splitEvery } : { axis: Number(ax), splitEvery });
    case "argmax": return x!.argmax(ax === "all" ? { splitEvery } : { axis: Number(ax), splitEvery });
    case "nargmin": return xn!.argmin(ax === "all" ? { splitEvery } : { axis: Number(ax), splitEvery });
    case "cumsum": return ax === "all" ? x!.cumsum() : x!.cumsum({ axis: Number(ax) });
    case "cumprod": return x!.div(3).cumprod({ axis: Number(ax) });
    case "icumsum": return xi!.cumsum({ axis: Number(ax) });
  }
  throw new Error(`no case for ${key}`);
}

for (const scheduler of SCHEDULERS) {
  for (const chunks of CHUNKINGS_7x5) {
    test(`${scheduler}: reductions match NumPy over every axis, chunks ${JSON.stringify(chunks)}`, async () => {
      const a: Record<string, TArray> = {};
      for (const k of Object.keys(F.inputs)) a[k] = da.fromArray(nd(F.inputs[k]), { chunks: (k === "v" ? [chunks[1]] : chunks) as never });
      for (const splitEvery of [2, 4]) {
        for (const key of Object.keys(F.reductions)) {
          // argmin/argmax give int64 in NumPy; Tessera's index dtype is int32.
          const f = key.includes("argm") ? { ...F.reductions[key], dtype: "int32", data: F.reductions[key].data.map(Number) } : F.reductions[key];
          const r = await build(key, a, splitEvery).compute({ scheduler });
          const got = typeof r === "bigint" && f.dtype === "int64" ? r : r;
          assertMatches(got as NDArray, f, `${key} splitEvery ${splitEvery}`, 1e-10, 1e-10);
        }
      }
    });
  }
}

test("a reduction over many blocks builds a tree of splitEvery-wide combines", () => {
  const x = da.ones([64], { chunks: 1 });
  const layers = (s: TArray) => [...s.graph().layers.values()].map((l) => l.op);
  assert.deepEqual(layers(x.sum({ splitEvery: 4 })).filter((o) => o === "sum-combine").length, 2); // 64 -> 16 -> 4 -> aggregate
  assert.deepEqual(layers(x.sum({ splitEvery: 8 })).filter((o) => o === "sum-combine").length, 1);
});

test("integer sums are exact beyond 2^53 and wrap at 2^64 as NumPy's int64 does", async () => {
  const big = da.full([3000], 2 ** 31 - 1, { dtype: "int32", chunks: 1000 });
  const want = 3000n * (2n ** 31n - 1n);
  assert.equal(await big.sum().compute(), want);
  assert.equal(await big.sum().compute({ scheduler: "sync" }), want);
  const huge = da.full([4], 2n ** 62n, { dtype: "int64" });
  assert.equal(await huge.sum().compute(), 0n);
});

test("variance stays accurate for data far from zero (shifted sums, Chan merge)", async () => {
  const n = 10_000;
  const data = Float64Array.from({ length: n }, (_, i) => 1e9 + (i % 7) - 3);
  let m = 0;
  for (const v of data) m += v;
  m /= n;
  let ss = 0;
  for (const v of data) ss += (v - m) * (v - m);
  const v = (await da.fromArray(data, { chunks: 999 }).var().compute()) as number;
  assert.ok(Math.abs(v - ss / n) < 1e-9 * (ss / n), `${v} vs ${ss / n}`);
});

test("empty reductions: sum is 0, min has no identity", async () => {
  const e = da.zeros([0, 3]);
  assert.deepEqual(((await e.sum({ axis: 0 }).compute()) as NDArray).toNested(), [0, 0, 0]);
  assert.throws(() => e.min(), /no identity/);
});
