/**
 * User functions over blocks: mapBlocks (block i of every input, broadcast
 * alike) and blockwise (Dask's index notation, with contractions).
 *
 * The function runs on worker threads: it must be self-contained, with the
 * values it needs passed as `captures` (a closure is refused before
 * anything runs, with the fix; the sync scheduler runs real closures). It
 * receives NDArrays and a BlockInfo, and returns an NDArray, a typed array
 * or a number, which is checked against the declared dtype and chunks.
 */
import { Errors } from "../../errors";
import { BlockArg, builtin } from "../../graph";
import { toCallable } from "../../worker/callable";
import { ChunkSpec, Chunks, normalizeChunks, offsets, refine } from "./chunks";
import { DType, checkDType, dtypeInfo } from "./dtype";
import { blockArg, blockwiseArray, layerName, letters } from "./core";
import { broadcastShape, unifyChunks } from "./elementwise";
import { TArray } from "./array";
import type { BlockInfo } from "./kernels/user";

export interface MapBlocksOptions {
  /** dtype of the blocks the function returns (default: the first input's). */
  dtype?: DType;
  /** Chunks of the result: one block shape for all blocks, or explicit sizes per dimension (default: the inputs'). */
  chunks?: ChunkSpec;
  /** Values the function reads by name (structured-cloneable). */
  captures?: Record<string, unknown>;
  /** A name for the layer (default "map-blocks"). */
  name?: string;
}

function outChunks(spec: ChunkSpec | undefined, base: Chunks, itemsize: number): Chunks {
  if (spec === undefined) return base;
  if (Array.isArray(spec) && spec.every((s) => typeof s === "number") && spec.length === base.length) {
    // One block shape for every block (Dask's chunks=(2, 2)).
    return base.map((c, d) => c.map(() => spec[d] as number));
  }
  return normalizeChunks(spec, base.map((c) => c.reduce((a, b) => a + b, 0)), itemsize);
}

function info(chunks: Chunks, dtype: DType): (idx: readonly number[]) => BlockInfo {
  const offs = chunks.map(offsets);
  return (idx) => ({
    index: [...idx],
    location: idx.map((i, d) => [offs[d]![i]!, offs[d]![i + 1]!] as const),
    shape: idx.map((i, d) => chunks[d]![i]!),
    dtype,
  });
}

/**
 * fn applied to block i of every input.
 * @example da.mapBlocks((a, b) => ..., [x, y], { dtype: "float64" })
 */
export function mapBlocks(fn: Function, arrays: readonly TArray[], options: MapBlocksOptions = {}): TArray {
  if (typeof fn !== "function") throw Errors.badOption("mapBlocks(fn)", fn, "a function");
  if (arrays.length === 0 || arrays.some((a) => !(a instanceof TArray))) throw Errors.badOption("mapBlocks arrays", arrays, "one or more Tessera arrays");
  const dtype = options.dtype === undefined ? arrays[0]!.dtype : checkDType(options.dtype, "mapBlocks dtype");
  const shape = broadcastShape(arrays.map((a) => a.shape));
  const { arrays: unified, chunks: base } = unifyChunks(arrays, shape);
  const chunks = outChunks(options.chunks, base, dtypeInfo(dtype).itemsize);
  if (chunks.some((c, d) => c.length !== base[d]!.length)) {
    throw Errors.badOption("mapBlocks chunks", options.chunks, `as many blocks per dimension as the inputs have (${base.map((c) => c.length).join(" × ")})`);
  }
  const callable = toCallable(fn, options.captures === undefined ? {} : { captures: options.captures });
  const nd = shape.length;
  const ind = letters(nd);
  const blockInfo = info(chunks, dtype);
  const inner: BlockArg[] = unified.map((a) => ({ kind: "sub", fn: builtin("array.nd"), args: [blockArg(a, ind.slice(nd - a.ndim))] }));
  inner.push({ kind: "perBlock", value: blockInfo });
  const op = options.name ?? "map-blocks";
  const name = layerName(op, callable, unified.map((a) => a.name), chunks, dtype);
  return blockwiseArray(op, name, builtin("array.user"), [{ kind: "perBlock", value: blockInfo }, { kind: "sub", fn: callable, args: inner }], chunks, dtype, unified);
}

/**
 * Dask's blockwise: fn over blocks chosen by index letters. Letters of an
 * input that are not in `outInd` are contracted: fn receives the list of
 * blocks along them.
 * @example da.blockwise(fn, "ij", [x, "ij"], [y, "j"], { dtype: "float64" })
 * @example da.blockwise(rowSums, "i", [x, "ij"], { dtype: "float64", chunks: [x.chunks[0], [1]] })
 */
export function blockwise(fn: Function, outInd: string, ...rest: unknown[]): TArray {
  const last = rest[rest.length - 1];
  const options: MapBlocksOptions = last !== undefined && !Array.isArray(last) ? (rest.pop() as MapBlocksOptions) : {};
  const pairs = rest as [TArray, string][];
  if (pairs.length === 0) throw Errors.badOption("blockwise inputs", rest, "pairs [array, index letters], e.g. [x, \"ij\"]");
  for (const p of pairs) {
    if (!Array.isArray(p) || !(p[0] instanceof TArray) || typeof p[1] !== "string" || p[1].length !== p[0].ndim) {
      throw Errors.badOption("blockwise input", p, "[array, index letters] with one letter per dimension of the array");
    }
  }
  const callable = toCallable(fn, options.captures === undefined ? {} : { captures: options.captures });
  // Chunks per letter: the common refinement over every input that has it.
  const byLetter = new Map<string, number[]>();
  for (const [a, ind] of pairs) [...ind].forEach((l, d) => byLetter.set(l, byLetter.has(l) ? refine(byLetter.get(l)!, a.chunks[d]!) : [...a.chunks[d]!]));
  const inputs = pairs.map(([a, ind]) => {
    const want = [...ind].map((l) => byLetter.get(l)!);
    return want.every((w, d) => w.length === a.chunks[d]!.length) ? a : a.rechunk(want);
  });
  for (const l of outInd) if (!byLetter.has(l)) throw Errors.badInput(`blockwise: output index "${l}" is in no input's index; every output letter must come from an input`);
  const dtype = options.dtype === undefined ? inputs[0]!.dtype : checkDType(options.dtype, "blockwise dtype");
  const base = [...outInd].map((l) => byLetter.get(l)!);
  const chunks = outChunks(options.chunks, base, dtypeInfo(dtype).itemsize);
  const blockInfo = info(chunks, dtype);
  const inner: BlockArg[] = inputs.map((a, k) => {
    const ind = pairs[k]![1];
    const over = [...ind].filter((l) => !outInd.includes(l)).join("");
    if (over === "") return { kind: "sub", fn: builtin("array.nd"), args: [blockArg(a, ind)] };
    return { kind: "sub", fn: builtin("array.ndList"), args: [{ kind: "blocks", name: a.name, ind, numblocks: a.numblocks, over }] };
  });
  inner.push({ kind: "perBlock", value: blockInfo });
  const op = options.name ?? "blockwise";
  const name = layerName(op, callable, outInd, pairs.map(([a, i]) => [a.name, i]), chunks, dtype);
  return blockwiseArray(op, name, builtin("array.user"), [{ kind: "perBlock", value: blockInfo }, { kind: "sub", fn: callable, args: inner }], chunks, dtype, inputs, outInd);
}
