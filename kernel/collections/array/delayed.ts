/**
 * Between arrays and Delayed: a Delayed per block (toDelayed), and a
 * one-block array from a Delayed value (fromDelayed), checked against the
 * declared shape and dtype when it is computed.
 */
import { Errors } from "../../errors";
import { Key, LayeredGraph, MaterializedLayer, builtin, keyStr, ref, task, forEachIndex } from "../../graph";
import { Delayed } from "../delayed";
import { checkDType, DType } from "./dtype";
import { NDArray } from "./ndarray";
import { arrayMeta, layerName } from "./core";
import { TArray } from "./array";

/** A block of an array as a Delayed; computing it gives an NDArray. */
class BlockDelayed extends Delayed<NDArray> {
  override finalize(results: unknown[]): NDArray {
    return NDArray.from(results[0] as NDArray);
  }
  override withGraph(graph: LayeredGraph): this {
    return new BlockDelayed(this.key, graph) as this;
  }
}

/** Nested lists (by block grid) of one Delayed per block. */
export function toDelayed(x: TArray): unknown {
  const g = x.graph();
  const grid: unknown[] = [];
  forEachIndex(x.numblocks, (idx) => {
    let level = grid;
    for (let d = 0; d < idx.length - 1; d++) level = (level[idx[d]!] ??= []) as unknown[];
    // A Delayed's key is a plain string: an alias task names the block that way.
    const key = `${x.name}-block-${idx.join("-") || "0"}`;
    const layer = new MaterializedLayer(key, "to-delayed", new Map([[key, task(builtin("array.alias"), [ref([x.name, ...idx])])]]), [x.name], { collection: "delayed" });
    const d = new BlockDelayed(key, LayeredGraph.from(layer, g));
    if (idx.length === 0) grid.push(d);
    else level[idx[idx.length - 1]!] = d;
  });
  return x.ndim === 0 ? grid[0] : grid;
}

/**
 * A one-block array from a Delayed that computes to an NDArray, a typed array, nested lists or a number.
 * @example da.fromDelayed(delayed(load)("part-1"), { shape: [1000], dtype: "float64" })
 */
export function fromDelayed(value: Delayed<unknown>, options: { shape: readonly number[]; dtype: DType }): TArray {
  if (!(value instanceof Delayed)) throw Errors.badOption("fromDelayed(value)", value, "a Delayed (from delayed(...))");
  const shape = options?.shape;
  if (!Array.isArray(shape) || shape.some((s) => !Number.isInteger(s) || s < 0)) throw Errors.badOption("fromDelayed shape", shape, "the value's shape, a list of non-negative integers");
  const dtype = checkDType(options.dtype, "fromDelayed dtype");
  const name = layerName("from-delayed", value.key, shape, dtype);
  const chunks = shape.map((s) => [s]);
  const key = keyStr([name, ...shape.map(() => 0)] as Key);
  const layer = new MaterializedLayer(name, "from-delayed", new Map([[key, task(builtin("array.fromValue"), [ref(value.key), shape, dtype])]]), [value.key], arrayMeta(chunks, dtype));
  return new TArray(name, chunks, dtype, LayeredGraph.from(layer, value.graph()));
}
