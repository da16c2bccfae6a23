/**
 * The matmul task: one output block, Σ_k A_k · B_k over a row of A's blocks
 * and a column of B's. Products run on the WebAssembly SIMD kernel
 * (gemm-wasm.ts) where the thread has WebAssembly SIMD, else on the
 * JavaScript one (gemm.ts). Both compute in float64: float32 blocks are
 * widened on the way in and the result cast back to the output dtype.
 */
import { Errors } from "../../../errors";
import { KernelFn } from "../../../worker/registry";
import { DType, allocate } from "../dtype";
import { ChunkData } from "../ndarray";
import { gemmJs } from "./gemm";
import { gemmWasm, wasmGemm } from "./gemm-wasm";

export interface MatmulOptions {
  /** A blocks are stored transposed (their shape is [k, m]). */
  transA: boolean;
  /** B blocks are stored transposed (their shape is [n, k]). */
  transB: boolean;
  dtype: DType;
}

export type Gemm = typeof gemmJs;

/** The fastest kernel this thread can run. */
export function gemm(): Gemm {
  return wasmGemm() !== null ? gemmWasm : gemmJs;
}

function asF64(c: ChunkData): Float64Array {
  if (c.data instanceof Float64Array) return c.data;
  return Float64Array.from(c.data as Float32Array);
}

/** One output block: Σ_k A_k · B_k. */
export function matmulBlocks(opts: MatmulOptions, as: readonly ChunkData[], bs: readonly ChunkData[]): ChunkData {
  if (as.length !== bs.length || as.length === 0) throw Errors.badInput("internal: matmul needs as many A blocks as B blocks");
  const m = opts.transA ? as[0]!.shape[1]! : as[0]!.shape[0]!;
  const n = opts.transB ? bs[0]!.shape[0]! : bs[0]!.shape[1]!;
  // A float64 result accumulates straight into its shared-memory chunk; float32 goes through a float64 buffer.
  const C = opts.dtype === "float64" ? (allocate("float64", m * n) as Float64Array) : new Float64Array(m * n);
  const kernel = gemm();
  for (let i = 0; i < as.length; i++) {
    const a = as[i]!, b = bs[i]!;
    const k = opts.transA ? a.shape[0]! : a.shape[1]!;
    const kb = opts.transB ? b.shape[1]! : b.shape[0]!;
    if (k !== kb) throw Errors.badInput(`internal: matmul blocks disagree on the shared dimension (${k} vs ${kb})`);
    kernel(asF64(a), opts.transA, asF64(b), opts.transB, C, m, n, k);
  }
  if (opts.dtype === "float64") return { data: C, shape: [m, n], dtype: "float64" };
  const out = allocate(opts.dtype, m * n);
  (out as Float32Array).set(C);
  return { data: out, shape: [m, n], dtype: opts.dtype };
}

export const LINALG_KERNELS: Record<string, KernelFn> = {
  matmul: (opts: MatmulOptions, as: ChunkData[], bs: ChunkData[]) => matmulBlocks(opts, as, bs),
};
