/**
 * NDArray: one contiguous n-dimensional array in memory (C order), what
 * `compute()` returns and what user block functions receive.
 *
 * A chunk travels between threads as a plain `ChunkData` record (data,
 * shape, dtype): class instances do not survive a structured clone. NDArray
 * wraps one without copying. Complex data is interleaved (re, im) pairs;
 * bool is 0/1 bytes; int64/uint64 are bigints.
 */
import { inspect } from "node:util";
import { Errors } from "../../errors";
import { TypedArray } from "../../store/shared";
import { MIMEBUNDLE, MimeBundle, escapeHtml } from "../repr";
import { Complex, DType, dtypeInfo } from "./dtype";

/** The wire form of a chunk. Data is C-ordered and exactly `size * lanes` long. */
export interface ChunkData {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
}

export type Element = number | bigint | boolean | Complex;

export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** C-order strides in elements. */
export function cStrides(shape: readonly number[]): number[] {
  const out = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    out[d] = s;
    s *= shape[d]!;
  }
  return out;
}

/** Element `flat` of a chunk's data as a JS value of its dtype. */
export function readElement(data: TypedArray, dtype: DType, flat: number): Element {
  const info = dtypeInfo(dtype);
  if (info.kind === "c") return { re: data[2 * flat] as number, im: data[2 * flat + 1] as number };
  if (info.kind === "b") return data[flat] !== 0;
  return data[flat] as number | bigint;
}

export class NDArray implements ChunkData {
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly dtype: DType;
  /** Strides in elements (not bytes: typed arrays index by element). */
  readonly strides: readonly number[];

  /**
   * Wraps data without copying. `data` holds `size` elements of `dtype`
   * (2·size numbers for complex), in C order.
   * @example new NDArray(new Float64Array([1, 2, 3, 4]), [2, 2], "float64").get(1, 0) // 3
   */
  constructor(data: TypedArray, shape: readonly number[], dtype: DType) {
    const info = dtypeInfo(dtype);
    const size = sizeOf(shape);
    if (!(data instanceof info.ctor) || data.length !== size * info.lanes) {
      throw Errors.badInput(
        `NDArray: a ${dtype} array of shape [${shape.join(", ")}] needs a ${info.ctor.name} of ${size * info.lanes} elements, got a ${data?.constructor?.name ?? typeof data} of ${(data as { length?: number })?.length ?? "?"}`,
      );
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtype;
    this.strides = Object.freeze(cStrides(shape));
  }

  /** An NDArray over a chunk record (no copy). */
  static from(c: ChunkData): NDArray {
    return c instanceof NDArray ? c : new NDArray(c.data, c.shape, c.dtype);
  }

  get ndim(): number {
    return this.shape.length;
  }
  get size(): number {
    return sizeOf(this.shape);
  }
  get itemsize(): number {
    return dtypeInfo(this.dtype).itemsize;
  }
  get nbytes(): number {
    return this.size * this.itemsize;
  }

  /**
   * One element; negative indices count from the end.
   * @example a.get(0, -1)
   */
  get(...index: number[]): Element {
    if (index.length !== this.ndim) {
      throw Errors.badInput(`NDArray.get: an array of shape [${this.shape.join(", ")}] needs ${this.ndim} indices, got ${index.length}`);
    }
    let flat = 0;
    for (let d = 0; d < index.length; d++) {
      let i = index[d]!;
      const n = this.shape[d]!;
      if (!Number.isInteger(i) || i < -n || i >= n) throw Errors.badInput(`NDArray.get: index ${i} is out of bounds for axis ${d} with size ${n}`);
      if (i < 0) i += n;
      flat += i * this.strides[d]!;
    }
    return readElement(this.data, this.dtype, flat);
  }

  /**
   * Nested JS arrays of elements (a 0-d array gives its element).
   * @example (await da.arange(4).compute()).toNested() // [0, 1, 2, 3]
   */
  toNested(): unknown {
    const rec = (d: number, at: number): unknown => {
      if (d === this.ndim) return readElement(this.data, this.dtype, at);
      const out = new Array(this.shape[d]!);
      for (let i = 0; i < out.length; i++) out[i] = rec(d + 1, at + i * this.strides[d]!);
      return out;
    };
    return rec(0, 0);
  }

  toString(): string {
    return `NDArray(${formatNested(this)}, shape=[${this.shape.join(", ")}], dtype=${this.dtype})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }

  /** Notebook display: the values (elided when large) and the shape. */
  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": this.toString(), "text/html": `<pre>${escapeHtml(this.toString())}</pre>` };
  }
}

function formatElement(e: Element): string {
  if (typeof e === "object") return `${e.re}${e.im < 0 || Object.is(e.im, -0) ? "-" : "+"}${Math.abs(e.im)}j`;
  if (typeof e === "bigint") return String(e);
  return String(e);
}

const EDGE = 3;
/** NumPy-like text with "..." beyond 6 items per dimension. */
function formatNested(a: NDArray): string {
  const rec = (d: number, at: number): string => {
    if (d === a.ndim) return formatElement(readElement(a.data, a.dtype, at));
    const n = a.shape[d]!;
    const parts: string[] = [];
    const idx = n > 2 * EDGE ? [...Array(EDGE).keys(), -1, ...Array.from({ length: EDGE }, (_, k) => n - EDGE + k)] : [...Array(n).keys()];
    for (const i of idx) parts.push(i < 0 ? "..." : rec(d + 1, at + i * a.strides[d]!));
    return `[${parts.join(d === a.ndim - 1 ? ", " : ",\n" + " ".repeat(d + 9))}]`;
  };
  return rec(0, 0);
}
