/**
 * Running compiled loops over n-dimensional operands.
 *
 * Every operand (input chunks, the output, accumulators, the position
 * counter) is an offset plus one stride per dimension of the iteration
 * shape; broadcasting is a stride of 0. Dimensions of length 1 are dropped
 * and neighbouring dimensions that every operand walks contiguously are
 * merged, so a C-ordered chunk is one row of `size` elements and a
 * broadcast (1000, 1000) + (1000,) is 1000 rows of 1000. The last merged
 * dimension is the row a compiled loop runs; the others are an odometer.
 */
import { TypedArray } from "../../../store/shared";
import { ChunkData, cStrides, sizeOf } from "../ndarray";
import { DType, allocate, dtypeInfo } from "../dtype";
import { Expr } from "../expr";
import { Acc, accSlots, mapLoop, scalarLoop, strideClass, vectorLoop } from "./loops";

export interface Collapsed {
  shape: number[];
  /** strides[op][dim] */
  strides: number[][];
}

/** Drops length-1 dimensions and merges dimensions every operand walks contiguously. */
export function collapse(shape: readonly number[], strides: readonly (readonly number[])[]): Collapsed {
  const dims: number[] = [];
  for (let d = 0; d < shape.length; d++) if (shape[d] !== 1) dims.push(d);
  if (dims.length === 0) return { shape: [1], strides: strides.map(() => [0]) };
  const outShape: number[] = [shape[dims[0]!]!];
  const outStrides = strides.map((s) => [s[dims[0]!]!]);
  for (let j = 1; j < dims.length; j++) {
    const d = dims[j]!;
    const last = outShape.length - 1;
    const n = shape[d]!;
    const mergeable = strides.every((s, o) => outStrides[o]![last] === s[d]! * n);
    if (mergeable) {
      outShape[last] = outShape[last]! * n;
      strides.forEach((s, o) => (outStrides[o]![last] = s[d]!));
    } else {
      outShape.push(n);
      strides.forEach((s, o) => outStrides[o]!.push(s[d]!));
    }
  }
  return { shape: outShape, strides: outStrides };
}

/** Strides of a chunk of `shape` read as if it had `outShape` (right-aligned broadcasting). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const cs = cStrides(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, d) => {
    const k = d - lead;
    if (k < 0 || shape[k] === 1) return 0;
    return cs[k]!;
  });
}

/** Calls row(offsets, n) for every row of the collapsed iteration; offsets[op] is the row start. */
export function forEachRow(c: Collapsed, base: readonly number[], row: (offs: number[], n: number) => void): void {
  const nd = c.shape.length;
  const nops = c.strides.length;
  const n = c.shape[nd - 1]!;
  if (n === 0 || c.shape.some((s) => s === 0)) return;
  const offs = [...base];
  const idx = new Array<number>(nd - 1).fill(0);
  for (;;) {
    row(offs, n);
    let d = nd - 2;
    for (; d >= 0; d--) {
      for (let o = 0; o < nops; o++) offs[o]! += c.strides[o]![d]!;
      if (++idx[d]! < c.shape[d]!) break;
      for (let o = 0; o < nops; o++) offs[o]! -= c.strides[o]![d]! * c.shape[d]!;
      idx[d] = 0;
    }
    if (d < 0) return;
  }
}

/** The shape two or more chunks broadcast to. */
export function broadcastShapes(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (const s of shapes) {
    for (let k = 0; k < s.length; k++) {
      const d = nd - s.length + k;
      if (s[k] !== 1) out[d] = s[k]!;
    }
  }
  return out;
}

/** Evaluates `e` over chunks (broadcast together) into a new chunk of dtype e.dt. */
export function evaluate(e: Expr, inputs: readonly ChunkData[], shape?: readonly number[]): ChunkData {
  const outShape = shape ?? broadcastShapes(inputs.map((c) => c.shape));
  const out = allocate(e.dt, sizeOf(outShape));
  const strides = [...inputs.map((c) => broadcastStrides(c.shape, outShape)), cStrides(outShape)];
  const col = collapse(outShape, strides);
  const classes = col.strides.slice(0, inputs.length).map((s) => strideClass(s[s.length - 1]!));
  const fn = mapLoop(e, classes);
  const D = inputs.map((c) => c.data);
  const S = col.strides.slice(0, inputs.length).map((s) => s[s.length - 1]!);
  forEachRow(col, new Array(inputs.length + 1).fill(0), (offs, n) => fn(out, offs[inputs.length], D, offs, S, n));
  return { data: out, shape: outShape, dtype: e.dt };
}

/** Result of reducing one chunk: one array per accumulator slot, one value per cell. */
export interface Slots {
  readonly cells: number;
  readonly slots: TypedArray[];
}

const EXACT_ROWS = 2 ** 21; // elements of <= 32-bit ints whose sum stays below 2^53

function slotArray(kind: Acc["kind"], dt: DType, s: number, cells: number): TypedArray {
  const info = dtypeInfo(dt);
  const isIndex = (kind === "argmin" || kind === "argmax") && s === 1;
  let a: TypedArray;
  if (!isIndex && info.big && kind !== "ncount" && kind !== "any" && kind !== "all") a = allocate(dt, cells, false);
  else if (kind === "sum" && (info.kind === "i" || info.kind === "u" || info.kind === "b")) a = allocate(info.kind === "u" ? "uint64" : "int64", cells, false);
  else a = new Float64Array(cells);
  const init = slotInit(kind, dt, s);
  if (init !== 0) (a as unknown as { fill(v: unknown): void }).fill(info.big && !isIndex && typeof init === "number" ? BigInt(init) : init);
  return a;
}

function slotInit(kind: Acc["kind"], dt: DType, s: number): number | bigint {
  const big = dtypeInfo(dt).big;
  switch (kind) {
    case "prod":
      return s === 0 ? 1 : 0;
    case "all":
      return 1;
    case "min":
      return big ? (dt === "int64" ? 2n ** 63n - 1n : 2n ** 64n - 1n) : Infinity;
    case "max":
      return big ? (dt === "int64" ? -(2n ** 63n) : 0n) : -Infinity;
    case "argmin":
    case "argmax":
      return s === 1 ? -1 : 0;
    default:
      return 0;
  }
}

/**
 * Reduces chunks (broadcast to `shape`) over `axes` into cells (the kept
 * dimensions, C order). `position` gives each element's position for
 * argmin/argmax: strides per dimension (flat index, or index along an axis).
 */
export function reduceSlots(
  exprs: readonly Expr[], accs: readonly Acc[], inputs: readonly ChunkData[], shape: readonly number[],
  axes: readonly number[], position?: readonly number[],
): Slots {
  const keptShape = shape.map((n, d) => (axes.includes(d) ? 1 : n));
  const cells = sizeOf(keptShape);
  const accStrides = cStrides(keptShape).map((s, d) => (axes.includes(d) ? 0 : s));
  const slots: TypedArray[] = [];
  const exact: boolean[] = [];
  for (const a of accs) {
    const dt = exprs[a.e]!.dt;
    const k = dtypeInfo(dt).kind;
    for (let s = 0; s < accSlots(a.kind, dt); s++) {
      slots.push(slotArray(a.kind, dt, s, cells));
      exact.push(a.kind === "sum" && (k === "i" || k === "u" || k === "b") && !dtypeInfo(dt).big);
    }
  }
  const nin = inputs.length;
  const strides = [...inputs.map((c) => broadcastStrides(c.shape, shape)), accStrides, position ? [...position] : shape.map(() => 0)];
  const col = collapse(shape, strides);
  const inner = (o: number) => col.strides[o]![col.shape.length - 1]!;
  const classes = inputs.map((_, i) => strideClass(inner(i)));
  const D = inputs.map((c) => c.data);
  const S = inputs.map((_, i) => inner(i));
  const ps = inner(nin + 1);
  const base = new Array(nin + 2).fill(0);
  if (inner(nin) === 0) {
    const fn = scalarLoop(exprs, accs, classes);
    const st = new Array(slots.length);
    forEachRow(col, base, (offs, n) => {
      const cell = offs[nin]!;
      for (let from = 0; from < n; from += EXACT_ROWS) {
        const len = Math.min(EXACT_ROWS, n - from);
        const O = from === 0 ? offs : offs.map((o, i) => (i < nin ? o + from * S[i]! : o));
        for (let s = 0; s < slots.length; s++) st[s] = exact[s] ? 0 : slots[s]![cell];
        fn(D, O, S, len, st, offs[nin + 1]! + from * ps, ps);
        for (let s = 0; s < slots.length; s++) {
          if (exact[s]) (slots[s] as BigInt64Array)[cell]! += BigInt(st[s]);
          else slots[s]![cell] = st[s];
        }
      }
    });
  } else {
    const fn = vectorLoop(exprs, accs, classes);
    // Exact integer sums accumulate in float64 rows, flushed into int64 before they could round.
    const temps = slots.map((a, s) => (exact[s] ? new Float64Array(cells) : a));
    let rows = 0;
    const flush = () => {
      slots.forEach((a, s) => {
        if (!exact[s]) return;
        const t = temps[s] as Float64Array;
        for (let c = 0; c < cells; c++) if (t[c] !== 0) ((a as BigInt64Array)[c]! += BigInt(t[c]!)), (t[c] = 0);
      });
    };
    forEachRow(col, base, (offs, n) => {
      fn(D, offs, S, n, temps, offs[nin], offs[nin + 1]);
      if (++rows === EXACT_ROWS) (flush(), (rows = 0));
    });
    flush();
  }
  return { cells, slots };
}
