import { test } from "node:test";
import assert from "node:assert/strict";
import { NDArray, da } from "../../../kernel";
import { gemm } from "../../../kernel/collections/array/kernels/gemm";
import { F, SCHEDULERS, assertMatches, nd, withCluster } from "./helpers";

withCluster();

function naive(A: Float64Array, B: Float64Array, m: number, n: number, k: number, transB: boolean): Float64Array {
  const C = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += A[i * k + p]! * (transB ? B[j * k + p]! : B[p * n + j]!);
    C[i * n + j] = s;
  }
  return C;
}

test("the cache-blocked kernel equals a triple loop, odd sizes, both layouts of B", () => {
  for (const [m, n, k] of [[1, 1, 1], [5, 7, 3], [130, 9, 300], [33, 65, 257]] as const) {
    const A = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i));
    for (const transB of [false, true]) {
      const B = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.7));
      const C = new Float64Array(m * n);
      gemm(A, false, B, transB, C, m, n, k);
      const want = naive(A, B, m, n, k, transB);
      for (let i = 0; i < C.length; i++) assert.ok(Math.abs(C[i]! - want[i]!) < 1e-9, `${m}x${n}x${k} trans ${transB} at ${i}`);
    }
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
