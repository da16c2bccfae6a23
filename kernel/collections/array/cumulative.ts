/**
 * cumsum / cumprod along an axis, as Dask's: every block's own running
 * total in parallel; then a short sequential chain over the blocks' last
 * slices gives each block the total of the blocks before it (its carry);
 * then each block adds (multiplies) its carry, broadcast along the axis.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { normalizeAxis, requireKnown } from "./chunks";
import { isComplex, sumDType } from "./dtype";
import { Expr, input } from "./expr";
import { arrayMeta, blockArg, blockwiseArray, fromLayer, layerName } from "./core";
import { ravel } from "./reshape";
import type { TArray } from "./array";

export function cumulative(x: TArray, op: "cumsum" | "cumprod", axis?: number): TArray {
  if (axis === undefined) return cumulative(ravel(x), op, 0);
  const a = normalizeAxis(axis, x.ndim);
  requireKnown(x.chunks, op, [a]);
  if (isComplex(x.dtype)) throw Errors.badInput(`${op} of a complex array is not supported: apply it to x.real() and x.imag() apart`);
  const prod = op === "cumprod";
  const dtype = sumDType(x.dtype);
  const local = blockwiseArray(`${op}-local`, layerName(`${op}-local`, x.name, a), builtin("array.cumulative"),
    [blockArg(x), { kind: "lit", value: a }, { kind: "lit", value: prod }, { kind: "lit", value: dtype }], x.chunks, dtype, [x]);
  const nbAxis = x.numblocks[a]!;
  if (nbAxis === 1) return local;
  const lastChunks = x.chunks.map((c, d) => (d === a ? c.map(() => 1) : c));
  const totals = blockwiseArray(`${op}-last`, layerName(`${op}-last`, local.name), builtin("array.last"), [blockArg(local), { kind: "lit", value: a }], lastChunks, dtype, [local]);
  const combineExpr: Expr = { k: "op", op: prod ? "mul" : "add", a: [input(0, dtype), input(1, dtype)], dt: dtype };
  const nb = x.numblocks;
  // carry[k] = carry[k-1] (+) totals[k-1]; carry[0] does not exist.
  const carryName = layerName(`${op}-carry`, totals.name);
  const carryNb = nb.map((n, d) => (d === a ? n : n));
  const carries = () => {
    const out = new Map<string, Task>();
    forEachIndex(carryNb, (idx) => {
      const k = idx[a]!;
      if (k === 0) return;
      const prev = idx.map((i, d) => (d === a ? k - 1 : i));
      const t = k === 1
        ? task(builtin("array.alias"), [ref([totals.name, ...prev])])
        : task(builtin("array.map"), [combineExpr, ref([carryName, ...prev]), ref([totals.name, ...prev])]);
      out.set(JSON.stringify([carryName, ...idx]), t);
    });
    return out;
  };
  const carryLayer = new LazyLayer(carryName, `${op}-carry`, (nb.reduce((p, n) => p * n, 1) / nbAxis) * (nbAxis - 1), carries, [totals.name], arrayMeta(lastChunks, dtype));
  const carryArr = fromLayer(carryLayer, lastChunks, dtype, [totals]);
  const outName = layerName(op, local.name, carryName);
  const finish = () => {
    const out = new Map<string, Task>();
    forEachIndex(nb, (idx) => {
      const t = idx[a] === 0
        ? task(builtin("array.alias"), [ref([local.name, ...idx])])
        : task(builtin("array.map"), [combineExpr, ref([local.name, ...idx]), ref([carryName, ...idx])]);
      out.set(JSON.stringify([outName, ...idx]), t);
    });
    return out;
  };
  const layer = new LazyLayer(outName, op, nb.reduce((p, n) => p * n, 1), finish, [local.name, carryName], arrayMeta(x.chunks, dtype));
  return fromLayer(layer, x.chunks, dtype, [local, carryArr]);
}
