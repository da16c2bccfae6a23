/**
 * da.random: arrays of random numbers, reproducible for a given seed and
 * chunking (kernels/random.ts: one generator per block). Without a seed,
 * each call draws a fresh one.
 */
import { randomInt } from "node:crypto";
import { Errors } from "../../errors";
import { builtin } from "../../graph";
import { normalizeChunks } from "./chunks";
import { DType, checkDType, dtypeInfo, isInteger } from "./dtype";
import { blockwiseArray, layerName } from "./core";
import type { RandomSpec } from "./kernels/random";
import type { TArray } from "./array";
import type { ChunkSpec } from "./chunks";

export interface RandomOptions {
  chunks?: ChunkSpec;
  /** Same seed and chunks, same numbers (default: a fresh seed per call). */
  seed?: number;
  dtype?: DType;
}

function make(dist: RandomSpec["dist"], shape: readonly number[], params: [number, number], options: RandomOptions, dflt: DType): TArray {
  const dtype = options.dtype === undefined ? dflt : checkDType(options.dtype, `random.${dist} dtype`);
  if (dist === "randint" ? !isInteger(dtype) : dtypeInfo(dtype).kind !== "f") {
    throw Errors.badOption(`random.${dist} dtype`, dtype, dist === "randint" ? "an integer dtype" : '"float64" or "float32"');
  }
  const seed = options.seed ?? randomInt(2 ** 31);
  if (!Number.isInteger(seed) || seed < 0 || seed >= 2 ** 32) throw Errors.badOption("seed", seed, "an integer in 0..2^32-1");
  const chunks = normalizeChunks(options.chunks, shape, dtypeInfo(dtype).itemsize);
  const spec: RandomSpec = { dist, params, dtype, seed };
  const nb = chunks.map((c) => c.length);
  const name = layerName(`random-${dist}`, spec, chunks);
  return blockwiseArray(dist, name, builtin("array.random"), [
    { kind: "lit", value: spec },
    { kind: "perBlock", value: (idx) => idx.reduce((f, i, d) => f * nb[d]! + i, 0) },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) },
  ], chunks, dtype, []);
}

/** Uniform floats in [0, 1). @example da.random.random([1000, 1000], { chunks: 250, seed: 42 }) */
export function random(shape: readonly number[], options: RandomOptions = {}): TArray {
  return make("random", shape, [0, 1], options, "float64");
}

/** Uniform floats in [low, high). @example da.random.uniform([100], { low: -1, high: 1 }) */
export function uniform(shape: readonly number[], options: RandomOptions & { low?: number; high?: number } = {}): TArray {
  const low = options.low ?? 0, high = options.high ?? 1;
  if (!(high >= low)) throw Errors.badOption("uniform high", high, `a number at least low (${low})`);
  return make("uniform", shape, [low, high], options, "float64");
}

/** Normally distributed floats. @example da.random.normal([1e6], { loc: 10, scale: 2, seed: 1 }) */
export function normal(shape: readonly number[], options: RandomOptions & { loc?: number; scale?: number } = {}): TArray {
  const scale = options.scale ?? 1;
  if (!(scale >= 0)) throw Errors.badOption("normal scale", scale, "a non-negative number");
  return make("normal", shape, [options.loc ?? 0, scale], options, "float64");
}

/** Integers in [low, high) (int32 unless dtype says otherwise). @example da.random.randint([10], { low: 0, high: 6 }) */
export function randint(shape: readonly number[], options: RandomOptions & { low?: number; high: number }): TArray {
  const low = options.low ?? 0, high = options?.high;
  if (!Number.isInteger(low) || !Number.isInteger(high) || high <= low) throw Errors.badOption("randint { low, high }", [low, high], "integers with low < high");
  return make("randint", shape, [low, high], options, "int32");
}
