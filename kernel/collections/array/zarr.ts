/**
 * Zarr v3 storage for arrays: `x.toZarr(path)` writes one Zarr chunk per
 * block, `da.fromZarr(path)` reads one block per Zarr chunk (or per chunk of
 * the `chunks` asked for). Both are one task per block, run on the workers
 * (io/zarr-block.ts), so an array larger than the memory limit streams
 * through: each block is made, written and released, or read, reduced and
 * released, as the scheduler's memory rules allow. The main thread only
 * writes or reads the array's metadata (io/zarr.ts).
 *
 * Zarr's chunk grid is regular (equal chunks, a shorter last one per axis),
 * so the chunks on disk are the array's own; an array chunked otherwise is
 * refused with the rechunk that fixes it, rather than rechunked behind the
 * user's back (a rechunk moves data between blocks and can cost more than
 * the write).
 */
import { Errors, preview } from "../../errors";
import { LazyLayer, LayeredGraph, Task, forEachIndex, keyStr, ref, task } from "../../graph";
import { toCallable } from "../../worker/callable";
import { ZarrSource, createZarr, openZarr } from "../../io/zarr";
import { ComputeOptions } from "../compute";
import { Delayed } from "../delayed";
import { ChunkSpec, Chunks, normalizeChunks, offsets, requireKnown } from "./chunks";
import { DType, checkDType, dtypeInfo } from "./dtype";
import { blockwiseArray, layerName } from "./core";
import type { TArray } from "./array";

const BLOCKS = require.resolve("../../io/zarr-block");

export interface ToZarrOptions extends ComputeOptions {
  /** Replace a Zarr array already at the path (default false). A folder of other files is never replaced. */
  overwrite?: boolean;
  /** "zstd" (level 1) or null for raw little-endian bytes (default: null, the fastest to write and read). */
  compression?: "zstd" | null;
  /** JSON-serialisable attributes stored in the array's zarr.json. */
  attributes?: Record<string, unknown>;
}

export interface FromZarrOptions {
  /** Chunks of the array read (default: the chunks on disk). See chunks.ts for the forms. */
  chunks?: ChunkSpec;
  /** The dtype the caller expects: an array on disk of another dtype is an error, not a silent surprise. */
  dtype?: DType;
}

const TO_OPTIONS = new Set(["overwrite", "compression", "attributes", "scheduler", "cluster", "signal", "optimize"]);

/** The chunk shape Zarr stores `chunks` with, or an error naming the axis and the rechunk to call. */
function regularChunkShape(chunks: Chunks, x: TArray): number[] {
  return chunks.map((c, d) => {
    const first = c[0] ?? 0;
    const regular = c.every((s, i) => (i < c.length - 1 ? s === first : s <= first));
    if (!regular) {
      const fix = `x.rechunk([${x.chunksize.join(", ")}]).toZarr(path)`;
      throw Errors.badInput(`toZarr: the chunks along axis ${d} are [${c.join(", ")}], which Zarr cannot store (it needs equal chunks, the last one possibly shorter): rechunk first, e.g. ${fix}`);
    }
    return first;
  });
}

/**
 * Writes the array to a Zarr v3 array on disk, one chunk per block, the
 * blocks computed and written on the workers. Resolves when every chunk is
 * written. Also `da.toZarr(x, path)`, as Dask's `da.to_zarr`.
 * @example await x.toZarr("data/x.zarr")
 * @example await da.toZarr(x, "data/x.zarr")
 * @example await x.rechunk([1000, 1000]).toZarr("x.zarr", { overwrite: true, compression: "zstd" })
 */
export async function toZarr(x: TArray, path: string, options: ToZarrOptions = {}): Promise<void> {
  if (typeof options !== "object" || options === null) throw Errors.badOption("toZarr(path, options)", options, "an options object");
  for (const k of Object.keys(options)) if (!TO_OPTIONS.has(k)) throw Errors.badOption(`toZarr option "${k}"`, (options as Record<string, unknown>)[k], `one of ${[...TO_OPTIONS].join(", ")}`);
  const { overwrite = false, compression = null, attributes = {}, ...computeOptions } = options;
  if (compression !== null && compression !== "zstd") throw Errors.badOption("toZarr: compression", compression, '"zstd" or null');
  requireKnown(x.chunks, "toZarr");
  const chunkShape = regularChunkShape(x.chunks, x);
  const target = { ...(await createZarr("toZarr", path, { shape: x.shape, chunkShape, dtype: x.dtype, overwrite, compression, attributes })), chunkShape };
  const name = layerName("to-zarr", x.name, target);
  const write = toCallable({ module: BLOCKS, export: "writeZarrBlock" });
  const count = toCallable({ module: BLOCKS, export: "countWritten" });
  const done = `${name}-done`;
  const blocks: number[][] = [];
  forEachIndex(x.numblocks, (idx) => blocks.push([...idx]));
  const generate = () => {
    const out = new Map<string, Task>();
    for (const idx of blocks) out.set(JSON.stringify([name, ...idx]), task(write, [target, idx, ref([x.name, ...idx])]));
    // The one key computed; not [name], which is the block key of a 0-d array.
    out.set(JSON.stringify([done]), task(count, blocks.map((idx) => ref([name, ...idx]))));
    return out;
  };
  const layer = new LazyLayer(name, "to-zarr", blocks.length + 1, generate, [x.name]);
  await new Delayed<number>(keyStr([done]), LayeredGraph.from(layer, x.graph())).compute(computeOptions);
}

/**
 * An array over a Zarr v3 array on disk, read block by block on the workers
 * when computed (nothing but the metadata is read now).
 * @example const y = await da.fromZarr("data/x.zarr")
 * @example const y = await da.fromZarr("x.zarr", { chunks: [2000, 2000], dtype: "float64" })
 */
export async function fromZarr(path: string, options: FromZarrOptions = {}): Promise<TArray> {
  if (typeof options !== "object" || options === null) throw Errors.badOption("fromZarr(path, options)", options, "an options object");
  for (const k of Object.keys(options)) if (k !== "chunks" && k !== "dtype") throw Errors.badOption(`fromZarr option "${k}"`, (options as Record<string, unknown>)[k], "one of chunks, dtype");
  const want = options.dtype === undefined ? undefined : checkDType(options.dtype, "fromZarr dtype");
  const info = await openZarr("fromZarr", path);
  const dtype = info.dtype as DType;
  if (want !== undefined && want !== dtype) {
    throw Errors.badInput(`fromZarr: ${preview(path)} holds ${dtype}, not ${want}: drop the dtype option, or convert after reading: (await da.fromZarr(${preview(path)})).astype("${want}")`);
  }
  const chunks = options.chunks === undefined
    ? info.shape.map((n, d) => diskChunks(n, info.chunkShape[d]!))
    : normalizeChunks(options.chunks, info.shape, dtypeInfo(dtype).itemsize);
  const src: ZarrSource = { path: info.path, token: info.token, dtype };
  const offs = chunks.map(offsets);
  const name = layerName("from-zarr", src, chunks);
  return blockwiseArray("from-zarr", name, toCallable({ module: BLOCKS, export: "readZarrRegion" }), [
    { kind: "lit", value: src },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => offs[d]![i]!) },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) },
  ], chunks, dtype, []);
}

/** Zarr's regular grid along one axis of length n: full chunks and a shorter last one. */
function diskChunks(n: number, c: number): number[] {
  if (n === 0) return [0];
  const out = new Array<number>(Math.floor(n / c)).fill(c);
  if (n % c > 0) out.push(n % c);
  return out;
}
