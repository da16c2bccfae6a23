/**
 * The matrix product on WebAssembly SIMD: gemm.wat's f64x2 micro-kernel
 * over panels packed by gemm.ts's packA / packB, written straight into the
 * module's memory (the chunks live in SharedArrayBuffers, which a
 * WebAssembly memory cannot alias, so packing doubles as the copy in).
 *
 * State: one module instance per thread, made on first use; its memory only
 * grows (a worker multiplying 1000×1000 blocks keeps about 11 MB). Calls
 * never overlap: a thread runs one task at a time and the kernel does not
 * await.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { KC, MC, MR, NR, packA, packB } from "./gemm";

/** The few WebAssembly types used here (TypeScript's "node" types leave them out without the DOM lib). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
const WA = (globalThis as unknown as { WebAssembly?: { Module: new (bytes: Uint8Array) => object; Instance: new (m: object) => { exports: unknown } } }).WebAssembly;

interface GemmExports {
  memory: WasmMemory;
  block(ap: number, bp: number, c: number, r0: number, mc: number, np: number, kc: number): void;
}

const PAGE = 65536;
let instance: GemmExports | null | undefined;

/** The module's exports, or null where WebAssembly SIMD is missing (or gemm.wasm was not built). */
export function wasmGemm(): GemmExports | null {
  if (instance !== undefined) return instance;
  try {
    if (WA === undefined) throw new Error("no WebAssembly");
    const bytes = fs.readFileSync(path.join(__dirname, "gemm.wasm"));
    instance = new WA.Instance(new WA.Module(bytes)).exports as unknown as GemmExports;
  } catch {
    instance = null;
  }
  return instance;
}

const roundUp = (x: number, to: number) => Math.ceil(x / to) * to;

/**
 * C (m×n, accumulating) += A (m×k) · B (k×n), transposed storage allowed, as
 * gemmJs; throws when WebAssembly SIMD is unavailable (check wasmGemm()).
 */
export function gemmWasm(A: Float64Array, transA: boolean, B: Float64Array, transB: boolean, C: Float64Array, m: number, n: number, k: number): void {
  const w = wasmGemm();
  if (w === null) throw new Error("gemmWasm: WebAssembly SIMD is not available in this thread");
  if (m === 0 || n === 0) return;
  const lda = transA ? m : k, ldb = transB ? k : n;
  // C is padded to whole 4×4 tiles (ldc = np), so the micro-kernel has no edges.
  const mp = roundUp(m, MR), np = roundUp(n, NR);
  const cOff = 0, bOff = cOff + mp * np * 8, aOff = bOff + np * KC * 8, end = aOff + MC * KC * 8;
  if (w.memory.buffer.byteLength < end) w.memory.grow(Math.ceil((end - w.memory.buffer.byteLength) / PAGE));
  const mem = new Float64Array(w.memory.buffer);
  const c = mem.subarray(cOff / 8, cOff / 8 + mp * np);
  c.fill(0);
  for (let i = 0; i < m; i++) c.set(C.subarray(i * n, i * n + n), i * np);
  const bp = mem.subarray(bOff / 8, aOff / 8), ap = mem.subarray(aOff / 8, end / 8);
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packB(B, ldb, transB, n, k0, kc, bp);
    for (let r0 = 0; r0 < m; r0 += MC) {
      const mc = Math.min(MC, m - r0);
      packA(A, lda, transA, r0, mc, k0, kc, ap);
      w.block(aOff, bOff, cOff, r0, roundUp(mc, MR), np, kc);
    }
  }
  for (let i = 0; i < m; i++) C.set(c.subarray(i * np, i * np + n), i * n);
}
