/**
 * Shape changes: transpose, reshape / ravel, squeeze, expandDims.
 *
 * Reshape works block by block, as Dask's: dimensions are matched in groups
 * whose lengths multiply alike ((a, b) -> (a·b) merges, (a·b) -> (a, b)
 * splits); in a merge the inner input dimensions are first made whole, in a
 * split the input chunks are made multiples of the inner output length.
 * Then every input block is exactly one output block, in C order, and the
 * reshape of a block is free (same memory, new shape). Groups that do not
 * factor ((6, 4) -> (4, 6)) fall back to whole trailing dimensions.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { Chunks, normalizeAxes, normalizeAxis, requireKnown, sameChunks } from "./chunks";
import { arrayMeta, blockArg, blockwiseArray, fromLayer, layerName, letters } from "./core";
import { rechunk } from "./rechunk";
import { TArray } from "./array";

/** Axes permuted; reversed when `axes` is omitted. */
export function transpose(x: TArray, axes?: readonly number[]): TArray {
  const nd = x.ndim;
  const perm = axes === undefined ? Array.from({ length: nd }, (_, d) => nd - 1 - d) : axes.map((a) => normalizeAxis(a, nd, "transpose axes"));
  if (perm.length !== nd || new Set(perm).size !== nd) {
    throw Errors.badOption("transpose(axes)", axes, `a permutation of 0..${nd - 1} (one entry per dimension, each once)`);
  }
  if (perm.every((p, d) => p === d)) return x;
  if (x.transposeOf !== undefined && nd === 2) return x.transposeOf;
  const out = letters(nd);
  const inInd = Array.from({ length: nd }, (_, k) => out[perm.indexOf(k)]!).join("");
  const chunks = perm.map((p) => x.chunks[p]!);
  const name = layerName("transpose", x.name, perm);
  const t = blockwiseArray("transpose", name, builtin("array.transpose"), [blockArg(x, inInd), { kind: "lit", value: perm }], chunks, x.dtype, [x]);
  return nd === 2 ? new TArray(t.name, t.chunks, t.dtype, t.graph(), x) : t;
}

const prod = (xs: readonly number[]) => xs.reduce((a, b) => a * b, 1);

interface Group {
  inDims: number[];
  outDims: number[];
}

/** Same elements in C order, another shape; one length may be -1. */
export function reshape(x: TArray, shapeIn: readonly number[]): TArray {
  requireKnown(x.chunks, "reshape");
  const shape = resolveShape(shapeIn, x.size, x.shape);
  if (shape.length === x.ndim && shape.every((s, d) => s === x.shape[d])) return x;
  if (x.size === 0 || x.npartitions === 1) return reshapeBlocks(rechunk(x, x.shape.map((s) => (s === 0 ? [0] : [s])) as number[][]), shape, shape.map((s) => (s === 0 ? [0] : [s])), [{ inDims: x.shape.map((_, d) => d), outDims: shape.map((_, d) => d) }]);
  const groups = matchGroups(x.shape, shape);
  const inChunks: number[][] = x.chunks.map((c) => [...c]);
  const outChunks: number[][] = shape.map(() => []);
  for (const g of groups) {
    const { inDims, outDims } = g;
    if (inDims.length === 0) {
      for (const o of outDims) outChunks[o] = [1];
      continue;
    }
    const lead = inDims[0]!;
    for (const d of inDims.slice(1)) inChunks[d] = [x.shape[d]!];
    const innerIn = prod(inDims.slice(1).map((d) => x.shape[d]!));
    const innerOut = prod(outDims.slice(1).map((d) => shape[d]!));
    // Lead input chunks must hold whole rows of the output group's inner dimensions.
    const unit = lcm(innerIn, innerOut) / innerIn;
    inChunks[lead] = multiples(x.chunks[lead]!, unit);
    for (const o of outDims.slice(1)) outChunks[o] = [shape[o]!];
    if (outDims.length > 0) outChunks[outDims[0]!] = inChunks[lead]!.map((c) => (c * innerIn) / innerOut);
  }
  const y = sameChunks(inChunks, x.chunks) ? x : rechunk(x, inChunks);
  return reshapeBlocks(y, shape, outChunks, groups);
}

function reshapeBlocks(y: TArray, shape: readonly number[], outChunks: Chunks, groups: readonly Group[]): TArray {
  const name = layerName("reshape", y.name, shape, outChunks);
  const nb = outChunks.map((c) => c.length);
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex(nb, (idx) => {
      const inIdx = new Array<number>(y.ndim).fill(0);
      for (const g of groups) if (g.inDims.length > 0 && g.outDims.length > 0) inIdx[g.inDims[0]!] = idx[g.outDims[0]!]!;
      out.set(JSON.stringify([name, ...idx]), task(builtin("array.reshape"), [ref([y.name, ...inIdx]), idx.map((i, d) => outChunks[d]![i]!)]));
    });
    return out;
  };
  return fromLayer(new LazyLayer(name, "reshape", prod(nb), generate, [y.name], arrayMeta(outChunks, y.dtype)), outChunks, y.dtype, [y]);
}

function resolveShape(shape: readonly number[], size: number, from: readonly number[]): number[] {
  if (!Array.isArray(shape) || shape.some((s) => !Number.isInteger(s) || s < -1)) throw Errors.badOption("reshape(shape)", shape, "a list of non-negative integers, with at most one -1");
  const unknown = shape.filter((s) => s === -1).length;
  if (unknown > 1) throw Errors.badOption("reshape(shape)", shape, "a shape with at most one -1");
  const known = prod(shape.filter((s) => s !== -1));
  const out = shape.map((s) => (s === -1 ? (known === 0 ? 0 : size / known) : s));
  if (prod(out) !== size || out.some((s) => !Number.isInteger(s))) {
    throw Errors.badInput(`cannot reshape an array of shape [${from.join(", ")}] (${size} elements) into shape [${shape.join(", ")}]: the lengths must multiply to ${size}`);
  }
  return out;
}

/** Groups of dimensions whose lengths multiply alike, from the last dimensions back. */
function matchGroups(a: readonly number[], b: readonly number[]): Group[] {
  const groups: Group[] = [];
  let i = a.length - 1, o = b.length - 1;
  while (i >= 0 || o >= 0) {
    if (i >= 0 && a[i] === 1 && !(o >= 0 && b[o] === 1)) { groups.push({ inDims: [i--], outDims: [] }); continue; }
    if (o >= 0 && b[o] === 1 && !(i >= 0 && a[i] === 1)) { groups.push({ inDims: [], outDims: [o--] }); continue; }
    const g: Group = { inDims: [i], outDims: [o] };
    let pa = a[i]!, pb = b[o]!;
    i--, o--;
    while (pa !== pb) {
      if (pa < pb) { if (i < 0) break; pa *= a[i]!; g.inDims.unshift(i--); }
      else { if (o < 0) break; pb *= b[o]!; g.outDims.unshift(o--); }
    }
    groups.push(g);
  }
  return groups;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

/** Chunk sizes near `sizes`, each a multiple of `unit` (the dimension's length is one). */
function multiples(sizes: readonly number[], unit: number): number[] {
  if (unit === 1) return [...sizes];
  const total = sizes.reduce((s, c) => s + c, 0);
  const out: number[] = [];
  let at = 0, bound = 0;
  for (const c of sizes) {
    bound += c;
    const cut = Math.min(total, Math.max(at + unit, Math.round(bound / unit) * unit));
    if (cut > at) out.push(cut - at), (at = cut);
  }
  if (at < total) out[out.length - 1]! += total - at;
  return out;
}

/** The elements as a 1-D array (C order). */
export function ravel(x: TArray): TArray {
  return reshape(x, [x.size]);
}

/** Length-1 axes removed (all of them, or the given ones). */
export function squeeze(x: TArray, axis?: number | number[]): TArray {
  const axes = axis === undefined ? x.shape.flatMap((s, d) => (s === 1 ? [d] : [])) : normalizeAxes(axis, x.ndim);
  for (const d of axes) {
    if (x.shape[d] !== 1) throw Errors.badInput(`squeeze: cannot remove axis ${d}, its length is ${x.shape[d]}, not 1`);
  }
  if (axes.length === 0) return x;
  const inInd = letters(x.ndim);
  const outInd = [...inInd].filter((_, d) => !axes.includes(d)).join("");
  const chunks = x.chunks.filter((_, d) => !axes.includes(d));
  const name = layerName("squeeze", x.name, axes);
  return blockwiseArray("squeeze", name, builtin("array.reshape"), [blockArg(x, inInd), { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) }], chunks, x.dtype, [x], outInd);
}

/** A length-1 axis inserted at `axis` (which may be -1 for the end). */
export function expandDims(x: TArray, axis: number): TArray {
  const a = normalizeAxis(axis, x.ndim + 1, "expandDims(axis)");
  const outInd = letters(x.ndim + 1);
  const inInd = [...outInd].filter((_, d) => d !== a).join("");
  const chunks = [...x.chunks.slice(0, a), [1], ...x.chunks.slice(a)];
  const name = layerName("expand-dims", x.name, a);
  return blockwiseArray("expand-dims", name, builtin("array.reshape"), [blockArg(x, inInd), { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) }], chunks, x.dtype, [x], outInd);
}
