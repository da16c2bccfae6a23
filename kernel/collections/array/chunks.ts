/**
 * Chunk layouts, as Dask's: for each dimension, the sizes of its chunks,
 * which sum to the dimension's length. A size may be NaN (unknown, after a
 * boolean mask) until `computeChunkSizes()` measures it; a dimension with an
 * unknown size has length NaN.
 *
 * What users may write (normalizeChunks):
 *   10                      every dimension cut in chunks of 10
 *   [1000, 500]             per dimension; -1 or null: the whole dimension
 *   [[5, 5, 2], [3]]        explicit sizes per dimension
 *   "auto" / "64MiB"        about 128 MiB (or the given bytes) per chunk,
 *                           dimensions kept whole where they are small
 *   [-1, "auto"]            auto for some dimensions only
 */
import { Errors, preview } from "../../errors";
import { parseBytes } from "../../store/bytes";

export type Chunks = readonly (readonly number[])[];
export type ChunkSpec = number | string | readonly (number | string | null | readonly number[])[];

export const AUTO_BYTES = 128 * 2 ** 20;

function checkShape(shape: readonly number[]): void {
  for (const s of shape) {
    if (!Number.isInteger(s) || s < 0) throw Errors.badOption("shape", shape, "a list of non-negative integers, e.g. [1000, 500]");
  }
}

/** Validated chunk sizes for `shape` from any accepted form (see the header). */
export function normalizeChunks(spec: ChunkSpec | undefined, shape: readonly number[], itemsize: number): number[][] {
  checkShape(shape);
  const nd = shape.length;
  if (spec === undefined) spec = "auto";
  if (typeof spec === "number") spec = new Array(nd).fill(spec);
  if (typeof spec === "string") spec = new Array(nd).fill(spec);
  if (!Array.isArray(spec)) throw Errors.badOption("chunks", spec, 'a number, "auto", a list per dimension or a list of size lists');
  if (spec.length !== nd) {
    throw Errors.badOption("chunks", spec, `one entry per dimension of shape [${shape.join(", ")}] (${nd}), e.g. [${shape.map((s) => Math.min(s, 1000) || 1).join(", ")}]`);
  }
  const out: (number[] | undefined)[] = new Array(nd);
  const autoDims: number[] = [];
  let limit = AUTO_BYTES;
  for (let d = 0; d < nd; d++) {
    const c = spec[d];
    const n = shape[d]!;
    if (Array.isArray(c)) {
      out[d] = checkExplicit(c, n, d, spec);
    } else if (c === null || c === -1) {
      out[d] = n === 0 ? [0] : [n];
    } else if (typeof c === "number") {
      if (!Number.isInteger(c) || c <= 0) throw Errors.badOption(`chunks[${d}]`, c, "a positive integer, -1 (whole dimension) or \"auto\"");
      out[d] = regular(n, c);
    } else if (typeof c === "string") {
      if (c !== "auto") limit = parseBytes(c, `chunks[${d}]`);
      autoDims.push(d);
    } else {
      throw Errors.badOption(`chunks[${d}]`, c, 'a positive integer, -1, "auto" or a list of sizes');
    }
  }
  if (autoDims.length > 0) {
    let fixed = itemsize;
    for (let d = 0; d < nd; d++) if (out[d] !== undefined) fixed *= Math.max(1, ...out[d]!);
    const sizes = autoSizes(autoDims.map((d) => shape[d]!), Math.max(1, limit / fixed));
    autoDims.forEach((d, k) => (out[d] = regular(shape[d]!, sizes[k]!)));
  }
  return out as number[][];
}

function checkExplicit(c: readonly unknown[], n: number, d: number, spec: unknown): number[] {
  for (const x of c) {
    if (!(typeof x === "number" && ((Number.isInteger(x) && x >= 0) || Number.isNaN(x)))) {
      throw Errors.badOption(`chunks[${d}]`, c, "a list of non-negative integer sizes");
    }
  }
  const sizes = c as number[];
  const sum = sizes.reduce((a, b) => a + b, 0);
  if (!Number.isNaN(sum) && sum !== n) {
    throw Errors.badInput(
      `chunks ${preview(spec)} do not tile the shape along axis ${d}: the sizes [${sizes.join(", ")}] sum to ${sum}, the axis has length ${n} ` +
        `(give sizes that sum to ${n}, or one size such as ${Math.max(1, Math.ceil(n / Math.max(1, sizes.length)))} to cut it evenly)`,
    );
  }
  if (sizes.length === 0) throw Errors.badOption(`chunks[${d}]`, c, `at least one size (use [${n}] for one chunk)`);
  return [...sizes];
}

/** Chunks of `size` along a dimension of length n (the last one shorter). */
export function regular(n: number, size: number): number[] {
  if (n === 0) return [0];
  const out: number[] = [];
  for (let at = 0; at < n; at += size) out.push(Math.min(size, n - at));
  return out;
}

/**
 * Chunk sizes close to a hypercube of `limit` elements: dimensions smaller
 * than their share stay whole, the rest share what is left evenly.
 */
function autoSizes(dims: number[], limit: number): number[] {
  const order = dims.map((_, i) => i).sort((a, b) => dims[a]! - dims[b]!);
  const out = new Array<number>(dims.length);
  let budget = limit;
  order.forEach((i, k) => {
    const share = Math.pow(budget, 1 / (order.length - k));
    const n = Math.max(1, dims[i]!);
    if (n <= share) {
      out[i] = n;
      budget /= n;
    } else {
      // Even chunks: the fewest chunks of at most `share`, equally sized.
      const count = Math.ceil(n / Math.max(1, Math.floor(share)));
      out[i] = Math.ceil(n / count);
      budget /= out[i]!;
    }
  });
  return out;
}

export function numblocks(chunks: Chunks): number[] {
  return chunks.map((c) => c.length);
}

/** Start offsets of each chunk along a dimension, plus the end: [0, c0, c0+c1, …]. */
export function offsets(sizes: readonly number[]): number[] {
  const out = [0];
  for (const s of sizes) out.push(out[out.length - 1]! + s);
  return out;
}

export function blockShape(chunks: Chunks, idx: readonly number[]): number[] {
  return idx.map((i, d) => chunks[d]![i]!);
}

export function shapeOf(chunks: Chunks): number[] {
  return chunks.map((c) => c.reduce((a, b) => a + b, 0));
}

export function hasUnknown(chunks: Chunks, axes?: readonly number[]): boolean {
  return (axes ?? chunks.map((_, d) => d)).some((d) => chunks[d]!.some((s) => Number.isNaN(s)));
}

/** Throws the "unknown chunk sizes" error when any of `axes` has one. */
export function requireKnown(chunks: Chunks, what: string, axes?: readonly number[]): void {
  if (hasUnknown(chunks, axes)) {
    throw Errors.badInput(`${what} needs known chunk sizes, but this array's are unknown (it comes from a boolean mask): call x = await x.computeChunkSizes() first`);
  }
}

/** The common refinement of two chunkings of one dimension: every boundary of either. */
export function refine(a: readonly number[], b: readonly number[]): number[] {
  const cuts = new Set([...offsets(a), ...offsets(b)]);
  const sorted = [...cuts].sort((x, y) => x - y);
  const out: number[] = [];
  for (let i = 1; i < sorted.length; i++) out.push(sorted[i]! - sorted[i - 1]!);
  return out.length === 0 ? [0] : out;
}

export function sameChunks(a: Chunks, b: Chunks): boolean {
  return a.length === b.length && a.every((c, d) => c.length === b[d]!.length && c.every((s, i) => s === b[d]![i] || (Number.isNaN(s) && Number.isNaN(b[d]![i]!))));
}

/** Checks `axis` against ndim and returns it non-negative. */
export function normalizeAxis(axis: number, ndim: number, what = "axis"): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw Errors.badOption(what, axis, ndim === 0 ? "absent: a 0-d array has no axes" : `an integer in ${-ndim}..${ndim - 1} for an array of ${ndim} dimension${ndim === 1 ? "" : "s"}`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Axes given as a number, a list, or undefined (all), checked, sorted, without repeats. */
export function normalizeAxes(axis: number | readonly number[] | undefined | null, ndim: number): number[] {
  if (axis === undefined || axis === null) return Array.from({ length: ndim }, (_, d) => d);
  const list = typeof axis === "number" ? [axis] : axis;
  if (!Array.isArray(list)) throw Errors.badOption("axis", axis, "an integer, a list of integers, or undefined for all axes");
  const out = list.map((a) => normalizeAxis(a, ndim));
  if (new Set(out).size !== out.length) throw Errors.badOption("axis", axis, "a list without repeated axes");
  return out.sort((a, b) => a - b);
}
