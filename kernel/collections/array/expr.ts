/**
 * The elementwise expression IR: what an elementwise operation is, as data.
 *
 * Graph builders (main thread) make expressions; worker kernels compile each
 * distinct expression once into a specialised loop (kernels/emit.ts). Chains
 * of elementwise operations fuse by substituting one expression into another
 * (`substituteInput`), so `sqrt(x * 2 + 1)` is one loop over x.
 *
 * Invariants, established by the builders (elementwise.ts), relied on by the
 * code generator: every node carries its result dtype `dt`; the operands of
 * an arithmetic or comparison node have already been cast to one compute
 * dtype; `in` nodes number the operands 0..n-1 of the task.
 */
import { DType } from "./dtype";

export type Expr =
  /** Operand `i` of the task (a chunk, broadcast to the output shape). */
  | { readonly k: "in"; readonly i: number; readonly dt: DType }
  /** A constant: number, boolean as 0/1, bigint as decimal text, complex as [re, im]. */
  | { readonly k: "c"; readonly v: number | string | readonly [number, number]; readonly dt: DType }
  /** An operation over sub-expressions; `p` holds numeric parameters (round's decimals, nanToNum's values). */
  | { readonly k: "op"; readonly op: OpName; readonly a: readonly Expr[]; readonly dt: DType; readonly p?: readonly number[] };

export const UNARY_OPS = [
  "cast", "neg", "abs", "sqrt", "exp", "log", "log1p", "sin", "cos", "tan", "floor", "ceil", "round",
  "isnan", "isinf", "isfinite", "nanToNum", "not", "real", "imag", "conj", "sign",
] as const;
export const BINARY_OPS = [
  "add", "sub", "mul", "div", "floorDiv", "mod", "pow", "maximum", "minimum",
  "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "xor",
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];
export type BinaryOp = (typeof BINARY_OPS)[number];
export type OpName = UnaryOp | BinaryOp | "where" | "clip";

export const input = (i: number, dt: DType): Expr => ({ k: "in", i, dt });

/** Number of operands an expression reads (1 + its highest `in` index). */
export function arity(e: Expr): number {
  if (e.k === "in") return e.i + 1;
  if (e.k === "c") return 0;
  let n = 0;
  for (const a of e.a) n = Math.max(n, arity(a));
  return n;
}

/** `e` with every `in` node mapped by `f` (renumbering or replacing operands). */
export function mapInputs(e: Expr, f: (i: number, dt: DType) => Expr): Expr {
  if (e.k === "in") return f(e.i, e.dt);
  if (e.k === "c") return e;
  return { ...e, a: e.a.map((x) => mapInputs(x, f)) };
}

/** A stable text key of an expression (caches, tokens). */
export function exprKey(e: Expr): string {
  if (e.k === "in") return `$${e.i}:${e.dt}`;
  if (e.k === "c") return `#${JSON.stringify(e.v)}:${e.dt}`;
  return `${e.op}${e.p === undefined ? "" : `[${e.p.join(",")}]`}(${e.a.map(exprKey).join(",")}):${e.dt}`;
}
