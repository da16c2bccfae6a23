/**
 * TArray: Tessera's chunked n-dimensional array (Dask Array), named TArray
 * so that it never shadows JavaScript's global Array. Many typed arrays in a
 * grid of chunks, lazy until `compute()`.
 *
 * A TArray is immutable metadata over a layered graph: `name` (the layer
 * whose tasks produce its chunks, keyed [name, i, j, …]), `chunks` (sizes per
 * dimension, NaN where unknown) and `dtype`. Every method builds a new layer
 * and returns a new TArray; the implementations live one concern per file
 * and this class only delegates to them.
 */
import { Collection } from "../base";
import { Key, LayeredGraph, forEachIndex } from "../../graph";
import { ChunkSpec, Chunks, numblocks as nblocks, shapeOf } from "./chunks";
import { DType, Scalar, dtypeInfo } from "./dtype";
import { ChunkData, Element, NDArray, readElement, sizeOf } from "./ndarray";
import * as ew from "./elementwise";
import { Operand } from "./elementwise";
import { ReduceOptions, VarOptions, reduce } from "./reductions";
import { rechunk } from "./rechunk";
import { IndexItem, slice } from "./slicing";
import { expandDims, ravel, reshape, squeeze, transpose } from "./reshape";
import { repeat, tile } from "./join";
import { cumulative } from "./cumulative";
import { dot, matmul } from "./linalg";
import { MapBlocksOptions, mapBlocks } from "./map";
import { computeChunkSizes, mask } from "./mask";
import { assembleResult } from "./result";
import { reprHtml, reprText } from "./repr";
import { toDelayed } from "./delayed";
import { ToZarrOptions, toZarr } from "./zarr";
import type { Delayed } from "../delayed";

export type ArrayResult = NDArray | Element;

export class TArray extends Collection<ArrayResult> {
  /** @internal arrays are made by da.* functions and TArray methods */
  constructor(
    readonly name: string,
    readonly chunks: Chunks,
    readonly dtype: DType,
    private readonly g: LayeredGraph,
    /** @internal set when this array is `base` transposed (2-D): matmul reads base's blocks directly. */
    readonly transposeOf?: TArray,
  ) {
    super();
  }

  graph(): LayeredGraph {
    return this.g;
  }

  keys(): Key[] {
    const out: Key[] = [];
    // A 0-d array has one block, keyed [name].
    forEachIndex(this.numblocks, (idx) => out.push([this.name, ...idx]));
    return out;
  }

  finalize(results: unknown[]): ArrayResult {
    const nd = assembleResult(results as ChunkData[], this.numblocks, this.dtype, this.ndim);
    return this.ndim === 0 ? readElement(nd.data, nd.dtype, 0) : nd;
  }

  withGraph(graph: LayeredGraph): this {
    return new TArray(this.name, this.chunks, this.dtype, graph) as this;
  }

  // ---- attributes -------------------------------------------------------

  /** Length of each dimension (NaN where chunk sizes are unknown). @example da.zeros([3, 4]).shape // [3, 4] */
  get shape(): number[] {
    return shapeOf(this.chunks);
  }
  /** @example da.zeros([3, 4]).ndim // 2 */
  get ndim(): number {
    return this.chunks.length;
  }
  /** Number of elements. @example da.zeros([3, 4]).size // 12 */
  get size(): number {
    return sizeOf(this.shape);
  }
  /** Bytes of one element. @example da.zeros([2]).itemsize // 8 */
  get itemsize(): number {
    return dtypeInfo(this.dtype).itemsize;
  }
  /** Bytes of the whole array. @example da.zeros([1000]).nbytes // 8000 */
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** Blocks per dimension. @example da.zeros([10], { chunks: 3 }).numblocks // [4] */
  get numblocks(): number[] {
    return nblocks(this.chunks);
  }
  /** Total number of blocks. @example da.zeros([10, 10], { chunks: 5 }).npartitions // 4 */
  get npartitions(): number {
    return this.numblocks.reduce((a, b) => a * b, 1);
  }
  /** The largest chunk size per dimension. @example da.zeros([10], { chunks: 3 }).chunksize // [3] */
  get chunksize(): number[] {
    return this.chunks.map((c) => (c.length === 0 ? 0 : Math.max(...c)));
  }
  /** The transpose (reversed axes). @example x.T.shape */
  get T(): TArray {
    return transpose(this);
  }

  // ---- elementwise ------------------------------------------------------

  /** @example x.add(1) @example x.add(y) */
  add(y: Operand): TArray { return ew.binary("add", this, y); }
  /** @example x.sub(y) */
  sub(y: Operand): TArray { return ew.binary("sub", this, y); }
  /** @example x.mul(2) */
  mul(y: Operand): TArray { return ew.binary("mul", this, y); }
  /** True division (integers give float64). @example x.div(3) */
  div(y: Operand): TArray { return ew.binary("div", this, y); }
  /** Floor division, as NumPy's //. @example x.floorDiv(2) */
  floorDiv(y: Operand): TArray { return ew.binary("floorDiv", this, y); }
  /** Remainder with the divisor's sign, as NumPy's %. @example x.mod(3) */
  mod(y: Operand): TArray { return ew.binary("mod", this, y); }
  /** @example x.pow(2) */
  pow(y: Operand): TArray { return ew.binary("pow", this, y); }
  /** Elementwise maximum (NaN wins, as NumPy's maximum). @example x.maximum(0) */
  maximum(y: Operand): TArray { return ew.binary("maximum", this, y); }
  /** @example x.minimum(y) */
  minimum(y: Operand): TArray { return ew.binary("minimum", this, y); }
  /** @example x.neg() */
  neg(): TArray { return ew.unary("neg", this); }
  /** @example x.eq(0) */
  eq(y: Operand): TArray { return ew.binary("eq", this, y); }
  /** @example x.ne(0) */
  ne(y: Operand): TArray { return ew.binary("ne", this, y); }
  /** @example x.lt(y) */
  lt(y: Operand): TArray { return ew.binary("lt", this, y); }
  /** @example x.le(1) */
  le(y: Operand): TArray { return ew.binary("le", this, y); }
  /** @example x.mask(x.gt(0)) */
  gt(y: Operand): TArray { return ew.binary("gt", this, y); }
  /** @example x.ge(0.5) */
  ge(y: Operand): TArray { return ew.binary("ge", this, y); }
  /** Logical and of truth values. @example x.gt(0).and(x.lt(1)) */
  and(y: Operand): TArray { return ew.binary("and", this, y); }
  /** @example a.or(b) */
  or(y: Operand): TArray { return ew.binary("or", this, y); }
  /** @example a.xor(b) */
  xor(y: Operand): TArray { return ew.binary("xor", this, y); }
  /** Logical not. @example x.gt(0).not() */
  not(): TArray { return ew.unary("not", this); }
  /** Absolute value (magnitude for complex). @example x.abs() */
  abs(): TArray { return ew.unary("abs", this); }
  /** @example x.sqrt() */
  sqrt(): TArray { return ew.unary("sqrt", this); }
  /** @example x.exp() */
  exp(): TArray { return ew.unary("exp", this); }
  /** Natural logarithm. @example x.log() */
  log(): TArray { return ew.unary("log", this); }
  /** log(1 + x), accurate near 0. @example x.log1p() */
  log1p(): TArray { return ew.unary("log1p", this); }
  /** @example x.sin() */
  sin(): TArray { return ew.unary("sin", this); }
  /** @example x.cos() */
  cos(): TArray { return ew.unary("cos", this); }
  /** @example x.tan() */
  tan(): TArray { return ew.unary("tan", this); }
  /** @example x.floor() */
  floor(): TArray { return ew.unary("floor", this); }
  /** @example x.ceil() */
  ceil(): TArray { return ew.unary("ceil", this); }
  /** Rounds half to even at `decimals` places, as NumPy. @example x.round(2) */
  round(decimals = 0): TArray {
    if (!Number.isInteger(decimals)) throw new TypeError(`round(decimals) must be an integer, got ${decimals}`);
    return ew.unary("round", this, [decimals]);
  }
  /** Sign: -1, 0 or 1 (NaN stays NaN). @example x.sign() */
  sign(): TArray { return ew.unary("sign", this); }
  /** @example x.isnan().any() */
  isnan(): TArray { return ew.unary("isnan", this); }
  /** @example x.isinf() */
  isinf(): TArray { return ew.unary("isinf", this); }
  /** @example x.isfinite().all() */
  isfinite(): TArray { return ew.unary("isfinite", this); }
  /**
   * NaN and infinities replaced by finite numbers (defaults as NumPy: 0 and the largest finite values).
   * @example x.nanToNum({ nan: -1 })
   */
  nanToNum(options: { nan?: number; posinf?: number; neginf?: number } = {}): TArray {
    const max = this.dtype === "float32" || this.dtype === "complex64" ? 3.4028234663852886e38 : Number.MAX_VALUE;
    return ew.unary("nanToNum", this, [options.nan ?? 0, options.posinf ?? max, options.neginf ?? -max]);
  }
  /** Real part (the array itself for real dtypes). @example z.real() */
  real(): TArray { return this.dtype === "complex64" || this.dtype === "complex128" ? ew.unary("real", this) : this; }
  /** Imaginary part (zeros for real dtypes). @example z.imag() */
  imag(): TArray { return ew.unary("imag", this); }
  /** Complex conjugate (the array itself for real dtypes). @example z.conj() */
  conj(): TArray { return this.dtype === "complex64" || this.dtype === "complex128" ? ew.unary("conj", this) : this; }
  /** Values limited to [lo, hi]. @example x.clip(0, 1) */
  clip(lo?: Scalar, hi?: Scalar): TArray { return ew.clip(this, lo, hi); }
  /** A copy in another dtype (floats truncate toward zero, integers wrap). @example x.astype("float32") */
  astype(dtype: DType): TArray { return ew.astype(this, dtype); }

  // ---- reductions -------------------------------------------------------

  /** @example x.sum() @example x.sum({ axis: 0, keepdims: true }) */
  sum(o?: ReduceOptions): TArray { return reduce(this, "sum", o); }
  /** @example x.prod({ axis: 1 }) */
  prod(o?: ReduceOptions): TArray { return reduce(this, "prod", o); }
  /** @example x.mean() */
  mean(o?: ReduceOptions): TArray { return reduce(this, "mean", o); }
  /** Variance; the divisor is n - ddof. @example x.var({ ddof: 1 }) */
  var(o?: VarOptions): TArray { return reduce(this, "var", o); }
  /** Standard deviation. @example x.std() */
  std(o?: VarOptions): TArray { return reduce(this, "std", o); }
  /** @example x.min({ axis: -1 }) */
  min(o?: ReduceOptions): TArray { return reduce(this, "min", o); }
  /** @example x.max() */
  max(o?: ReduceOptions): TArray { return reduce(this, "max", o); }
  /** Index of the minimum (flat index without axis). @example x.argmin({ axis: 0 }) */
  argmin(o?: { axis?: number; keepdims?: boolean; splitEvery?: number }): TArray { return reduce(this, "argmin", o); }
  /** @example x.argmax() */
  argmax(o?: { axis?: number; keepdims?: boolean; splitEvery?: number }): TArray { return reduce(this, "argmax", o); }
  /** @example x.gt(0).any() */
  any(o?: ReduceOptions): TArray { return reduce(this, "any", o); }
  /** @example x.isfinite().all() */
  all(o?: ReduceOptions): TArray { return reduce(this, "all", o); }
  /** Sum ignoring NaN. @example x.nansum() */
  nansum(o?: ReduceOptions): TArray { return reduce(this, "nansum", o); }
  /** Mean ignoring NaN. @example x.nanmean({ axis: 0 }) */
  nanmean(o?: ReduceOptions): TArray { return reduce(this, "nanmean", o); }
  /** Cumulative sum along an axis (flattened without one). @example x.cumsum({ axis: 0 }) */
  cumsum(o: { axis?: number } = {}): TArray { return cumulative(this, "cumsum", o.axis); }
  /** @example x.cumprod({ axis: 1 }) */
  cumprod(o: { axis?: number } = {}): TArray { return cumulative(this, "cumprod", o.axis); }

  // ---- structure --------------------------------------------------------

  /**
   * NumPy indexing: a string in NumPy's notation, or one item per dimension
   * (a number, [start, stop, step] with null for defaults, null for a new
   * axis, "..." for the rest). As in NumPy, an integer index out of range is
   * an error, while slice bounds out of range are clamped to the axis:
   * `x.slice("5:100")` of 10 elements is the last 5, `x.slice("20:30")` is empty.
   * @example x.slice("10:200:3, 5:77")
   * @example x.slice([10, 200, 3], [5, 77])
   * @example x.slice(-1, "...", null)
   */
  slice(...index: IndexItem[]): TArray { return slice(this, index); }
  /** Elements where `m` is true, as NumPy's x[m] (chunk sizes become unknown). @example x.mask(x.gt(0)) */
  mask(m: TArray): TArray { return mask(this, m); }
  /** Measures unknown chunk sizes (after mask). @example const y = await x.mask(x.gt(0)).computeChunkSizes() */
  computeChunkSizes(): Promise<TArray> { return computeChunkSizes(this); }
  /** @example x.rechunk([1000, 1000]) */
  rechunk(chunks: ChunkSpec): TArray { return rechunk(this, chunks); }
  /** Axes permuted (reversed without `axes`). @example x.transpose([1, 0, 2]) */
  transpose(axes?: number[]): TArray { return transpose(this, axes); }
  /** Same elements in C order, another shape (one entry may be -1). @example x.reshape([100, -1]) */
  reshape(shape: number[]): TArray { return reshape(this, shape); }
  /** The elements as a 1-D array. @example x.ravel() */
  ravel(): TArray { return ravel(this); }
  /** Same as ravel. @example x.flatten() */
  flatten(): TArray { return ravel(this); }
  /** Length-1 axes removed. @example x.squeeze({ axis: 0 }) */
  squeeze(o: { axis?: number | number[] } = {}): TArray { return squeeze(this, o.axis); }
  /** A length-1 axis inserted. @example x.expandDims(0) */
  expandDims(axis: number): TArray { return expandDims(this, axis); }
  /** Each element repeated along an axis (flattened without one). @example x.repeat(3, { axis: 0 }) */
  repeat(repeats: number, o: { axis?: number } = {}): TArray { return repeat(this, repeats, o.axis); }
  /** The whole array repeated per dimension. @example x.tile([2, 1]) */
  tile(reps: number | number[]): TArray { return tile(this, reps); }

  // ---- linear algebra ---------------------------------------------------

  /** NumPy's dot for 1-D and 2-D arrays. @example x.dot(y) */
  dot(y: TArray): TArray { return dot(this, y); }
  /** Matrix product (x @ y). @example x.matmul(x.T) */
  matmul(y: TArray): TArray { return matmul(this, y); }

  // ---- user functions and conversion -----------------------------------

  /**
   * A function applied to every block (an NDArray; its block index and
   * location come as a second argument). It runs on worker threads: pass
   * what it needs in `captures`.
   * @example x.mapBlocks((b) => b.data.map(Math.sqrt) as never, { dtype: "float64" })
   */
  mapBlocks(fn: Function, options: MapBlocksOptions = {}): TArray { return mapBlocks(fn, [this], options); }
  /**
   * Writes the array to a Zarr v3 array (a folder), one Zarr chunk per
   * block, each block computed and written on a worker thread; the chunks
   * must be regular (equal, the last one possibly shorter: rechunk first).
   * @example await x.toZarr("data/x.zarr")
   * @example await x.rechunk([1000, 1000]).toZarr("x.zarr", { overwrite: true, compression: "zstd" })
   */
  toZarr(path: string, options?: ToZarrOptions): Promise<void> { return toZarr(this, path, options); }
  /** One Delayed per block, nested by block grid. @example const blocks = x.toDelayed() */
  toDelayed(): Delayed<NDArray>[] | unknown { return toDelayed(this); }

  reprText(): string { return reprText(this); }
  override reprHtml(): string { return reprHtml(this); }
  override toString(): string { return reprText(this); }
}

export { Operand };
