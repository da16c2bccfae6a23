/**
 * Joining and repeating: concatenate, stack, repeat, tile.
 *
 * concatenate and stack do not copy: each output block is an input block
 * under a new key (an alias task), after the inputs are cast to one dtype
 * and cut alike along the other dimensions.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { normalizeAxis, refine, requireKnown } from "./chunks";
import { promote } from "./dtype";
import { arrayMeta, blockArg, blockwiseArray, fromLayer, layerName } from "./core";
import { astype } from "./elementwise";
import { expandDims, ravel } from "./reshape";
import { TArray } from "./array";

/**
 * Arrays joined along an existing axis.
 * @example da.concatenate([x, y], { axis: 0 })
 */
export function concatenate(arrays: readonly TArray[], options: { axis?: number } = {}): TArray {
  if (!Array.isArray(arrays) || arrays.length === 0 || arrays.some((a) => !(a instanceof TArray))) {
    throw Errors.badOption("concatenate(arrays)", arrays, "a non-empty list of Tessera arrays");
  }
  const nd = arrays[0]!.ndim;
  if (nd === 0) throw Errors.badInput("concatenate: zero-dimensional arrays cannot be concatenated (stack them instead)");
  const axis = normalizeAxis(options.axis ?? 0, nd);
  for (const a of arrays) {
    if (a.ndim !== nd) throw Errors.badInput(`concatenate: all arrays need ${nd} dimensions, but one has shape [${a.shape.join(", ")}]`);
    a.shape.forEach((s: number, d: number) => {
      if (d !== axis && s !== arrays[0]!.shape[d]) {
        throw Errors.badInput(`concatenate: shapes [${arrays.map((x) => x.shape.join(", ")).join("] [")}] differ along axis ${d} (only axis ${axis} may differ)`);
      }
    });
  }
  if (arrays.length === 1) return arrays[0]!;
  const dtype = arrays.map((a) => a.dtype).reduce(promote);
  const cast = arrays.map((a) => astype(a, dtype));
  // Cut alike along the other dimensions (the axis itself keeps each array's chunks).
  const common = cast[0]!.shape.map((_, d) => (d === axis ? [] : cast.map((a) => a.chunks[d]!).reduce((p, c) => refine(p, c))));
  const unified = cast.map((a) => {
    const want = a.chunks.map((c, d) => (d === axis ? c : common[d]!));
    return want.every((w, d) => w.length === a.chunks[d]!.length && w.every((s, i) => s === a.chunks[d]![i])) ? a : a.rechunk(want);
  });
  const chunks = unified[0]!.chunks.map((c, d) => (d === axis ? unified.flatMap((a) => [...a.chunks[axis]!]) : [...c]));
  const starts: number[] = [];
  let n = 0;
  for (const a of unified) starts.push(n), (n += a.numblocks[axis]!);
  const name = layerName("concatenate", unified.map((a) => a.name), axis);
  const nb = chunks.map((c) => c.length);
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex(nb, (idx) => {
      let k = starts.length - 1;
      while (starts[k]! > idx[axis]!) k--;
      const src = idx.map((i, d) => (d === axis ? i - starts[k]! : i));
      out.set(JSON.stringify([name, ...idx]), task(builtin("array.alias"), [ref([unified[k]!.name, ...src])]));
    });
    return out;
  };
  const layer = new LazyLayer(name, "concatenate", nb.reduce((a, b) => a * b, 1), generate, unified.map((a) => a.name), arrayMeta(chunks, dtype));
  return fromLayer(layer, chunks, dtype, unified);
}

/**
 * Arrays of one shape joined along a new axis.
 * @example da.stack([x, y]) // shape [2, ...x.shape]
 */
export function stack(arrays: readonly TArray[], options: { axis?: number } = {}): TArray {
  if (!Array.isArray(arrays) || arrays.length === 0 || arrays.some((a) => !(a instanceof TArray))) {
    throw Errors.badOption("stack(arrays)", arrays, "a non-empty list of Tessera arrays");
  }
  const shape = arrays[0]!.shape;
  for (const a of arrays) {
    if (a.ndim !== shape.length || a.shape.some((s: number, d: number) => s !== shape[d])) {
      throw Errors.badInput(`stack: all arrays need the same shape, got [${arrays.map((x) => x.shape.join(", ")).join("] and [")}]`);
    }
  }
  const axis = normalizeAxis(options.axis ?? 0, shape.length + 1);
  return concatenate(arrays.map((a) => expandDims(a, axis)), { axis });
}

/** Each element repeated `repeats` times along `axis` (the flattened array without one). */
export function repeat(x: TArray, repeats: number, axis?: number): TArray {
  if (!Number.isInteger(repeats) || repeats < 0) throw Errors.badOption("repeat(repeats)", repeats, "a non-negative integer");
  if (axis === undefined) return repeat(ravel(x), repeats, 0);
  const a = normalizeAxis(axis, x.ndim);
  requireKnown(x.chunks, "repeat", [a]);
  if (repeats === 1) return x;
  const chunks = x.chunks.map((c, d) => (d === a ? c.map((s) => s * repeats) : c));
  const name = layerName("repeat", x.name, repeats, a);
  return blockwiseArray("repeat", name, builtin("array.repeat"), [blockArg(x), { kind: "lit", value: repeats }, { kind: "lit", value: a }], chunks, x.dtype, [x]);
}

/** The whole array repeated `reps` times per dimension, as NumPy's tile. */
export function tile(x: TArray, reps: number | readonly number[]): TArray {
  const r = typeof reps === "number" ? [reps] : [...reps];
  if (r.some((v) => !Number.isInteger(v) || v < 0)) throw Errors.badOption("tile(reps)", reps, "non-negative integers");
  let y = x;
  while (y.ndim < r.length) y = expandDims(y, 0);
  const full = [...new Array(y.ndim - r.length).fill(1), ...r];
  full.forEach((n, d) => {
    if (n === 0) y = y.slice(...full.map((_, e) => (e === d ? [0, 0] : [null, null])));
    else if (n > 1) y = concatenate(new Array(n).fill(y), { axis: d });
  });
  return y;
}
