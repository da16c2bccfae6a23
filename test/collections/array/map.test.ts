import { test } from "node:test";
import assert from "node:assert/strict";
import { BlockInfo, Delayed, NDArray, da, delayed } from "../../../kernel";
import { SCHEDULERS, withCluster } from "./helpers";

withCluster();

for (const scheduler of SCHEDULERS) {
  test(`${scheduler}: mapBlocks runs a function per block, with captures and block info`, async () => {
    const x = da.arange(10, { chunks: 4, dtype: "float64" });
    const k = 10;
    const y = x.mapBlocks((b: NDArray, info: BlockInfo) => {
      const out = new Float64Array(b.size);
      for (let i = 0; i < b.size; i++) out[i] = (b.data[i] as number) * k + info.location[0]![0];
      return out;
    }, { captures: { k: 10 } });
    const want = Array.from({ length: 10 }, (_, i) => i * 10 + Math.floor(i / 4) * 4);
    assert.deepEqual(((await y.compute({ scheduler })) as NDArray).toNested(), want);
    const z = da.mapBlocks((a: NDArray, b: NDArray) => Float64Array.from(a.data as Float64Array, (v, i) => v + (b.data[i] as number)), [x, x.mul(2)]);
    assert.deepEqual(((await z.compute({ scheduler })) as NDArray).toNested(), Array.from({ length: 10 }, (_, i) => 3 * i));
  });

  test(`${scheduler}: blockwise with a contracted index passes the list of blocks`, async () => {
    const m = da.fromArray(Float64Array.from({ length: 12 }, (_, i) => i), { shape: [3, 4], chunks: [1, 2] });
    const rowSums = da.blockwise((blocks: NDArray[]) => {
      let s = 0;
      for (const b of blocks) for (let i = 0; i < b.size; i++) s += b.data[i] as number;
      return new Float64Array([s]);
    }, "i", [m, "ij"], { dtype: "float64" });
    assert.deepEqual(((await rowSums.compute({ scheduler })) as NDArray).toNested(), [6, 22, 38]);
  });

  test(`${scheduler}: toDelayed and fromDelayed`, async () => {
    const x = da.arange(6, { chunks: 3 });
    const blocks = x.toDelayed() as Delayed<NDArray>[];
    assert.equal(blocks.length, 2);
    const b1 = await blocks[1]!.compute({ scheduler });
    assert.ok(b1 instanceof NDArray);
    assert.deepEqual(b1.toNested(), [3, 4, 5]);
    const total = delayed((a: { data: Int32Array }, b: { data: Int32Array }) => [...a.data, ...b.data].reduce((s, v) => s + v, 0));
    assert.equal(await total(blocks[0] as never, blocks[1] as never).compute({ scheduler }), 15);
    const load = delayed((n: number) => Array.from({ length: n }, (_, i) => [i, i * i]));
    const arr = da.fromDelayed(load(3), { shape: [3, 2], dtype: "float64" });
    assert.deepEqual(((await arr.sum({ axis: 0 }).compute({ scheduler })) as NDArray).toNested(), [3, 5]);
    await assert.rejects(da.fromDelayed(load(3), { shape: [4, 2], dtype: "float64" }).compute({ scheduler }), /shape \[6\].*expected \[4, 2\]|shape/);
  });
}

test("mapBlocks checks what the function returns, and refuses closures before running", async () => {
  const x = da.ones([4], { chunks: 2 });
  await assert.rejects(x.mapBlocks((b: NDArray) => new Float32Array(b.size)).compute({ scheduler: "sync" }), /returned float32 data for block \[0\] but the declared dtype is float64: pass \{ dtype: "float32" \}/);
  await assert.rejects(x.mapBlocks((b: NDArray) => new Float64Array(b.size + 1)).compute({ scheduler: "sync" }), /shape \[3\] for block \[0\], expected \[2\]/);
  const k = 3;
  await assert.rejects(x.mapBlocks((b: NDArray) => Float64Array.from(b.data as Float64Array, (v) => v * k)).compute(), /uses "k" from outside.*captures: \{ k \}/);
  assert.deepEqual(((await x.mapBlocks((b: NDArray) => Float64Array.from(b.data as Float64Array, (v) => v * k)).compute({ scheduler: "sync" })) as NDArray).toNested(), [3, 3, 3, 3]);
});
