/**
 * Boolean masks (x[m] in NumPy) and measuring the chunk sizes they leave
 * unknown. A mask of x's shape gives a 1-D array, one block per block of x
 * in C order; a 1-D mask along axis 0 keeps the other dimensions. The sizes
 * of the result's blocks are NaN until computeChunkSizes() measures them.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, keyStr, ref, task } from "../../graph";
import { compute } from "../compute";
import { Chunks } from "./chunks";
import { arrayMeta, blockArg, blockwiseArray, fromLayer, layerName } from "./core";
import { unifyChunks } from "./elementwise";
import { TArray } from "./array";

export function mask(x: TArray, m: TArray): TArray {
  if (!(m instanceof TArray)) throw Errors.badOption("mask(m)", m, "a boolean Tessera array, e.g. x.gt(0)");
  if (m.dtype !== "bool") throw Errors.badInput(`mask: the mask must have dtype bool, got ${m.dtype}: compare first, e.g. x.mask(x.gt(0))`);
  const same = m.ndim === x.ndim && m.shape.every((s, d) => s === x.shape[d]);
  if (m.ndim === 1 && x.ndim > 1 && m.shape[0] === x.shape[0]) {
    const mm = m.chunks[0]!.length === x.chunks[0]!.length && m.chunks[0]!.every((c, i) => c === x.chunks[0]![i]) ? m : m.rechunk([x.chunks[0]!]);
    const chunks: Chunks = [x.chunks[0]!.map(() => NaN), ...x.chunks.slice(1)];
    const name = layerName("mask", x.name, mm.name);
    return blockwiseArray("mask", name, builtin("array.mask"), [blockArg(x), blockArg(mm, "a")], chunks, x.dtype, [x, mm]);
  }
  if (!same) {
    throw Errors.badInput(`mask: a mask of shape [${m.shape.join(", ")}] does not fit an array of shape [${x.shape.join(", ")}]: use a mask of the same shape, or a 1-D mask along axis 0`);
  }
  const { arrays: [xu, mu] } = unifyChunks([x, m], x.shape);
  const nb = xu!.numblocks;
  const count = nb.reduce((a, b) => a * b, 1);
  const chunks: Chunks = [new Array(count).fill(NaN)];
  const name = layerName("mask", xu!.name, mu!.name);
  const generate = () => {
    const out = new Map<string, Task>();
    let f = 0;
    forEachIndex(nb, (idx) => out.set(JSON.stringify([name, f++]), task(builtin("array.mask"), [ref([xu!.name, ...idx]), ref([mu!.name, ...idx])])));
    return out;
  };
  return fromLayer(new LazyLayer(name, "mask", count, generate, [xu!.name, mu!.name], arrayMeta(chunks, x.dtype)), chunks, x.dtype, [xu!, mu!]);
}

/** The same array with every chunk size known (computes each block's shape). */
export async function computeChunkSizes(x: TArray): Promise<TArray> {
  if (!x.chunks.some((c) => c.some(Number.isNaN))) return x;
  const name = layerName("chunk-shapes", x.name);
  const keys = x.keys().map(keyStr);
  const generate = () => new Map(keys.map((k, i) => [JSON.stringify([name, i]), task(builtin("array.shape"), [ref(JSON.parse(k))])] as [string, Task]));
  const layer = new LazyLayer(name, "chunk-shapes", keys.length, generate, [x.name]);
  const probe = {
    graph: () => fromLayer(layer, [keys.map(() => 1)], "int32", [x]).graph(),
    keys: () => keys.map((_, i) => [name, i] as [string, number]),
    finalize: (r: unknown[]) => r as number[][],
  };
  const [shapes] = (await compute([probe as never])) as unknown as [number[][]];
  const nb = x.numblocks;
  const chunks = nb.map((n, d) => {
    const out: number[] = [];
    const stride = nb.slice(d + 1).reduce((a, b) => a * b, 1);
    for (let i = 0; i < n; i++) out.push(shapes[i * stride]![d]!);
    return out;
  });
  return new TArray(x.name, chunks, x.dtype, x.graph());
}

