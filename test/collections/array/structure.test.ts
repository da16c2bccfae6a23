import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, TArray, da } from "../../../kernel";
import { plan } from "../../../kernel/collections/array/rechunk";
import { F, SCHEDULERS, assertMatches, nd, withCluster } from "./helpers";

withCluster();
const A_CHUNKS = [[7, 5, 4], [3, 2, 3], [[2, 5], [1, 3, 1], [1, 3]]] as const;

for (const scheduler of SCHEDULERS) {
  for (const chunks of A_CHUNKS) {
    const tag = `${scheduler}, chunks ${JSON.stringify(chunks)}`;
    const a = () => da.fromArray(nd(F.slicing.a), { chunks: chunks as never });

    test(`${tag}: slicing in NumPy notation matches NumPy`, async () => {
      for (const [s, want] of Object.entries(F.slicing.cases)) assertMatches((await a().slice(s).compute({ scheduler })) as NDArray, want as never, `a[${s}]`);
      // The same as per-dimension items.
      assertMatches((await a().slice([5, 1, -2]).compute({ scheduler })) as NDArray, F.slicing.cases["5:1:-2"], "array form");
      assertMatches((await a().slice(3, [1, 4]).compute({ scheduler })) as NDArray, F.slicing.cases["3, 1:4"], "array form 2");
      assertMatches((await a().slice("...", 1).compute({ scheduler })) as NDArray, F.slicing.cases["..., 1"], "ellipsis item");
      assertMatches((await a().slice(null, [2, 4]).compute({ scheduler })) as NDArray, F.slicing.cases["None, 2:4"], "new axis item");
    });

    test(`${tag}: reshape, ravel, transpose match NumPy`, async () => {
      for (const [s, want] of Object.entries(F.reshape)) assertMatches((await a().reshape(JSON.parse(s)).compute({ scheduler })) as NDArray, want as never, `reshape ${s}`);
      assertMatches((await a().reshape([-1, 4]).compute({ scheduler })) as NDArray, F.reshape["[35, 4]"], "reshape -1");
      assertMatches((await a().ravel().compute({ scheduler })) as NDArray, F.reshape["[140]"], "ravel");
      assertMatches((await a().flatten().compute({ scheduler })) as NDArray, F.reshape["[140]"], "flatten");
      assertMatches((await a().T.compute({ scheduler })) as NDArray, F.transpose.T, "T");
      assertMatches((await a().transpose([1, 0, 2]).compute({ scheduler })) as NDArray, F.transpose["102"], "transpose");
    });

    test(`${tag}: rechunk keeps every value, through one or two stages`, async () => {
      const want = F.reshape["[7, 5, 4]"] ?? F.slicing.a;
      for (const target of [[1, 5, 4], [7, 1, 1], [[3, 4], [5], [2, 2]], "auto", [2, 2, 2]]) {
        assertMatches((await a().rechunk(target as never).compute({ scheduler })) as NDArray, want, `rechunk ${JSON.stringify(target)}`);
      }
    });
  }

  test(`${scheduler}: concatenate, stack, repeat, tile, squeeze, expandDims match NumPy`, async () => {
    const x = da.fromArray(nd(F.inputs.x), { chunks: [3, 2] });
    const y = da.fromArray(nd(F.inputs.y), { chunks: [[4, 3], [5]] });
    const v = da.fromArray(nd(F.inputs.v), { chunks: 2 });
    const J = F.join;
    assertMatches((await da.concatenate([x, y]).compute({ scheduler })) as NDArray, J.concat0, "concat0");
    assertMatches((await da.concatenate([x, y, x], { axis: 1 }).compute({ scheduler })) as NDArray, J.concat1, "concat1");
    assertMatches((await da.stack([x, y]).compute({ scheduler })) as NDArray, J.stack0, "stack0");
    assertMatches((await da.stack([x, y], { axis: 2 }).compute({ scheduler })) as NDArray, J.stack2, "stack2");
    assertMatches((await x.repeat(2, { axis: 0 }).compute({ scheduler })) as NDArray, J.repeat0, "repeat0");
    assertMatches((await x.repeat(3).compute({ scheduler })) as NDArray, J.repeatNone, "repeat flat");
    assertMatches((await x.tile([2, 3]).compute({ scheduler })) as NDArray, J.tile, "tile");
    assertMatches((await v.tile(3).compute({ scheduler })) as NDArray, J.tile1, "tile 1-D");
    const e = x.expandDims(1);
    assert.deepEqual(e.shape, [7, 1, 5]);
    assertMatches((await e.squeeze().compute({ scheduler })) as NDArray, F.inputs.x, "squeeze(expandDims)");
  });

  test(`${scheduler}: boolean masks select as NumPy, then computeChunkSizes measures the blocks`, async () => {
    const x = da.fromArray(nd(F.inputs.x), { chunks: [3, 2] });
    const m = x.mask(x.gt(0));
    assert.ok(Number.isNaN(m.shape[0]!));
    assertMatches((await m.compute({ scheduler })) as NDArray, F.mask.full, "x[x > 0]");
    const rows = x.mask(x.slice(":, 0").gt(0));
    assertMatches((await rows.compute({ scheduler })) as NDArray, F.mask.rows, "x[x[:, 0] > 0]");
    assert.throws(() => m.slice("1:3"), /unknown.*computeChunkSizes/);
    const known = await m.computeChunkSizes();
    assert.equal(known.shape[0], F.mask.full.shape[0]);
    assertMatches((await known.slice("1:3").compute({ scheduler })) as NDArray, { ...F.mask.full, shape: [2], data: F.mask.full.data.slice(1, 3) }, "slice after computeChunkSizes");
    assert.equal(await known.sum().compute({ scheduler }), (await m.sum().compute({ scheduler })));
  });
}

test("a rechunk that turns rows into columns goes through an intermediate layout with bounded task inputs", () => {
  const rows = [new Array(100).fill(1), [100]];
  const cols = [[100], new Array(100).fill(1)];
  const stages = plan(rows, cols, 8);
  assert.ok(stages.length === 3, "two stages");
  // Direct rechunks between neighbouring layouts only.
  const x = da.ones([100, 100], { chunks: [1, 100] }).rechunk([100, 1]);
  const layers = [...x.graph().layers.values()];
  assert.deepEqual(layers.map((l) => l.op).filter((o) => o.startsWith("rechunk")).sort(), ["rechunk-merge", "rechunk-split"]);
  const even = plan([[50, 50], [50, 50]], [[25, 25, 25, 25], [100]], 8);
  assert.equal(even.length, 2, "a rechunk whose tasks stay small is direct");
});

test("slicing errors name the index and the axis", () => {
  const x = da.zeros([4, 5]);
  assert.throws(() => x.slice(4), /index 4 is out of bounds for axis 0 with size 4/);
  assert.throws(() => x.slice(":, -6"), /index -6 is out of bounds for axis 1 with size 5/);
  assert.throws(() => x.slice("1, 2, 3"), /too many indices .* 2-dimensional, but 3/);
  assert.throws(() => x.slice("::0"), /step cannot be zero/);
  assert.throws(() => x.slice("a:b"), /"a" .* is not an integer/);
  assert.throws(() => x.slice("..., ..."), /single ellipsis/);
  assert.throws(() => x.slice(4), /use an index in -4\.\.3 \(slices such as "4:" are clamped instead, as in NumPy\)/);
  assert.deepEqual(x.slice("2:100").shape, [2, 5], "slice bounds clamp as NumPy's do");
});

test("slice bounds out of range are clamped to the axis, as NumPy's (values checked)", async () => {
  const x = da.arange(10, { chunks: 3 });
  const values = async (s: string) => ((await x.slice(s).compute()) as NDArray).toNested();
  // The same slices of a plain JS array, clamped by hand.
  assert.deepEqual(await values("5:100"), [5, 6, 7, 8, 9]);
  assert.deepEqual(await values("-100:3"), [0, 1, 2]);
  assert.deepEqual(await values("20:30"), []);
  assert.deepEqual(await values("100:-100:-3"), [9, 6, 3, 0]);
  assert.deepEqual(await values("-100:-50"), []);
});

test("reshape errors and unknown chunks", () => {
  const x = da.zeros([4, 6], { chunks: 2 });
  assert.throws(() => x.reshape([5, 5]), /cannot reshape an array of shape \[4, 6\] \(24 elements\) into shape \[5, 5\]/);
  assert.throws(() => x.reshape([-1, -1]), /at most one -1/);
  assert.throws(() => x.transpose([0, 0]), /permutation/);
  assert.throws(() => x.squeeze({ axis: 0 }), /cannot remove axis 0, its length is 4/);
  assert.throws(() => da.concatenate([x, da.zeros([4, 5])]), /differ along axis 1/);
  assert.throws(() => da.stack([x, da.zeros([4, 5])]), /same shape/);
  const masked = x.ravel().mask(x.ravel().gt(0));
  assert.throws(() => masked.reshape([2, -1]), /unknown .*computeChunkSizes/);
  void TArray;
});
