/**
 * The matrix-product kernel in plain JavaScript, cache-blocked as GotoBLAS /
 * BLIS do, and the packing that the WebAssembly kernel (gemm-wasm.ts) shares.
 *
 * For each slice of KC along the shared dimension, B is packed into panels
 * of NR columns and A, MC rows at a time, into panels of MR rows, each
 * panel contiguous along k; a 4×4 register-blocked micro-kernel then runs
 * over the packed panels (16 accumulators, 8 loads per 32 flops), so the
 * inner loop reads memory sequentially from L1/L2. Either operand may come
 * transposed (a block of x read as x.T), which packing absorbs: x @ x.T
 * never materialises the transpose.
 *
 * This kernel runs where WebAssembly SIMD does not (matmul.ts chooses); it
 * reaches about half of the SIMD kernel's speed (bench/w2_matmul.ts).
 */

/** Register tile (MR×NR), and the k and row extents of one packed block (KC·NR doubles of B per panel stay in L1, MC×KC of A in L2). */
export const MR = 4, NR = 4, KC = 256, MC = 128;

/** Packs rows r0..r0+mc of A (k range k0..k0+kc) into MR-row panels, zero-padded. */
export function packA(A: Float64Array, lda: number, trans: boolean, r0: number, mc: number, k0: number, kc: number, out: Float64Array): void {
  let o = 0;
  for (let ip = 0; ip < mc; ip += MR) {
    const rows = Math.min(MR, mc - ip);
    for (let kk = 0; kk < kc; kk++) {
      for (let r = 0; r < MR; r++) {
        // Row-major A[m][k] (lda = k) or stored transposed At[k][m] (lda = m).
        out[o++] = r < rows ? (trans ? A[(k0 + kk) * lda + r0 + ip + r]! : A[(r0 + ip + r) * lda + k0 + kk]!) : 0;
      }
    }
  }
}

/** Packs columns 0..n of B (k range k0..k0+kc) into NR-column panels, zero-padded. */
export function packB(B: Float64Array, ldb: number, trans: boolean, n: number, k0: number, kc: number, out: Float64Array): void {
  let o = 0;
  for (let jp = 0; jp < n; jp += NR) {
    const cols = Math.min(NR, n - jp);
    for (let kk = 0; kk < kc; kk++) {
      for (let c = 0; c < NR; c++) {
        out[o++] = c < cols ? (trans ? B[(jp + c) * ldb + k0 + kk]! : B[(k0 + kk) * ldb + jp + c]!) : 0;
      }
    }
  }
}

/** C[r0.., 0..n] += packed A panels · packed B panels. */
function micro(Ap: Float64Array, Bp: Float64Array, C: Float64Array, n: number, r0: number, mc: number, kc: number): void {
  for (let ip = 0; ip < mc; ip += MR) {
    const aBase = (ip / MR) * kc * MR;
    const rows = Math.min(MR, mc - ip);
    for (let jp = 0; jp < n; jp += NR) {
      const bBase = (jp / NR) * kc * NR;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      let a = aBase, b = bBase;
      for (let kk = 0; kk < kc; kk++) {
        const a0 = Ap[a]!, a1 = Ap[a + 1]!, a2 = Ap[a + 2]!, a3 = Ap[a + 3]!;
        const b0 = Bp[b]!, b1 = Bp[b + 1]!, b2 = Bp[b + 2]!, b3 = Bp[b + 3]!;
        c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
        c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
        c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
        c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        a += 4;
        b += 4;
      }
      const cols = Math.min(NR, n - jp);
      const row = (r: number, v0: number, v1: number, v2: number, v3: number) => {
        if (r >= rows) return;
        const o = (r0 + ip + r) * n + jp;
        C[o] += v0;
        if (cols > 1) C[o + 1] += v1;
        if (cols > 2) C[o + 2] += v2;
        if (cols > 3) C[o + 3] += v3;
      };
      row(0, c00, c01, c02, c03);
      row(1, c10, c11, c12, c13);
      row(2, c20, c21, c22, c23);
      row(3, c30, c31, c32, c33);
    }
  }
}

/**
 * C (m×n, zero-filled or accumulating) += A (m×k) · B (k×n), with transposed
 * storage allowed: the plain JavaScript kernel, used where WebAssembly SIMD is
 * not available (gemm-wasm.ts is the fast path).
 */
export function gemmJs(A: Float64Array, transA: boolean, B: Float64Array, transB: boolean, C: Float64Array, m: number, n: number, k: number): void {
  const lda = transA ? m : k, ldb = transB ? k : n;
  const Bp = new Float64Array(Math.ceil(n / NR) * NR * KC);
  const Ap = new Float64Array(Math.ceil(MC / MR) * MR * KC);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packB(B, ldb, transB, n, k0, kc, Bp);
    for (let r0 = 0; r0 < m; r0 += MC) {
      const mc = Math.min(MC, m - r0);
      packA(A, lda, transA, r0, mc, k0, kc, Ap);
      micro(Ap, Bp, C, n, r0, mc, kc);
    }
  }
}
