import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, TArray, da } from "../../../kernel";
import { CHUNKINGS_7x5, F, SCHEDULERS, assertMatches, nd, withCluster } from "./helpers";

withCluster();
const inp = (k: string, chunks: unknown) => da.fromArray(nd(F.inputs[k]), { chunks: chunks as never });

/** Each fixture name with the expression that builds it from the inputs. */
const CASES: Record<string, (a: Record<string, TArray>) => TArray> = {
  add: ({ x, y }) => x!.add(y!), sub: ({ x, y }) => x!.sub(y!), mul: ({ x, y }) => x!.mul(y!), div: ({ x, y }) => x!.div(y!),
  floorDiv: ({ x, y }) => x!.floorDiv(y!), mod: ({ x, y }) => x!.mod(y!), pow: ({ x, v }) => x!.abs().pow(v!),
  maximum: ({ xn, y }) => xn!.maximum(y!), minimum: ({ xn, y }) => xn!.minimum(y!),
  add_bcast: ({ x, v }) => x!.add(v!), sub_scalar: ({ x }) => x!.sub(2.5), lt: ({ x, y }) => x!.lt(y!), ge_bcast: ({ x, v }) => x!.ge(v!),
  eq: ({ xi, yi }) => xi!.eq(yi!), and: ({ x, y }) => x!.gt(0).and(y!.gt(0)), or: ({ x, y }) => x!.gt(0).or(y!.gt(0)),
  xor: ({ x, y }) => x!.gt(0).xor(y!.gt(0)), not: ({ x }) => x!.gt(0).not(),
  abs: ({ x }) => x!.abs(), sqrt: ({ x }) => x!.abs().sqrt(), exp: ({ x }) => x!.div(4).exp(), log: ({ x }) => x!.abs().add(1).log(),
  log1p: ({ x }) => x!.abs().log1p(), sin: ({ x }) => x!.sin(), cos: ({ x }) => x!.cos(), tan: ({ x }) => x!.tan(),
  floor: ({ x }) => x!.floor(), ceil: ({ x }) => x!.ceil(), round0: ({ x }) => x!.round(), round2: ({ x }) => x!.div(7).round(2),
  round_neg: ({ x }) => x!.mul(100).round(-1), sign: ({ x }) => x!.sign(),
  isnan: ({ xn }) => xn!.isnan(), isinf: ({ xn }) => xn!.isinf(), isfinite: ({ xn }) => xn!.isfinite(), nanToNum: ({ xn }) => xn!.nanToNum(),
  clip: ({ x }) => x!.clip(-1, 2), where: ({ x, y }) => da.where(x!.gt(0), x!, y!),
  i_add: ({ xi, yi }) => xi!.add(yi!), i_mul: ({ xi, yi }) => xi!.mul(yi!), i_div: ({ xi, yi }) => xi!.div(yi!),
  i_floorDiv: ({ xi, yi }) => xi!.floorDiv(yi!), i_mod: ({ xi, yi }) => xi!.mod(yi!), i_pow: ({ yi }) => yi!.pow(3),
  i_neg: ({ xi }) => xi!.neg(), i_abs: ({ xi }) => xi!.abs(), i_sqrt: ({ xi }) => xi!.abs().sqrt(),
  i8_wrap: ({ xi }) => xi!.astype("int8").mul(100), u8_wrap: ({ xi }) => xi!.astype("uint8").add(250),
  astype_i32: ({ x }) => x!.astype("int32"), astype_f32: ({ x }) => x!.astype("float32"), astype_u8: ({ xi }) => xi!.astype("uint8"),
  astype_bool: ({ x }) => x!.astype("bool"), astype_i64: ({ xi }) => xi!.astype("int64").mul(3_000_000_000n),
  c_add: ({ z }) => z!.add(z!.conj()), c_mul: ({ z }) => z!.mul(z!), c_div: ({ z }) => z!.div(z!.add(1)), c_abs: ({ z }) => z!.abs(),
  c_exp: ({ z }) => z!.div(4).exp(), c_sqrt: ({ z }) => z!.sqrt(), c_log: ({ z }) => z!.log(), c_real: ({ z }) => z!.real(),
  c_imag: ({ z }) => z!.imag(), c_conj: ({ z }) => z!.conj(), c_sin: ({ z }) => z!.div(4).sin(), c_cos: ({ z }) => z!.div(4).cos(),
};

// float32 results are compared at float32 precision; NumPy's sqrt of int32 is float64 like ours.
const RTOL: Record<string, number> = { pow: 1e-12, astype_f32: 1e-7 };

for (const scheduler of SCHEDULERS) {
  for (const chunks of CHUNKINGS_7x5) {
    test(`${scheduler}: every elementwise operation matches NumPy, chunks ${JSON.stringify(chunks)}`, async () => {
      const a: Record<string, TArray> = {};
      for (const k of Object.keys(F.inputs)) a[k] = inp(k, k === "v" ? [chunks[1]] : chunks);
      assert.equal(Object.keys(CASES).length, Object.keys(F.elementwise).length, "every fixture has a case");
      for (const [name, build] of Object.entries(CASES)) {
        assertMatches((await build(a).compute({ scheduler })) as NDArray, F.elementwise[name], `${name} chunks ${JSON.stringify(chunks)}`, RTOL[name] ?? 1e-12);
      }
    });
  }
}

test("a fused chain gives what its steps give one at a time (and what a plain loop gives)", async () => {
  const data = Float64Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
  const x = da.fromArray(data, { chunks: 128 });
  const chain = x.mul(2).add(1).abs().sqrt().sub(x.div(3));
  const fused = (await chain.compute()) as NDArray;
  const stepwise = (await chain.compute({ optimize: false })) as NDArray;
  const loop = data.map((v) => Math.sqrt(Math.abs(v * 2 + 1)) - v / 3);
  assert.deepEqual([...fused.data], [...stepwise.data]);
  assert.deepEqual([...fused.data], [...loop]);
});

test("scalar promotion is weak (NEP 50) and integer results wrap like NumPy's", async () => {
  const i8 = da.fromArray(new Int8Array([100, -100, 7]));
  assert.equal(i8.add(1).dtype, "int8");
  assert.equal(i8.add(1.5).dtype, "float64");
  assert.equal(da.fromArray(new Float32Array([1])).mul(2.5).dtype, "float32");
  assert.equal(i8.div(2).dtype, "float64");
  assert.equal(i8.sqrt().dtype, "float32");
  assert.deepEqual(((await i8.add(100).compute()) as NDArray).toNested(), [-56, 0, 107]);
  const u8 = da.fromArray(new Uint8Array([250, 3]));
  assert.deepEqual(((await u8.sub(4).compute()) as NDArray).toNested(), [246, 255]);
  assert.equal(da.fromArray(new Int32Array([1])).add(da.fromArray(new Float32Array([1]))).dtype, "float64");
  const big = da.fromArray(new BigInt64Array([2n ** 62n, -3n]));
  assert.deepEqual(((await big.mul(4).compute()) as NDArray).toNested(), [0n, -12n]);
  assert.equal(await big.sum().compute(), 2n ** 62n - 3n);
});

test("integer powers to negative exponents fail with the fix", async () => {
  await assert.rejects(da.fromArray(new Int32Array([2, 3])).pow(-1).compute({ scheduler: "sync" }), /negative integer powers .*astype\("float64"\)/);
});
