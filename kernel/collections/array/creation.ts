/**
 * Making arrays: from data in memory (typed arrays, nested lists, NDArray),
 * and from nothing (zeros, ones, full, empty, arange, linspace, eye).
 *
 * fromArray does not copy data already on shared memory: each chunk is a
 * view of it when the block is contiguous (chunks cut along the first axis),
 * so do not change that memory while arrays made from it are in use. Other
 * data is copied once to shared memory. Arrays above 16 MiB are identified
 * by the identity of their memory (hashing gigabytes would cost more than
 * the computation); smaller ones by their content. Pass `name` for keys
 * that are stable across runs.
 */
import { Errors, preview } from "../../errors";
import { builtin, objectId, tokenize } from "../../graph";
import { TypedArray } from "../../store/shared";
import { ChunkSpec, normalizeChunks, offsets } from "./chunks";
import { Complex, DType, Scalar, allocate, checkDType, dtypeInfo, dtypeOfTypedArray, isComplexScalar, scalarDType } from "./dtype";
import { NDArray, sizeOf } from "./ndarray";
import { blockwiseArray, layerName } from "./core";
import type { TArray } from "./array";
import { FillValue } from "./kernels/create";

export interface CreateOptions {
  /** Chunk sizes (see chunks.ts): a number, per dimension, explicit lists, or "auto" (default). */
  chunks?: ChunkSpec;
  dtype?: DType;
}

export interface FromArrayOptions extends CreateOptions {
  /** Shape of the data (default: a typed array is 1-D; nested lists give their own). */
  shape?: readonly number[];
  /** A stable name for the array's keys (default: from its content or identity). */
  name?: string;
}

const HASH_LIMIT = 16 * 2 ** 20;

/**
 * A chunked array over data in memory.
 * @example const x = da.fromArray(new Float64Array(1e6), { chunks: 1e5 })
 * @example const m = da.fromArray([[1, 2], [3, 4]], { chunks: 1 })
 * @example const z = da.fromArray(new Float64Array([1, 0, 0, 1]), { dtype: "complex128" }) // 1+0j, 0+1j
 */
export function fromArray(data: unknown, options: FromArrayOptions = {}): TArray {
  const { values, shape, dtype } = toTyped(data, options);
  const chunks = normalizeChunks(options.chunks, shape, dtypeInfo(dtype).itemsize);
  const token = options.name ?? (values.byteLength > HASH_LIMIT ? `mem${objectId(values.buffer)}@${values.byteOffset}+${values.byteLength}` : tokenize(values));
  const name = options.name !== undefined ? options.name : layerName("array", token, shape, dtype, chunks);
  const offs = chunks.map(offsets);
  return blockwiseArray("array", name, builtin("array.source"), [
    { kind: "lit", value: values },
    { kind: "lit", value: dtype },
    { kind: "lit", value: shape },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => offs[d]![i]!) },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) },
  ], chunks, dtype, []);
}

/** Data of any accepted form as a shared typed array, its shape and dtype. */
export function toTyped(data: unknown, options: { shape?: readonly number[]; dtype?: DType }): { values: TypedArray; shape: number[]; dtype: DType } {
  const want = options.dtype === undefined ? undefined : checkDType(options.dtype, "fromArray dtype");
  if (data instanceof NDArray || (isChunkLike(data) && !ArrayBuffer.isView(data))) {
    const nd = data as NDArray;
    if (options.shape !== undefined && sizeOf(options.shape) !== sizeOf(nd.shape)) throw shapeMismatch(options.shape, sizeOf(nd.shape));
    const shape = [...(options.shape ?? nd.shape)];
    return { values: shared(convert(nd.data, nd.dtype, want ?? nd.dtype)), shape, dtype: want ?? nd.dtype };
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const ta = data as TypedArray;
    const own = dtypeOfTypedArray(ta);
    let dtype: DType = want ?? own!;
    // A Float32/64Array read as complex: interleaved pairs.
    const lanes = dtypeInfo(dtype).kind === "c" && (ta instanceof Float64Array || ta instanceof Float32Array) ? 2 : 1;
    if (want === "bool" && ta instanceof Uint8Array) dtype = "bool";
    const size = ta.length / lanes;
    const shape = [...(options.shape ?? [size])];
    if (sizeOf(shape) !== size) throw shapeMismatch(shape, size);
    const src = lanes === 2 ? ta : convert(ta, own!, dtype === "bool" && ta instanceof Uint8Array ? "uint8" : dtype);
    return { values: shared(lanes === 2 && dtypeInfo(dtype).ctor !== ta.constructor ? convertComplex(ta, dtype) : src), shape, dtype };
  }
  if (Array.isArray(data) || typeof data === "number" || typeof data === "boolean" || typeof data === "bigint" || isComplexScalar(data)) {
    return fromNested(data, options.shape, want);
  }
  throw Errors.badOption("fromArray(data)", preview(data), "a typed array, an NDArray, or nested arrays of numbers, booleans, bigints or {re, im}");
}

function isChunkLike(v: unknown): boolean {
  const c = v as { data?: unknown; shape?: unknown; dtype?: unknown } | null;
  return c !== null && typeof c === "object" && ArrayBuffer.isView(c.data) && Array.isArray(c.shape) && typeof c.dtype === "string";
}

function shapeMismatch(shape: readonly number[], size: number): Error {
  return Errors.badInput(`fromArray: shape [${shape.join(", ")}] holds ${sizeOf(shape)} elements but the data has ${size}: give a shape whose product is ${size}`);
}

function shared(a: TypedArray): TypedArray {
  if (a.buffer instanceof SharedArrayBuffer) return a;
  const out = new (a.constructor as new (b: SharedArrayBuffer) => TypedArray)(new SharedArrayBuffer(a.byteLength));
  (out as unknown as { set(x: ArrayLike<unknown>): void }).set(a as unknown as ArrayLike<unknown>);
  return out;
}

/** Element-by-element conversion between dtypes (no copy when already right). */
function convert(a: TypedArray, from: DType, to: DType): TypedArray {
  const ti = dtypeInfo(to);
  if (a instanceof ti.ctor && dtypeInfo(from).lanes === ti.lanes) return a;
  const fi = dtypeInfo(from);
  const n = a.length / fi.lanes;
  const out = allocate(to, n);
  for (let i = 0; i < n; i++) {
    const re = fi.lanes === 2 ? (a[2 * i] as number) : a[i]!;
    if (ti.kind === "c") out[2 * i] = Number(re);
    else if (ti.big) (out as BigInt64Array)[i] = typeof re === "bigint" ? re : BigInt(Math.trunc(re));
    else if (ti.kind === "b") out[i] = re ? 1 : 0;
    else (out as Float64Array)[i] = Number(re);
    if (ti.kind === "c" && fi.lanes === 2) out[2 * i + 1] = a[2 * i + 1] as number;
  }
  return out;
}

function convertComplex(a: TypedArray, to: DType): TypedArray {
  const out = allocate(to, a.length / 2);
  (out as Float64Array).set(a as Float64Array);
  return out;
}

function fromNested(data: unknown, shape: readonly number[] | undefined, want: DType | undefined) {
  const dims: number[] = [];
  for (let v: unknown = data; Array.isArray(v); v = v[0]) dims.push(v.length);
  const flat: unknown[] = [];
  const walk = (v: unknown, d: number, path: number[]) => {
    if (d === dims.length) {
      if (Array.isArray(v)) throw ragged(path, "a list", "a value");
      if (typeof v !== "number" && typeof v !== "boolean" && typeof v !== "bigint" && !isComplexScalar(v)) {
        throw Errors.badInput(`fromArray: element ${flat.length} (${preview(v)}) is not a number, boolean, bigint or {re, im}`);
      }
      flat.push(v);
      return;
    }
    if (!Array.isArray(v)) throw ragged(path, preview(v), `a list of ${dims[d]}`);
    if (v.length !== dims[d]) throw ragged(path, `a list of ${v.length}`, `a list of ${dims[d]}`);
    v.forEach((x, i) => walk(x, d + 1, [...path, i]));
  };
  walk(data, 0, []);
  const dtype: DType = want ?? (flat.length === 0 ? "float64" : scalarDType(flat[0] as Scalar));
  const info = dtypeInfo(dtype);
  const values = allocate(dtype, flat.length);
  flat.forEach((v, i) => {
    if (info.kind === "c") {
      const c = isComplexScalar(v) ? v : { re: Number(v), im: 0 };
      values[2 * i] = c.re;
      values[2 * i + 1] = c.im;
    } else if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") {
      if (info.big) (values as BigInt64Array)[i] = BigInt(typeof v === "number" ? Math.trunc(v) : v);
      else (values as Float64Array)[i] = Number(v);
    } else {
      throw Errors.badInput(`fromArray: element ${i} (${preview(v)}) is not a number, boolean, bigint or {re, im}`);
    }
  });
  const out = shape ?? dims;
  if (sizeOf(out) !== flat.length) throw shapeMismatch(out, flat.length);
  return { values, shape: [...out], dtype };
}

function ragged(path: number[], got: string, want: string): Error {
  return Errors.badInput(`fromArray: nested lists must be rectangular: at [${path.join("][")}] found ${got} where ${want} was expected`);
}

/** A fill value in its wire form for dtype d. */
export function fillValue(v: Scalar, d: DType): FillValue {
  const info = dtypeInfo(d);
  if (info.kind === "c") return isComplexScalar(v) ? [v.re, v.im] : [Number(v), 0];
  if (isComplexScalar(v)) throw Errors.badInput(`a complex value ${v.re}+${v.im}j cannot fill a ${d} array: use dtype "complex128"`);
  if (info.big) return String(typeof v === "number" ? Math.trunc(v) : BigInt(v as bigint | boolean));
  return Number(v);
}

/**
 * An array of one value everywhere.
 * @example da.full([1000, 1000], 7, { chunks: 250 })
 */
export function full(shape: readonly number[], value: Scalar, options: CreateOptions = {}): TArray {
  const dtype = options.dtype === undefined ? scalarDType(value) : checkDType(options.dtype);
  const chunks = normalizeChunks(options.chunks, shape, dtypeInfo(dtype).itemsize);
  const fv = fillValue(value, dtype);
  const name = layerName("full", shape, chunks, dtype, fv);
  return blockwiseArray("full", name, builtin("array.fill"), [
    { kind: "lit", value: dtype },
    { kind: "perBlock", value: (idx) => idx.map((i, d) => chunks[d]![i]!) },
    { kind: "lit", value: fv },
  ], chunks, dtype, []);
}

/** @example da.zeros([4, 4], { chunks: 2 }) */
export function zeros(shape: readonly number[], options: CreateOptions = {}): TArray {
  return full(shape, 0, { ...options, dtype: options.dtype ?? "float64" });
}

/** @example da.ones([10], { dtype: "int32" }) */
export function ones(shape: readonly number[], options: CreateOptions = {}): TArray {
  return full(shape, 1, { ...options, dtype: options.dtype ?? "float64" });
}

/** Like NumPy's empty; Tessera's chunks are always zero-filled memory. @example da.empty([3]) */
export function empty(shape: readonly number[], options: CreateOptions = {}): TArray {
  return zeros(shape, options);
}

/**
 * Evenly spaced values in [start, stop), as NumPy's arange; integer arguments give int32.
 * @example da.arange(10) // 0..9
 * @example da.arange(0, 1, 0.25, { chunks: 2 })
 */
export function arange(start: number, stop?: number | CreateOptions, step?: number | CreateOptions, options: CreateOptions = {}): TArray {
  if (typeof stop === "object") [options, stop] = [stop, undefined];
  if (typeof step === "object") [options, step] = [step, undefined];
  if (stop === undefined) [start, stop] = [0, start];
  const st = step ?? 1;
  for (const [k, v] of [["start", start], ["stop", stop], ["step", st]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) throw Errors.badOption(`arange ${k}`, v, "a finite number");
  }
  if (st === 0) throw Errors.badOption("arange step", st, "a non-zero number");
  const n = Math.max(0, Math.ceil((stop - start) / st));
  const dtype = options.dtype ?? ([start, stop, st].every(Number.isInteger) ? "int32" : "float64");
  return rangeArray("arange", n, dtype, start, st, options, undefined);
}

/**
 * `num` evenly spaced values from start to stop (inclusive unless endpoint is false).
 * @example da.linspace(0, 1, 5) // 0, 0.25, 0.5, 0.75, 1
 */
export function linspace(start: number, stop: number, num = 50, options: CreateOptions & { endpoint?: boolean } = {}): TArray {
  if (!Number.isInteger(num) || num < 0) throw Errors.badOption("linspace num", num, "a non-negative integer");
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const step = div > 0 ? (stop - start) / div : 0;
  const last = endpoint && num > 1 ? { index: num - 1, value: stop } : undefined;
  return rangeArray("linspace", num, options.dtype ?? "float64", start, step, options, last);
}

function rangeArray(op: string, n: number, dtype: DType, start: number, step: number, options: CreateOptions, last?: { index: number; value: number }): TArray {
  checkDType(dtype);
  const chunks = normalizeChunks(options.chunks, [n], dtypeInfo(dtype).itemsize);
  const offs = offsets(chunks[0]!);
  const name = layerName(op, n, dtype, start, step, chunks, last ?? null);
  const args = [
    { kind: "lit" as const, value: dtype }, { kind: "lit" as const, value: start }, { kind: "lit" as const, value: step },
    { kind: "perBlock" as const, value: (idx: readonly number[]) => offs[idx[0]!]! },
    { kind: "perBlock" as const, value: (idx: readonly number[]) => chunks[0]![idx[0]!]! },
  ];
  if (last !== undefined) args.push({ kind: "lit", value: last as never });
  return blockwiseArray(op, name, builtin("array.range"), args, chunks, dtype, []);
}

/**
 * A 2-D array with ones on diagonal k and zeros elsewhere.
 * @example da.eye(4, { chunks: 2 })
 * @example da.eye(3, { M: 5, k: 1 })
 */
export function eye(N: number, options: CreateOptions & { M?: number; k?: number } = {}): TArray {
  const M = options.M ?? N;
  const k = options.k ?? 0;
  if (!Number.isInteger(N) || N < 0 || !Number.isInteger(M) || M < 0) throw Errors.badOption("eye size", [N, M], "non-negative integers");
  if (!Number.isInteger(k)) throw Errors.badOption("eye k", k, "an integer diagonal offset");
  const dtype = options.dtype ?? "float64";
  const chunks = normalizeChunks(options.chunks, [N, M], dtypeInfo(dtype).itemsize);
  const [ro, co] = [offsets(chunks[0]!), offsets(chunks[1]!)];
  const name = layerName("eye", N, M, k, dtype, chunks);
  return blockwiseArray("eye", name, builtin("array.eye"), [
    { kind: "lit", value: dtype },
    { kind: "perBlock", value: (idx) => [chunks[0]![idx[0]!]!, chunks[1]![idx[1]!]!] },
    { kind: "perBlock", value: (idx) => ro[idx[0]!]! },
    { kind: "perBlock", value: (idx) => co[idx[1]!]! },
    { kind: "lit", value: k },
  ], chunks, dtype, []);
}

export type { Complex };
