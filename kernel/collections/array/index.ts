/**
 * Tessera Array, the `da` namespace: `da.fromArray`, `da.zeros`,
 * `da.random.random`, … and the TArray class their results are.
 */
import "./fusion";
import * as creation from "./creation";
import * as rand from "./random";
import { concatenate, stack } from "./join";
import { where } from "./elementwise";
import { dot, matmul, tensordot } from "./linalg";
import { blockwise, mapBlocks } from "./map";
import { fromDelayed } from "./delayed";
import { fromZarr, toZarr } from "./zarr";


export const da = {
  fromArray: creation.fromArray,
  zeros: creation.zeros,
  ones: creation.ones,
  full: creation.full,
  empty: creation.empty,
  arange: creation.arange,
  linspace: creation.linspace,
  eye: creation.eye,
  random: { random: rand.random, uniform: rand.uniform, normal: rand.normal, randint: rand.randint },
  fromDelayed,
  concatenate,
  stack,
  where,
  dot,
  matmul,
  tensordot,
  mapBlocks,
  blockwise,
  fromZarr,
  toZarr,
} as const;

export { TArray, ArrayResult } from "./array";
export { NDArray, ChunkData, Element } from "./ndarray";
export { DType, DTYPES, Complex, Scalar, promote, promoteScalar } from "./dtype";
export { ChunkSpec, Chunks } from "./chunks";
export { IndexItem } from "./slicing";
export { MapBlocksOptions } from "./map";
export { BlockInfo } from "./kernels/user";
export { ToZarrOptions, FromZarrOptions } from "./zarr";
