/**
 * Random blocks. Each block has its own generator, seeded from the array's
 * seed and the block's index (splitmix32), so a block's values depend only
 * on (seed, chunking, block): results are reproducible for a given seed
 * and chunking, and blocks are generated in parallel. The generator is
 * xoshiro128**; doubles take 53 random bits from two draws, as NumPy's do.
 */
import { KernelFn } from "../../../worker/registry";
import { DType, allocate, dtypeInfo } from "../dtype";
import { ChunkData, sizeOf } from "../ndarray";

export function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** A seeded stream of doubles in [0, 1). */
export function generator(seed: number, block: number): () => number {
  const sm = splitmix32((seed ^ Math.imul(block + 1, 0x27d4eb2d)) >>> 0);
  let a = sm(), b = sm(), c = sm(), d = sm();
  if ((a | b | c | d) === 0) a = 1;
  const next = () => {
    const r = Math.imul((Math.imul(b, 5) << 7) | (Math.imul(b, 5) >>> 25), 9) >>> 0;
    const t = b << 9;
    c ^= a; d ^= b; b ^= c; a ^= d; c ^= t;
    d = (d << 11) | (d >>> 21);
    return r;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

export interface RandomSpec {
  readonly dist: "random" | "uniform" | "normal" | "randint";
  /** uniform / randint: [low, high]; normal: [loc, scale]. */
  readonly params: readonly [number, number];
  readonly dtype: DType;
  readonly seed: number;
}

export function randomBlock(spec: RandomSpec, block: number, shape: readonly number[]): ChunkData {
  const n = sizeOf(shape);
  const out = allocate(spec.dtype, n);
  const u = generator(spec.seed, block);
  const [p, q] = spec.params;
  const big = dtypeInfo(spec.dtype).big;
  const o = out as Float64Array;
  switch (spec.dist) {
    case "random":
      for (let i = 0; i < n; i++) o[i] = u();
      break;
    case "uniform":
      for (let i = 0; i < n; i++) o[i] = p + (q - p) * u();
      break;
    case "normal":
      // Box-Muller: two uniforms give two independent normals.
      for (let i = 0; i < n; i += 2) {
        const r = Math.sqrt(-2 * Math.log(1 - u())), t = 2 * Math.PI * u();
        o[i] = p + q * r * Math.cos(t);
        if (i + 1 < n) o[i + 1] = p + q * r * Math.sin(t);
      }
      break;
    case "randint":
      for (let i = 0; i < n; i++) {
        const v = p + Math.floor(u() * (q - p));
        if (big) (out as BigInt64Array)[i] = BigInt(v);
        else o[i] = v;
      }
      break;
  }
  return { data: out, shape, dtype: spec.dtype };
}

export const RANDOM_KERNELS: Record<string, KernelFn> = {
  random: (spec: RandomSpec, block: number, shape: number[]) => randomBlock(spec, block, shape),
};
