import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, da } from "../../../kernel";
import { generator } from "../../../kernel/collections/array/kernels/random";
import { F, SCHEDULERS, assertMatches, withCluster } from "./helpers";

withCluster();

for (const scheduler of SCHEDULERS) {
  test(`${scheduler}: arange, linspace, eye, full match NumPy across chunkings`, async () => {
    const C = F.creation;
    for (const chunks of [100, 2, 3]) {
      assertMatches((await da.arange(3, 20, 4, { chunks: chunks as never }).compute({ scheduler })) as NDArray, { ...C.arange, dtype: "int32", data: C.arange.data.map(Number) }, "arange");
      assertMatches((await da.arange(0, 1, 0.15, { chunks: chunks as never }).compute({ scheduler })) as NDArray, C.arange_f, "arange float", 1e-14);
      assertMatches((await da.linspace(-1, 2, 13, { chunks: chunks === 3 ? [[5, 8]] : chunks }).compute({ scheduler })) as NDArray, C.linspace, "linspace", 1e-14);
      assertMatches((await da.linspace(0, 1, 8, { endpoint: false, chunks: 3 }).compute({ scheduler })) as NDArray, C.linspace_ne, "linspace no endpoint", 1e-14);
    }
    assertMatches((await da.eye(5, { M: 7, k: 1, chunks: [2, 3] }).compute({ scheduler })) as NDArray, C.eye, "eye");
    const f = (await da.full([3, 2], 7, { dtype: "int16", chunks: 2 }).compute({ scheduler })) as NDArray;
    assert.deepEqual(f.toNested(), [[7, 7], [7, 7], [7, 7]]);
    assert.deepEqual(((await da.ones([2], { dtype: "complex64" }).compute({ scheduler })) as NDArray).toNested(), [{ re: 1, im: 0 }, { re: 1, im: 0 }]);
  });

  test(`${scheduler}: random arrays are reproducible per seed and chunking, and follow their distribution`, async () => {
    const a = (await da.random.random([1000], { chunks: 300, seed: 42 }).compute({ scheduler })) as NDArray;
    const b = (await da.random.random([1000], { chunks: 300, seed: 42 }).compute({ scheduler })) as NDArray;
    assert.deepEqual([...a.data], [...b.data]);
    // The same values a per-block generator gives, block by block (a plain loop).
    const g = generator(42, 1);
    for (let i = 0; i < 300; i++) assert.equal(a.data[300 + i], g());
    const other = (await da.random.random([1000], { chunks: 300, seed: 43 }).compute({ scheduler })) as NDArray;
    assert.notDeepEqual([...a.data], [...other.data]);
    const n = da.random.normal([200_000], { loc: 10, scale: 2, seed: 1, chunks: 50_000 });
    const [m, s] = [(await n.mean().compute({ scheduler })) as number, (await n.std().compute({ scheduler })) as number];
    assert.ok(Math.abs(m - 10) < 0.03 && Math.abs(s - 2) < 0.03, `normal moments ${m} ${s}`);
    const u = da.random.uniform([100_000], { low: -2, high: 2, seed: 3 });
    assert.ok(((await u.min().compute({ scheduler })) as number) >= -2 && ((await u.max().compute({ scheduler })) as number) < 2);
    const r = (await da.random.randint([10_000], { low: 1, high: 7, seed: 5, chunks: 999 }).compute({ scheduler })) as NDArray;
    assert.equal(r.dtype, "int32");
    assert.deepEqual([...new Set(r.data as Int32Array)].sort(), [1, 2, 3, 4, 5, 6]);
  });
}

test("fromArray takes typed arrays, nested lists, NDArrays, complex and bool data", async () => {
  const m = da.fromArray([[1, 2, 3], [4, 5, 6]], { chunks: [1, 2] });
  assert.deepEqual([m.shape, m.dtype, m.numblocks, m.chunksize, m.npartitions, m.nbytes, m.size, m.ndim], [[2, 3], "float64", [2, 2], [1, 2], 4, 48, 6, 2]);
  assert.deepEqual(m.chunks, [[1, 1], [2, 1]]);
  assert.deepEqual(((await m.compute()) as NDArray).toNested(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(((await da.fromArray([true, false]).compute()) as NDArray).toNested(), [true, false]);
  const z = da.fromArray(new Float64Array([1, 2, 3, 4]), { dtype: "complex128" });
  assert.deepEqual(z.shape, [2]);
  assert.deepEqual(await z.sum().compute(), { re: 4, im: 6 });
  const nd = new NDArray(new Int32Array([1, 2, 3, 4, 5, 6]), [3, 2], "int32");
  assert.deepEqual(((await da.fromArray(nd, { chunks: 2 }).T.compute()) as NDArray).toNested(), [[1, 3, 5], [2, 4, 6]]);
  assert.equal(nd.get(-1, 0), 5);
  assert.deepEqual([...nd.strides], [2, 1]);
  // Blocks cut along the first axis of shared memory are views: no copy.
  const sab = new Float64Array(new SharedArrayBuffer(80));
  const x = da.fromArray(sab, { chunks: 5 });
  assert.equal(x.name, da.fromArray(sab, { chunks: 5 }).name, "deterministic keys");
});

test("bad creation input gets a clear error", () => {
  assert.throws(() => da.fromArray([[1, 2], [3]]), /rectangular: at \[1\] found a list of 1 where a list of 2/);
  assert.throws(() => da.fromArray(new Float64Array(6), { shape: [4, 2] }), /shape \[4, 2\] holds 8 elements but the data has 6/);
  assert.throws(() => da.zeros([10], { chunks: [[5, 4]] }), /do not tile the shape along axis 0: the sizes \[5, 4\] sum to 9, the axis has length 10/);
  assert.throws(() => da.zeros([10], { chunks: [0] }), /chunks\[0\] must be a positive integer/);
  assert.throws(() => da.zeros([10, 10], { chunks: [5] }), /one entry per dimension/);
  assert.throws(() => da.zeros([2], { dtype: "float16" as never }), /dtype must be one of "bool"/);
  assert.throws(() => da.arange(0, 10, 0), /step must be a non-zero number/);
  assert.throws(() => da.random.randint([3], { low: 5, high: 5 }), /low < high/);
  assert.throws(() => da.fromArray(["a"] as never), /element 0 \("a"\) is not a number/);
});

test("auto chunks are about 128 MiB and keep small dimensions whole", () => {
  const x = da.zeros([100_000, 1000]);
  const bytes = x.chunksize.reduce((a, b) => a * b, 8);
  assert.ok(bytes <= 128 * 2 ** 20 && bytes > 32 * 2 ** 20, `${bytes}`);
  assert.equal(x.chunksize[1], 1000);
  assert.deepEqual(da.zeros([1000]).chunks, [[1000]]);
  assert.deepEqual(da.zeros([100], { chunks: "400B" }).chunksize, [50]);
});
