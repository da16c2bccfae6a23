import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, da } from "../../../kernel";
import { gemmJs } from "../../../kernel/collections/array/kernels/gemm";
import { gemmWasm, wasmGemm } from "../../../kernel/collections/array/kernels/gemm-wasm";
import { F, SCHEDULERS, assertMatches, nd, withCluster } from "./helpers";

withCluster();

/** C = op(A) · op(B) by the definition, reading A as [m, k] (or [k, m] when transA) and B as [k, n] (or [n, k]). */
function naive(A: Float64Array, transA: boolean, B: Float64Array, transB: boolean, m: number, n: number, k: number): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (transA ? A[p * m + i]! : A[i * k + p]!) * (transB ? B[j * k + p]! : B[p * n + j]!);
    C[i * n + j] = s;
  }
  return C;
}

const KERNELS = [["JavaScript", gemmJs], ["WebAssembly SIMD", gemmWasm]] as const;

test("WebAssembly SIMD is available here, so matmul tasks use the SIMD kernel", () => {
  assert.notEqual(wasmGemm(), null, "gemm.wasm did not load: was it built (npm run build runs scripts/build-wasm.mjs)?");
});

for (const [name, kernel] of KERNELS) {
  test(`the ${name} kernel equals a triple loop, odd sizes, every layout of A and B, accumulating into C`, () => {
    // Sizes straddle the 4×4 tile, the 128-row block and the 256-deep k slice.
    for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [130, 9, 300], [33, 65, 257], [3, 129, 2], [0, 4, 3], [4, 4, 0]] as const) {
      const A = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
      const B = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const start = Float64Array.from({ length: m * n }, (_, i) => i % 3);
          const C = start.slice();
          kernel(A, transA, B, transB, C, m, n, k);
          const want = naive(A, transA, B, transB, m, n, k);
          for (let i = 0; i < C.length; i++) {
            assert.ok(Math.abs(C[i]! - (start[i]! + want[i]!)) < 1e-9, `${m}x${n}x${k} transA ${transA} transB ${transB} at ${i}: ${C[i]} != ${start[i]! + want[i]!}`);
          }
        }
      }
    }
  });
}

test("both kernels agree with each other and with the definition on a W2-sized block (1000 deep)", () => {
  const m = 200, n = 1000, k = 1000;
  const A = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
  const B = Float64Array.from({ length: n * k }, (_, i) => Math.cos(i * 0.11));
  const cj = new Float64Array(m * n), cw = new Float64Array(m * n);
  gemmJs(A, false, B, true, cj, m, n, k);
  gemmWasm(A, false, B, true, cw, m, n, k);
  for (let i = 0; i < cj.length; i += 97) assert.ok(Math.abs(cj[i]! - cw[i]!) <= 1e-9 * Math.max(1, Math.abs(cj[i]!)), `at ${i}: ${cj[i]} vs ${cw[i]}`);
  for (const [i, j] of [[0, 0], [199, 999], [57, 512]] as const) {
    let s = 0;
    for (let p = 0; p < k; p++) s += A[i * k + p]! * B[j * k + p]!;
    assert.ok(Math.abs(cw[i * n + j]! - s) < 1e-9, `(${i}, ${j}): ${cw[i * n + j]} != ${s}`);
  }
});

for (const scheduler of SCHEDULERS) {
  for (const chunks of [[7, 5], [3, 2], [[2, 5], [1, 4]]] as const) {
    test(`${scheduler}: matmul, dot, tensordot match NumPy, chunks ${JSON.stringify(chunks)}`, async () => {
      const x = da.fromArray(nd(F.inputs.x), { chunks: chunks as never });
      const y = da.fromArray(nd(F.inputs.y), { chunks: [chunks[0], [5]] as never });
      const v = da.fromArray(nd(F.inputs.v), { chunks: [chunks[1]] as never });
      const L = F.linalg;
      assertMatches((await x.matmul(y.T).compute({ scheduler })) as NDArray, L.matmul, "x @ y.T", 1e-10, 1e-10);
      assertMatches((await da.matmul(x, y.transpose()).compute({ scheduler })) as NDArray, L.matmul, "da.matmul", 1e-10, 1e-10);
      assertMatches((await v.dot(v).compute({ scheduler })) as number, L.dot_vv, "v . v", 1e-10, 1e-10);
      assertMatches((await x.dot(v).compute({ scheduler })) as NDArray, L.dot_mv, "x . v", 1e-10, 1e-10);
      assertMatches((await x.slice(":, 0").dot(x).compute({ scheduler })) as NDArray, L.dot_vm, "x[:, 0] . x", 1e-10, 1e-10);
      const a = da.fromArray(nd(F.slicing.a), { chunks: [3, 2, 2] });
      assertMatches((await da.tensordot(a, a.slice(":, :, :2"), [[0, 1], [0, 1]]).compute({ scheduler })) as NDArray, L.tensordot, "tensordot", 1e-10, 1e-10);
    });
  }
}

test("x @ x.T reads x's blocks directly: no transpose layer runs", () => {
  const x = da.random.random([40, 30], { chunks: 10, seed: 1 });
  const ops = [...x.matmul(x.T).graph().layers.values()].map((l) => l.op);
  assert.ok(!ops.includes("transpose"), ops.join(","));
});

test("matmul errors name the shapes", () => {
  assert.throws(() => da.zeros([3, 4]).matmul(da.zeros([5, 2])), /shapes \[3, 4\] and \[5, 2\] are not aligned: 4 .* != 5/);
  assert.throws(() => da.zeros([2, 2], { dtype: "complex128" }).matmul(da.zeros([2, 2])), /complex/);
  assert.throws(() => da.zeros([2, 2, 2]).matmul(da.zeros([2, 2])), /tensordot/);
});

test("float32 and integer operands: float32 @ float32 stays float32, int32 gives float64; values match a triple loop", async () => {
  const m = 9, k = 7, n = 5;
  const a = Float32Array.from({ length: m * k }, (_, i) => Math.fround(Math.sin(i) * 3));
  const b = Float32Array.from({ length: k * n }, (_, i) => Math.fround(Math.cos(i) * 2));
  const want = naive(Float64Array.from(a), false, Float64Array.from(b), false, m, n, k);
  const r = (await da.fromArray(a, { shape: [m, k], chunks: [4, 3] }).matmul(da.fromArray(b, { shape: [k, n], chunks: [3, 2] })).compute()) as NDArray;
  assert.equal(r.dtype, "float32");
  for (let i = 0; i < want.length; i++) assert.ok(Math.abs((r.data[i] as number) - want[i]!) <= 1e-5 * Math.max(1, Math.abs(want[i]!)), `at ${i}`);
  const ints = da.arange(12, { chunks: 5 }).reshape([3, 4]);
  const g = (await ints.matmul(ints.T).compute()) as NDArray;
  assert.equal(g.dtype, "float64");
  assert.deepEqual(g.toNested(), [[14, 38, 62], [38, 126, 214], [62, 214, 366]]);
});
