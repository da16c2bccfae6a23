/**
 * Shared pieces of the array graph builders: index letters, layer metadata,
 * and making a TArray from a new layer. Every array operation is one layer
 * named `${op}-${token}`, whose token covers the operation's inputs and
 * parameters, so the same expression built twice has the same keys.
 */
import { Errors } from "../../errors";
import { BlockArg, BlockwiseLayer, Callable, Layer, LayerMeta, LayeredGraph, tokenize } from "../../graph";
import { Chunks, numblocks, shapeOf } from "./chunks";
import { DType } from "./dtype";
import { TArray } from "./array";

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** Index letters for n dimensions ("abc"), optionally skipping some already in use. */
export function letters(n: number, from = 0): string {
  if (from + n > LETTERS.length) throw Errors.badInput(`arrays of more than ${LETTERS.length} dimensions are not supported (got ${from + n})`);
  return LETTERS.slice(from, from + n);
}

export function arrayMeta(chunks: Chunks, dtype: DType, extra: Record<string, unknown> = {}): LayerMeta {
  return { collection: "array", chunks, shape: shapeOf(chunks), dtype, ...extra };
}

export function layerName(op: string, ...inputs: unknown[]): string {
  return `${op}-${tokenize(op, ...inputs)}`;
}

/** The block argument reading all of `x`, its dimensions lettered `ind`. */
export function blockArg(x: TArray, ind?: string): BlockArg {
  return { kind: "block", name: x.name, ind: ind ?? letters(x.ndim), numblocks: numblocks(x.chunks) };
}

/** A TArray computed by one blockwise layer over the given inputs. */
export function blockwiseArray(
  op: string, name: string, fn: Callable, args: BlockArg[], chunks: Chunks, dtype: DType, inputs: readonly TArray[], ind?: string,
): TArray {
  const layer = new BlockwiseLayer({ name, op, ind: ind ?? letters(chunks.length), numblocks: numblocks(chunks), fn, args, meta: arrayMeta(chunks, dtype) });
  return fromLayer(layer, chunks, dtype, inputs);
}

/** A TArray whose chunks are the tasks of `layer` (keys [layer.name, ...block index]). */
export function fromLayer(layer: Layer, chunks: Chunks, dtype: DType, inputs: readonly TArray[]): TArray {
  return new TArray(layer.name, chunks, dtype, LayeredGraph.from(layer, ...inputs.map((x) => x.graph())));
}
