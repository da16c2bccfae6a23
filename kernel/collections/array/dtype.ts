/**
 * Data types of Tessera arrays and the rules for combining them.
 *
 * Storage: every dtype is one typed array. bool is a Uint8Array of 0/1;
 * int64 / uint64 are BigInt64Array / BigUint64Array; complex64 / complex128
 * are Float32Array / Float64Array holding (re, im) pairs interleaved, so an
 * array of n complex numbers has a data array of 2n elements.
 *
 * Promotion (written down here, tested in test/collections/array/dtype.test.ts):
 *   - Two arrays: NumPy's `result_type`: the first dtype in
 *     bool, uint8, int8, uint16, int16, uint32, int32, uint64, int64,
 *     float32, float64, complex64, complex128
 *     to which both cast safely (int8 + uint8 -> int16, int32 + float32 ->
 *     float64, int64 + uint64 -> float64, float64 + complex64 -> complex128).
 *   - An array and a JS scalar: the scalar is "weak" (NumPy 2, NEP 50): it
 *     takes the array's dtype when its kind (bool < int < float < complex)
 *     is not higher: int8 array + 1 -> int8, float32 array + 0.5 -> float32.
 *     A higher kind gives that kind's default: int array + 0.5 -> float64.
 *     An integer scalar that does not fit the array's integer dtype is an
 *     error (uint8 array + 300), as in NumPy 2.
 *   - The default integer is int32, not NumPy's int64: JavaScript numbers
 *     hold int32 exactly, while int64 means BigInt (slow, and awkward to read
 *     back). Integer sums and products still accumulate in int64 (as NumPy).
 *   - True division and unary float functions (sqrt, exp, …) of integers
 *     give float64, except 8- and 16-bit integers and bool, which give
 *     float32 (NumPy would use float16, which Tessera does not have).
 */
import { Errors } from "../../errors";
import { TypedArray, TypedArrayConstructor } from "../../store/shared";

export const DTYPES = [
  "bool", "uint8", "int8", "uint16", "int16", "uint32", "int32", "uint64", "int64",
  "float32", "float64", "complex64", "complex128",
] as const;
export type DType = (typeof DTYPES)[number];

/** b: bool, u: unsigned int, i: signed int, f: float, c: complex (NumPy's kind letters). */
export type Kind = "b" | "u" | "i" | "f" | "c";

export interface DTypeInfo {
  readonly kind: Kind;
  /** Bytes per element (a complex128 element is 16 bytes). */
  readonly itemsize: number;
  /** Typed-array elements per array element (2 for complex). */
  readonly lanes: number;
  readonly ctor: TypedArrayConstructor<TypedArray>;
  /** Whether elements are bigint in JavaScript. */
  readonly big: boolean;
}

const INFO: Record<DType, DTypeInfo> = {
  bool: { kind: "b", itemsize: 1, lanes: 1, ctor: Uint8Array, big: false },
  uint8: { kind: "u", itemsize: 1, lanes: 1, ctor: Uint8Array, big: false },
  int8: { kind: "i", itemsize: 1, lanes: 1, ctor: Int8Array, big: false },
  uint16: { kind: "u", itemsize: 2, lanes: 1, ctor: Uint16Array, big: false },
  int16: { kind: "i", itemsize: 2, lanes: 1, ctor: Int16Array, big: false },
  uint32: { kind: "u", itemsize: 4, lanes: 1, ctor: Uint32Array, big: false },
  int32: { kind: "i", itemsize: 4, lanes: 1, ctor: Int32Array, big: false },
  uint64: { kind: "u", itemsize: 8, lanes: 1, ctor: BigUint64Array as unknown as TypedArrayConstructor<TypedArray>, big: true },
  int64: { kind: "i", itemsize: 8, lanes: 1, ctor: BigInt64Array as unknown as TypedArrayConstructor<TypedArray>, big: true },
  float32: { kind: "f", itemsize: 4, lanes: 1, ctor: Float32Array, big: false },
  float64: { kind: "f", itemsize: 8, lanes: 1, ctor: Float64Array, big: false },
  complex64: { kind: "c", itemsize: 8, lanes: 2, ctor: Float32Array, big: false },
  complex128: { kind: "c", itemsize: 16, lanes: 2, ctor: Float64Array, big: false },
};

export function isDType(v: unknown): v is DType {
  return typeof v === "string" && (DTYPES as readonly string[]).includes(v);
}

/** Checks a user-given dtype; `where` names the option in the error. */
export function checkDType(v: unknown, where = "dtype"): DType {
  if (isDType(v)) return v;
  throw Errors.badOption(where, v, `one of ${DTYPES.map((d) => `"${d}"`).join(", ")}`);
}

export function dtypeInfo(d: DType): DTypeInfo {
  return INFO[d];
}

export const itemsize = (d: DType): number => INFO[d].itemsize;
export const kindOf = (d: DType): Kind => INFO[d].kind;
export const isComplex = (d: DType): boolean => INFO[d].kind === "c";
export const isFloat = (d: DType): boolean => INFO[d].kind === "f";
export const isInteger = (d: DType): boolean => INFO[d].kind === "i" || INFO[d].kind === "u";
export const isBig = (d: DType): boolean => INFO[d].big;

/** A zero-filled data array for `n` elements of `d` (shared memory when `shared`). */
export function allocate(d: DType, n: number, shared = true): TypedArray {
  const { ctor, lanes } = INFO[d];
  const len = n * lanes;
  return shared ? new ctor(new SharedArrayBuffer(len * ctor.BYTES_PER_ELEMENT), 0, len) : new ctor(new ArrayBuffer(len * ctor.BYTES_PER_ELEMENT), 0, len);
}

/** The dtype a typed array holds by default (Uint8Array is uint8, not bool). */
export function dtypeOfTypedArray(a: ArrayBufferView): DType | undefined {
  if (a instanceof Float64Array) return "float64";
  if (a instanceof Float32Array) return "float32";
  if (a instanceof Int32Array) return "int32";
  if (a instanceof Uint32Array) return "uint32";
  if (a instanceof Int16Array) return "int16";
  if (a instanceof Uint16Array) return "uint16";
  if (a instanceof Int8Array) return "int8";
  if (a instanceof Uint8Array || a instanceof Uint8ClampedArray) return "uint8";
  if (a instanceof BigInt64Array) return "int64";
  if (a instanceof BigUint64Array) return "uint64";
  return undefined;
}

const ORDER: readonly DType[] = DTYPES;
const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], uint16: [0, 65535], int16: [-32768, 32767],
  uint32: [0, 4294967295], int32: [-2147483648, 2147483647],
};

/** NumPy's safe casting: every value of `from` is exactly a value of `to`. */
export function canCastSafely(from: DType, to: DType): boolean {
  if (from === to) return true;
  const f = INFO[from], t = INFO[to];
  switch (f.kind) {
    case "b":
      return true;
    case "u":
      if (t.kind === "u") return t.itemsize >= f.itemsize;
      if (t.kind === "i") return t.itemsize > f.itemsize;
      if (t.kind === "f") return f.itemsize <= 2 ? true : to === "float64";
      if (t.kind === "c") return f.itemsize <= 2 ? true : to === "complex128";
      return false;
    case "i":
      if (t.kind === "i") return t.itemsize >= f.itemsize;
      if (t.kind === "f") return f.itemsize <= 2 ? true : to === "float64";
      if (t.kind === "c") return f.itemsize <= 2 ? true : to === "complex128";
      return false;
    case "f":
      if (t.kind === "f") return t.itemsize >= f.itemsize;
      if (t.kind === "c") return t.itemsize >= 2 * f.itemsize;
      return false;
    case "c":
      return t.kind === "c" && t.itemsize >= f.itemsize;
  }
}

/** The dtype two arrays combine to (see the header). */
export function promote(a: DType, b: DType): DType {
  if (a === b) return a;
  for (const d of ORDER) if (canCastSafely(a, d) && canCastSafely(b, d)) return d;
  return "complex128";
}

/** A JS scalar operand: number, bigint, boolean, or a complex number. */
export interface Complex {
  re: number;
  im: number;
}
export type Scalar = number | bigint | boolean | Complex;

export function isComplexScalar(v: unknown): v is Complex {
  return typeof v === "object" && v !== null && typeof (v as Complex).re === "number" && typeof (v as Complex).im === "number";
}

export function isScalar(v: unknown): v is Scalar {
  return typeof v === "number" || typeof v === "bigint" || typeof v === "boolean" || isComplexScalar(v);
}

function scalarKind(s: Scalar): Kind {
  if (typeof s === "boolean") return "b";
  if (typeof s === "bigint") return "i";
  if (typeof s === "number") return Number.isInteger(s) ? "i" : "f";
  return "c";
}

const KIND_RANK: Record<Kind, number> = { b: 0, u: 1, i: 1, f: 2, c: 3 };

/** The dtype of `array (dtype a) op scalar s`, with the scalar weak (see the header). */
export function promoteScalar(a: DType, s: Scalar): DType {
  const sk = scalarKind(s);
  const ak = INFO[a].kind;
  if (KIND_RANK[sk] <= KIND_RANK[ak]) {
    if ((ak === "i" || ak === "u") && sk === "i") checkIntFits(a, s as number | bigint);
    return a;
  }
  switch (sk) {
    case "i":
      return "int32";
    case "f":
      return "float64";
    default:
      return ak === "f" && a === "float32" ? "complex64" : "complex128";
  }
}

/** The dtype a lone JS scalar gets (arrays made from it, full(), where()). */
export function scalarDType(s: Scalar): DType {
  switch (scalarKind(s)) {
    case "b":
      return "bool";
    case "i":
      return typeof s === "bigint" ? "int64" : "float64";
    case "f":
      return "float64";
    default:
      return "complex128";
  }
}

function checkIntFits(d: DType, v: number | bigint): void {
  const r = INT_RANGE[d];
  if (r !== undefined) {
    const n = Number(v);
    if (n < r[0] || n > r[1]) throw Errors.badInput(`the scalar ${v} is out of bounds for ${d} (${r[0]}..${r[1]}): cast the array first, e.g. x.astype("${d.startsWith("u") ? "int32" : "float64"}")`);
    return;
  }
  const big = BigInt(v);
  const [lo, hi] = d === "int64" ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n];
  if (big < lo || big > hi) throw Errors.badInput(`the scalar ${v} is out of bounds for ${d}: cast the array first, e.g. x.astype("float64")`);
}

/** The float dtype unary float functions and true division compute in (see the header). */
export function floatFor(d: DType): DType {
  const i = INFO[d];
  if (i.kind === "f" || i.kind === "c") return d;
  return i.itemsize <= 2 ? "float32" : "float64";
}

/** The real dtype of a complex dtype (complex64 -> float32), the dtype itself otherwise. */
export function realOf(d: DType): DType {
  return d === "complex64" ? "float32" : d === "complex128" ? "float64" : d;
}

/** The accumulator dtype of sum/prod (NumPy: small ints widen to the 64-bit int of their sign). */
export function sumDType(d: DType): DType {
  const k = INFO[d].kind;
  if (k === "b" || k === "i") return "int64";
  if (k === "u") return "uint64";
  return d;
}
