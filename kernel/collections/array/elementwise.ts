/**
 * Elementwise operations with NumPy broadcasting: each builds one blockwise
 * layer whose kernel is an expression (expr.ts) over the operands' blocks.
 * Chains of them fuse into one loop (fusion.ts), so layers cost nothing.
 *
 * Broadcasting: shapes are right-aligned; a dimension of length 1 stretches.
 * Operands cut differently along the same dimension are rechunked to the
 * common refinement of their chunks first (Dask's unify_chunks).
 * Types: dtype.ts's promotion rules; the table below says, per operation,
 * which dtype it computes in and which it returns.
 */
import { Errors } from "../../errors";
import { builtin } from "../../graph";
import { Chunks, refine } from "./chunks";
import {
  DType, Scalar, checkDType, floatFor, isComplexScalar, isScalar, kindOf, promote, promoteScalar, realOf,
} from "./dtype";
import { BinaryOp, Expr, OpName, UnaryOp, exprKey, input } from "./expr";
import { blockArg, blockwiseArray, layerName, letters } from "./core";
import { TArray } from "./array";
import { fromArray } from "./creation";
import { NDArray } from "./ndarray";
import { rechunk } from "./rechunk";

export type Operand = TArray | Scalar | NDArray;

const COMPARE = new Set<OpName>(["eq", "ne", "lt", "le", "gt", "ge"]);
const LOGICAL = new Set<OpName>(["and", "or", "xor", "not"]);
const FLOAT_UNARY = new Set<OpName>(["sqrt", "exp", "log", "log1p", "sin", "cos", "tan", "floor", "ceil"]);

/** A constant node of dtype d for scalar s. */
export function constant(s: Scalar, d: DType): Expr {
  const k = kindOf(d);
  if (k === "c") return { k: "c", v: isComplexScalar(s) ? [s.re, s.im] : [Number(s), 0], dt: d };
  if (isComplexScalar(s)) throw Errors.badInput(`a complex scalar cannot combine with a ${d} array in this operation`);
  if (d === "int64" || d === "uint64") return { k: "c", v: String(typeof s === "number" ? Math.trunc(s) : BigInt(s)), dt: d };
  if (k === "b") return { k: "c", v: s ? 1 : 0, dt: d };
  return { k: "c", v: Number(s), dt: d };
}

export function cast(e: Expr, d: DType): Expr {
  if (e.dt === d) return e;
  if (e.k === "c" && kindOf(e.dt) !== "c" && kindOf(d) !== "c" && e.dt !== "int64" && e.dt !== "uint64" && d !== "int64" && d !== "uint64") {
    return { k: "c", v: kindOf(d) === "b" ? (e.v !== 0 ? 1 : 0) : e.v, dt: d };
  }
  return { k: "op", op: "cast", a: [e], dt: d };
}

/** The dtype operands combine to: arrays by promote(), scalars weakly. */
function commonDType(ops: readonly Operand[]): DType {
  const arrays = ops.filter((o): o is TArray | NDArray => !isScalar(o));
  let d: DType | undefined;
  for (const a of arrays) d = d === undefined ? a.dtype : promote(d, a.dtype);
  if (d === undefined) throw Errors.badInput("an elementwise operation needs at least one array operand");
  for (const o of ops) if (isScalar(o)) d = promoteScalar(d, o);
  return d;
}

/** Compute dtype and result dtype of `op` over operands of common dtype `ct`. */
function signature(op: OpName, ct: DType, what: string): [DType, DType] {
  const k = kindOf(ct);
  const bad = (fix: string) => Errors.badInput(`${what}: ${op} is not defined for ${ct} (${fix})`);
  if (COMPARE.has(op)) {
    if (k === "c" && op !== "eq" && op !== "ne") throw bad("complex numbers have no order; compare x.abs() or x.real()");
    return [ct, "bool"];
  }
  if (LOGICAL.has(op)) return ["bool", "bool"];
  switch (op) {
    case "add": case "mul":
      return [ct, ct];
    case "sub": case "neg":
      if (ct === "bool") throw bad(`use xor / not for booleans, or cast first: x.astype("int8")`);
      return [ct, ct];
    case "div":
      return k === "f" || k === "c" ? [ct, ct] : ["float64", "float64"];
    case "floorDiv": case "mod":
      if (k === "c") throw bad("floor division and modulo need real numbers");
      return ct === "bool" ? ["int8", "int8"] : [ct, ct];
    case "pow":
      return ct === "bool" ? ["int8", "int8"] : [ct, ct];
    case "maximum": case "minimum":
      if (k === "c") throw bad("complex numbers have no order");
      return [ct, ct];
    case "abs":
      return [ct, realOf(ct)];
    case "round": case "nanToNum": case "conj":
      return [ct, ct];
    case "sign":
      if (k === "c") throw bad("use x.div(x.abs()) for complex numbers");
      return [ct, ct];
    case "real": case "imag":
      return [ct, realOf(ct)];
    case "isnan": case "isinf": case "isfinite":
      return [ct, "bool"];
    default:
      if (FLOAT_UNARY.has(op)) {
        if ((op === "floor" || op === "ceil") && k === "c") throw bad("complex numbers cannot be floored");
        const f = floatFor(ct);
        return [f, f];
      }
  }
  throw Errors.badInput(`${what}: unknown operation ${op}`);
}

/** Broadcast shape of several shapes, with the NumPy error when they do not fit. */
export function broadcastShape(shapes: readonly (readonly number[])[]): number[] {
  const nd = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(nd).fill(1);
  for (let d = 0; d < nd; d++) {
    for (const s of shapes) {
      const n = s[d - (nd - s.length)];
      if (n === undefined || n === 1) continue;
      if (out[d] === 1 || (Number.isNaN(out[d]!) && Number.isNaN(n))) out[d] = n;
      else if (out[d] !== n) {
        throw Errors.badInput(
          `operands could not be broadcast together with shapes ${shapes.map((x) => `[${x.join(", ")}]`).join(" ")}: ` +
            `dimension ${d} of the result is ${out[d]} in one and ${n} in another (lengths must match or be 1; reshape or slice one of them)`,
        );
      }
    }
  }
  return out;
}

/** Rechunks arrays so that dimensions they share (right-aligned, length > 1) are cut alike. */
export function unifyChunks(arrays: readonly TArray[], shape: readonly number[]): { arrays: TArray[]; chunks: number[][] } {
  const nd = shape.length;
  const chunks: number[][] = [];
  for (let d = 0; d < nd; d++) {
    let c: number[] | undefined;
    for (const a of arrays) {
      const k = d - (nd - a.ndim);
      if (k < 0 || a.shape[k] === 1) continue;
      const ac = a.chunks[k]!;
      if (c === undefined) c = [...ac];
      else if (ac.some(Number.isNaN) || c.some(Number.isNaN)) {
        if (ac.length !== c.length || ac.some((x, i) => !(Number.isNaN(x) && Number.isNaN(c![i]!)) && x !== c![i])) {
          throw Errors.badInput(`operands with unknown chunk sizes along dimension ${d} cannot be aligned: call x = await x.computeChunkSizes() first`);
        }
      } else c = refine(c, ac);
    }
    chunks.push(c ?? [shape[d] === 0 ? 0 : 1]);
  }
  const out = arrays.map((a) => {
    const want: Chunks = a.chunks.map((ac, k) => (a.shape[k] === 1 ? ac : chunks[k + (nd - a.ndim)]!));
    return want.every((w, k) => w.length === a.chunks[k]!.length) ? a : rechunk(a, want);
  });
  return { arrays: out, chunks };
}

/**
 * Builds `op` over operands (arrays, NDArrays, JS scalars). `params` are the
 * op's numeric parameters (round's decimals, nanToNum's values).
 */
export function elementwise(op: OpName, operands: readonly Operand[], params?: readonly number[], what: string = op): TArray {
  const ops = operands.map((o) => (o instanceof NDArray ? fromArray(o) : o)) as (TArray | Scalar)[];
  for (const o of ops) {
    if (!(o instanceof TArray) && !isScalar(o)) throw Errors.badOption(`${what} operand`, o, "a Tessera array, an NDArray, or a number / bigint / boolean / {re, im}");
  }
  let ct = commonDType(ops);
  // Logical ops read truthiness; where() casts its condition itself.
  const [compute, result] = op === "where" || op === "clip" ? [ct, ct] : signature(op, ct, what);
  ct = compute;
  const arrays = ops.filter((o): o is TArray => o instanceof TArray);
  const shape = broadcastShape(arrays.map((a) => a.shape));
  const { arrays: unified, chunks } = unifyChunks(arrays, shape);
  // Each distinct array is one operand of the kernel (x * x reads x once).
  const inputs: TArray[] = [];
  const exprs = ops.map((o) => {
    if (!(o instanceof TArray)) return constant(o, op === "where" ? ct : compute);
    const u = unified[arrays.indexOf(o)]!;
    let i = inputs.findIndex((x) => x.name === u.name);
    if (i < 0) i = inputs.push(u) - 1;
    return input(i, u.dtype);
  });
  const e: Expr = op === "where"
    ? { k: "op", op, a: [cast(exprs[0]!, "bool"), cast(exprs[1]!, ct), cast(exprs[2]!, ct)], dt: ct }
    : { k: "op", op, a: exprs.map((x) => cast(x, LOGICAL.has(op) ? "bool" : compute)), dt: result, ...(params ? { p: params } : {}) };
  return fromExpr(op, e, inputs, shape, chunks);
}

/** The array computing `e` over `inputs` (broadcast to `shape`, cut as `chunks`). */
export function fromExpr(op: string, e: Expr, inputs: readonly TArray[], shape: readonly number[], chunks: Chunks): TArray {
  const nd = shape.length;
  const ind = letters(nd);
  const args = inputs.map((a) => blockArg(a, ind.slice(nd - a.ndim)));
  const name = layerName(op, exprKey(e), inputs.map((a) => a.name));
  return blockwiseArray(op, name, builtin("array.map"), [{ kind: "lit", value: e }, ...args], chunks, e.dt, inputs);
}

export function unary(op: UnaryOp, x: TArray, params?: readonly number[]): TArray {
  return elementwise(op, [x], params, `x.${op}()`);
}

export function binary(op: BinaryOp, x: TArray, y: Operand): TArray {
  return elementwise(op, [x, y], undefined, `x.${op}(y)`);
}

/** x cast to dtype d (NumPy's astype, unsafe casting: floats truncate, integers wrap). */
export function astype(x: TArray, d: DType): TArray {
  const dt = checkDType(d, "astype(dtype)");
  if (dt === x.dtype) return x;
  return fromExpr("astype", cast(input(0, x.dtype), dt), [x], x.shape, x.chunks);
}

/** where(cond, a, b): a where cond is true, b elsewhere. */
export function where(cond: Operand, a: Operand, b: Operand): TArray {
  return elementwise("where", [cond, a, b], undefined, "da.where(cond, a, b)");
}

/** Values limited to [lo, hi]; either bound may be undefined. */
export function clip(x: TArray, lo?: Scalar, hi?: Scalar): TArray {
  if (lo === undefined && hi === undefined) throw Errors.badOption("clip(lo, hi)", [lo, hi], "at least one bound");
  let ct = x.dtype;
  for (const b of [lo, hi]) if (b !== undefined) ct = promoteScalar(ct, b);
  if (kindOf(ct) === "c") throw Errors.badInput("clip: complex numbers have no order");
  const bound = (b: Scalar | undefined): Expr => constant(b ?? 0, ct);
  // p says which bounds were given; a missing one is a placeholder the generated code skips.
  const e: Expr = { k: "op", op: "clip", a: [cast(input(0, x.dtype), ct), bound(lo), bound(hi)], dt: ct, p: [lo === undefined ? 0 : 1, hi === undefined ? 0 : 1] };
  return fromExpr("clip", e, [x], x.shape, x.chunks);
}
