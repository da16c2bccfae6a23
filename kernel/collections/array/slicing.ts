/**
 * Basic indexing, as NumPy's: integers (negative count from the end), slices
 * start:stop:step (negative steps too), new axes, and one ellipsis.
 *
 * Out of range, the two differ as in NumPy, on purpose (users expect it): an
 * integer index outside the axis is an error naming the index, the axis and
 * the valid range; slice bounds are clamped to the axis, so "5:100" on 10
 * elements is the last 5 and "20:30" is empty, without an error. Written as a string in NumPy's notation
 * (`x.slice("10:200:3, 5:77")`) or one item per dimension
 * (`x.slice([10, 200, 3], [5, 77])`, numbers, null for a new axis, "...").
 *
 * Each output block is a strided selection of one input block; output chunks
 * follow the input chunks the selection crosses (as Dask's).
 */
import { Errors, preview } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { offsets } from "./chunks";
import { arrayMeta, fromLayer, layerName } from "./core";
import type { Sel } from "./kernels/structure";
import type { TArray } from "./array";

/** One index item: see the module header. */
export type IndexItem = number | null | string | readonly (number | null | undefined)[];

type Norm = { kind: "slice"; start: number | null; stop: number | null; step: number | null } | { kind: "int"; i: number } | { kind: "new" } | { kind: "ellipsis" };

function parseInt10(s: string, whole: string): number {
  if (!/^[+-]?\d+$/.test(s)) throw Errors.badInput(`slice: "${s}" in "${whole}" is not an integer (NumPy notation: "1:10:2, -1, ..., None")`);
  return Number(s);
}

function parseItemText(t: string, whole: string): Norm {
  const s = t.trim();
  if (s === "...") return { kind: "ellipsis" };
  if (s === "None" || s === "newaxis" || s === "np.newaxis" || s === "null") return { kind: "new" };
  if (s.includes(":")) {
    const parts = s.split(":");
    if (parts.length > 3) throw Errors.badInput(`slice: "${s}" has more than two colons`);
    const [a, b, c] = parts.map((p) => (p.trim() === "" ? null : parseInt10(p.trim(), whole)));
    return { kind: "slice", start: a ?? null, stop: b ?? null, step: c ?? null };
  }
  if (s === "") throw Errors.badInput(`slice: empty index in "${whole}"`);
  return { kind: "int", i: parseInt10(s, whole) };
}

export function parseIndex(items: readonly IndexItem[]): Norm[] {
  const out: Norm[] = [];
  for (const it of items) {
    if (typeof it === "string") out.push(...it.split(",").map((t) => parseItemText(t, it)));
    else if (it === null) out.push({ kind: "new" });
    else if (typeof it === "number") {
      if (!Number.isInteger(it)) throw Errors.badInput(`slice: index ${it} is not an integer`);
      out.push({ kind: "int", i: it });
    } else if (Array.isArray(it)) {
      if (it.length > 3 || it.some((v) => v !== null && v !== undefined && !Number.isInteger(v))) {
        throw Errors.badInput(`slice: ${preview(it)} must be [start, stop, step] with integers or null`);
      }
      out.push({ kind: "slice", start: it[0] ?? null, stop: it[1] ?? null, step: it[2] ?? null });
    } else throw Errors.badInput(`slice: ${preview(it)} is not an index (use a number, [start, stop, step], null, "..." or a NumPy string)`);
  }
  return out;
}

/** start, step, count of a slice over a dimension of length n (NumPy's PySlice_AdjustIndices). */
export function sliceIndices(start: number | null, stop: number | null, step: number | null, n: number): Sel {
  const st = step ?? 1;
  if (st === 0) throw Errors.badInput("slice step cannot be zero");
  let a: number, b: number;
  if (st > 0) {
    a = start === null ? 0 : start < 0 ? Math.max(0, start + n) : Math.min(start, n);
    b = stop === null ? n : stop < 0 ? Math.max(0, stop + n) : Math.min(stop, n);
    return { start: a, step: st, count: Math.max(0, Math.ceil((b - a) / st)) };
  }
  a = start === null ? n - 1 : start < 0 ? Math.max(-1, start + n) : Math.min(start, n - 1);
  b = stop === null ? -1 : stop < 0 ? Math.max(-1, stop + n) : Math.min(stop, n - 1);
  return { start: a, step: st, count: Math.max(0, Math.ceil((a - b) / -st)) };
}

/** Per input chunk crossed: [block, local selection] (in output order). */
function dimPieces(sel: Sel, sizes: readonly number[]): [number, Sel][] {
  const o = offsets(sizes);
  const out: [number, Sel][] = [];
  const { start, step, count } = sel;
  if (count === 0) return [[0, { start: 0, step: 1, count: 0 }]];
  const order = step > 0 ? sizes.map((_, b) => b) : sizes.map((_, b) => sizes.length - 1 - b);
  for (const b of order) {
    let i0: number, i1: number;
    if (step > 0) {
      i0 = Math.max(0, Math.ceil((o[b]! - start) / step));
      i1 = Math.min(count, Math.ceil((o[b + 1]! - start) / step));
    } else {
      i0 = Math.max(0, Math.floor((start - o[b + 1]!) / -step) + 1);
      i1 = Math.min(count, Math.floor((start - o[b]!) / -step) + 1);
    }
    if (i1 > i0) out.push([b, { start: start + step * i0 - o[b]!, step, count: i1 - i0 }]);
  }
  return out;
}

export function slice(x: TArray, items: readonly IndexItem[]): TArray {
  const norm = parseIndex(items);
  const ell = norm.filter((n) => n.kind === "ellipsis").length;
  if (ell > 1) throw Errors.badInput("slice: an index can only have a single ellipsis ('...')");
  const used = norm.filter((n) => n.kind === "slice" || n.kind === "int").length;
  if (used > x.ndim) throw Errors.badInput(`slice: too many indices for array: array is ${x.ndim}-dimensional, but ${used} were indexed`);
  const full: Norm = { kind: "slice", start: null, stop: null, step: null };
  const expanded: Norm[] = [];
  for (const n of norm) {
    if (n.kind === "ellipsis") for (let k = 0; k < x.ndim - used; k++) expanded.push(full);
    else expanded.push(n);
  }
  while (expanded.filter((n) => n.kind !== "new").length < x.ndim) expanded.push(full);

  // Per output dimension: its pieces [input block, selection], and which input dimension it reads (-1: new axis).
  const outDims: number[] = [];
  const perDim: [number, Sel][][] = [];
  const fixed: ([number, Sel] | undefined)[] = new Array(x.ndim);
  let d = 0;
  for (const n of expanded) {
    if (n.kind === "new") {
      outDims.push(-1);
      continue;
    }
    const len = x.shape[d]!;
    const sizes = x.chunks[d]!;
    if (n.kind === "int") {
      if (Number.isNaN(len)) throw Errors.badInput(`slice: axis ${d} has unknown chunk sizes: call x = await x.computeChunkSizes() first`);
      if (n.i < -len || n.i >= len) {
        throw Errors.badInput(`slice: index ${n.i} is out of bounds for axis ${d} with size ${len}: use an index in ${-len}..${len - 1} (slices such as "${n.i}:" are clamped instead, as in NumPy)`);
      }
      const i = n.i < 0 ? n.i + len : n.i;
      const o = offsets(sizes);
      let b = 0;
      while (o[b + 1]! <= i) b++;
      fixed[d] = [b, { start: i - o[b]!, step: 1, count: 1 }];
    } else if (n.kind !== "slice") {
      throw Errors.badInput("internal: unexpanded ellipsis");
    } else if (Number.isNaN(len)) {
      if (n.start !== null || n.stop !== null || (n.step !== null && n.step !== 1)) {
        throw Errors.badInput(`slice: axis ${d} has unknown chunk sizes: only ":" works on it; call x = await x.computeChunkSizes() first`);
      }
      outDims.push(d);
      perDim.push(sizes.map((_, b) => [b, { start: 0, step: 1, count: -1 }]));
    } else {
      outDims.push(d);
      perDim.push(dimPieces(sliceIndices(n.start, n.stop, n.step, len), sizes));
    }
    d++;
  }
  const outChunks: number[][] = [];
  let p = 0;
  for (const od of outDims) outChunks.push(od < 0 ? [1] : perDim[p++]!.map(([b, s]) => (s.count < 0 ? x.chunks[od]![b]! : s.count)));
  const dimPiece = outDims.filter((od) => od >= 0);
  const name = layerName("getitem", x.name, expanded);
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex(outChunks.map((c) => c.length), (idx) => {
      const inIdx = new Array<number>(x.ndim);
      const sels = new Array<Sel>(x.ndim);
      let q = 0;
      idx.forEach((i, od) => {
        if (outDims[od]! < 0) return;
        const [b, s] = perDim[q++]![i]!;
        inIdx[dimPiece[q - 1]!] = b;
        sels[dimPiece[q - 1]!] = s;
      });
      for (let k = 0; k < x.ndim; k++) if (fixed[k] !== undefined) [inIdx[k], sels[k]] = fixed[k]!;
      out.set(JSON.stringify([name, ...idx]), task(builtin("array.select"), [ref([x.name, ...inIdx]), sels, outDims]));
    });
    return out;
  };
  const size = outChunks.reduce((n, c) => n * c.length, 1);
  return fromLayer(new LazyLayer(name, "getitem", size, generate, [x.name], arrayMeta(outChunks, x.dtype)), outChunks, x.dtype, [x]);
}
