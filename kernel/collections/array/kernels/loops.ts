/**
 * Compiling expressions into loops, once per shape of problem per thread.
 *
 * A loop runs over one row of an n-dimensional iteration (iterate.ts cuts
 * the problem into rows); each operand is read at `o_i + k * s_i`, and the
 * stride class of each operand (0: broadcast, loaded once; 1: contiguous;
 * s: strided) is baked into the generated source, so the common case is a
 * plain `D0[o0 + k]` loop that V8 optimises like hand-written code. The
 * cache key is the expression, the classes and the loop kind: each distinct
 * loop is compiled once per thread (new Function), like user source.
 *
 * Loop kinds:
 *   map     out[oo + k] = expr(k)
 *   scalar  reduce a row into one cell: accumulators live in locals (sums
 *           unrolled four ways), start from and return to `st`
 *   vector  reduce into a row of cells: A_s[ao + k] op= expr(k)
 */
import { DType, dtypeInfo } from "../dtype";
import { Expr, exprKey } from "../expr";
import { EmitContext, emitExpr, newContext } from "./emit";
import { H } from "./helpers";

export type AccKind = "sum" | "nsum" | "ncount" | "prod" | "min" | "max" | "any" | "all" | "argmin" | "argmax";

/** One accumulator: a reduction `kind` of expression `e` (an index into the expression list). */
export interface Acc {
  readonly kind: AccKind;
  readonly e: number;
}

/** How many slots (arrays of one value per cell) an accumulator needs. */
export function accSlots(kind: AccKind, dt: DType): number {
  if (kind === "argmin" || kind === "argmax") return 2;
  if ((kind === "sum" || kind === "nsum" || kind === "prod") && dtypeInfo(dt).kind === "c") return 2;
  return 1;
}

export type StrideClass = "0" | "1" | "s";
export const strideClass = (s: number): StrideClass => (s === 0 ? "0" : s === 1 ? "1" : "s");

type Compiled = (...args: unknown[]) => void;
const cache = new Map<string, Compiled>();

function compile(key: string, params: string, source: string): Compiled {
  let fn = cache.get(key);
  if (fn === undefined) {
    fn = new Function("H", "F", `"use strict"; return function(${params}) {\n${source}\n};`)(H, Math.fround) as Compiled;
    cache.set(key, fn);
  }
  return fn;
}

function header(classes: readonly StrideClass[], extra = ""): string {
  const lines = classes.map((c, i) => `const D${i} = D[${i}], o${i} = O[${i}]${c === "s" ? `, s${i} = S[${i}]` : ""};`);
  return lines.join("\n") + extra;
}

function indexer(classes: readonly StrideClass[], k: string) {
  return (i: number): string | undefined => (classes[i] === "0" ? undefined : classes[i] === "1" ? `o${i} + ${k}` : `o${i} + (${k}) * s${i}`);
}

/** out[oo + k] = e(k) for k < n. Call as fn(out, oo, D, O, S, n). */
export function mapLoop(e: Expr, classes: readonly StrideClass[]): Compiled {
  const key = `map|${classes.join("")}|${exprKey(e)}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const ctx = newContext(indexer(classes, "k"));
  const v = emitExpr(ctx, e);
  const store = v.length === 2 ? `out[2 * (oo + k)] = ${v[0]}; out[2 * (oo + k) + 1] = ${v[1]};` : `out[oo + k] = ${v[0]};`;
  return compile(key, "out, oo, D, O, S, n", `${header(classes)}\n${scratch(ctx)}${ctx.pre.join("\n")}\nfor (let k = 0; k < n; k++) {\n${ctx.body.join("\n")}\n${store}\n}`);
}

function scratch(ctx: EmitContext): string {
  return ctx.needsScratch ? "const T = new Float64Array(2);\n" : "";
}

/** Per-slot update statements for accumulator `acc` given the expression's value names. */
function update(kind: AccKind, v: string[], dt: DType, slot: (s: number) => string, pos: string): string[] {
  const bigv = dtypeInfo(dt).big;
  const zero = bigv ? "0n" : "0";
  const x = v[0]!;
  const a = slot(0);
  switch (kind) {
    case "sum":
      return v.length === 2 ? [`${a} += ${v[0]};`, `${slot(1)} += ${v[1]};`] : [`${a} += ${x};`];
    case "nsum":
      return v.length === 2
        ? [`if (${v[0]} === ${v[0]} && ${v[1]} === ${v[1]}) { ${a} += ${v[0]}; ${slot(1)} += ${v[1]}; }`]
        : [`if (${x} === ${x}) ${a} += ${x};`];
    case "ncount":
      return v.length === 2 ? [`if (${v[0]} === ${v[0]} && ${v[1]} === ${v[1]}) ${a} += 1;`] : [`if (${x} === ${x}) ${a} += 1;`];
    case "prod":
      if (v.length === 2) {
        const b = slot(1);
        return [`{ const r = ${a} * ${v[0]} - ${b} * ${v[1]}; ${b} = ${a} * ${v[1]} + ${b} * ${v[0]}; ${a} = r; }`];
      }
      return [`${a} *= ${x};`];
    case "min":
      return [`if (${x} < ${a} || ${x} !== ${x}) ${a} = ${x};`];
    case "max":
      return [`if (${x} > ${a} || ${x} !== ${x}) ${a} = ${x};`];
    case "any":
      return v.length === 2 ? [`if (${v[0]} !== 0 || ${v[1]} !== 0) ${a} = 1;`] : [`if (${x} !== ${zero}) ${a} = 1;`];
    case "all":
      return v.length === 2 ? [`if (${v[0]} === 0 && ${v[1]} === 0) ${a} = 0;`] : [`if (${x} === ${zero}) ${a} = 0;`];
    case "argmin":
    case "argmax": {
      const cmp = kind === "argmin" ? "<" : ">";
      const idx = slot(1);
      return [`if (${idx} < 0 || ${x} ${cmp} ${a} || (${x} !== ${x} && ${a} === ${a})) { ${a} = ${x}; ${idx} = ${pos}; }`];
    }
  }
}

const SUMLIKE = new Set<AccKind>(["sum", "nsum", "ncount"]);

/**
 * Reduces one row into one cell. Call as fn(D, O, S, n, st, p0, ps): `st`
 * holds every slot's value for the cell, read at the start and written back;
 * p0 + k·ps is element k's position (for argmin/argmax).
 */
export function scalarLoop(exprs: readonly Expr[], accs: readonly Acc[], classes: readonly StrideClass[]): Compiled {
  const key = `scalar|${classes.join("")}|${accs.map((a) => `${a.kind}${a.e}`).join(",")}|${exprs.map(exprKey).join(";")}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const slotsOf = accs.map((a) => accSlots(a.kind, exprs[a.e]!.dt));
  const total = slotsOf.reduce((x, y) => x + y, 0);
  const unroll = accs.every((a) => SUMLIKE.has(a.kind) && !dtypeInfo(exprs[a.e]!.dt).big) ? 4 : 1;
  const counter = { n: 0 };
  const pre: string[] = [];
  const copies: EmitContext[] = [];
  const updates: string[][] = [];
  for (let u = 0; u < unroll; u++) {
    const ctx = newContext(indexer(classes, unroll === 1 ? "k" : `k + ${u}`), `_${u}`, counter, pre);
    const ups: string[] = [];
    let base = 0;
    accs.forEach((acc, j) => {
      const v = emitExpr(ctx, exprs[acc.e]!);
      const b = base;
      ups.push(...update(acc.kind, v, exprs[acc.e]!.dt, (s) => `a${b + s}_${u}`, unroll === 1 ? "p0 + k * ps" : `p0 + (k + ${u}) * ps`));
      base += slotsOf[j]!;
    });
    copies.push(ctx);
    updates.push(ups);
  }
  const decl: string[] = [];
  for (let s = 0; s < total; s++) {
    decl.push(`let a${s}_0 = st[${s}];`);
    for (let u = 1; u < unroll; u++) decl.push(`let a${s}_${u} = ${isBigSlot(exprs, accs, s) ? "0n" : "0"};`);
  }
  const loopBody = (u: number) => `${copies[u]!.body.join("\n")}\n${updates[u]!.join("\n")}`;
  let src = `${header(classes)}\n${copies.some((c) => c.needsScratch) ? "const T = new Float64Array(2);\n" : ""}${pre.join("\n")}\n${decl.join("\n")}\n`;
  if (unroll === 1) {
    src += `for (let k = 0; k < n; k++) {\n${loopBody(0)}\n}\n`;
  } else {
    src += `let k = 0;\nfor (; k + ${unroll - 1} < n; k += ${unroll}) {\n${copies.map((_, u) => loopBody(u)).join("\n")}\n}\n`;
    // The remainder reuses copy 0's code with k advancing one at a time.
    src += `for (; k < n; k++) {\n${loopBody(0)}\n}\n`;
    for (let s = 0; s < total; s++) src += `a${s}_0 += ${Array.from({ length: unroll - 1 }, (_, u) => `a${s}_${u + 1}`).join(" + ")};\n`;
  }
  for (let s = 0; s < total; s++) src += `st[${s}] = a${s}_0;\n`;
  return compile(key, "D, O, S, n, st, p0, ps", src);
}

function isBigSlot(exprs: readonly Expr[], accs: readonly Acc[], slot: number): boolean {
  let base = 0;
  for (const a of accs) {
    const n = accSlots(a.kind, exprs[a.e]!.dt);
    if (slot < base + n) return dtypeInfo(exprs[a.e]!.dt).big && a.kind !== "ncount";
    base += n;
  }
  return false;
}

/**
 * Reduces one row into a row of cells. Call as fn(D, O, S, n, A, ao, pos):
 * A[s][ao + k] is slot s of element k's cell; `pos` is the row's position.
 */
export function vectorLoop(exprs: readonly Expr[], accs: readonly Acc[], classes: readonly StrideClass[]): Compiled {
  const key = `vector|${classes.join("")}|${accs.map((a) => `${a.kind}${a.e}`).join(",")}|${exprs.map(exprKey).join(";")}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const ctx = newContext(indexer(classes, "k"));
  const ups: string[] = [];
  const slots = accs.reduce((n, a) => n + accSlots(a.kind, exprs[a.e]!.dt), 0);
  let base = 0;
  for (const acc of accs) {
    const v = emitExpr(ctx, exprs[acc.e]!);
    const b = base;
    // Work on locals, then store: the update code is the same as the scalar loop's.
    const n = accSlots(acc.kind, exprs[acc.e]!.dt);
    const names = Array.from({ length: n }, (_, s) => `c${b + s}`);
    ups.push(`{ ${names.map((c, s) => `let ${c} = A${b + s}[ao + k];`).join(" ")}`);
    ups.push(...update(acc.kind, v, exprs[acc.e]!.dt, (s) => names[s]!, "pos"));
    ups.push(`${names.map((c, s) => `A${b + s}[ao + k] = ${c};`).join(" ")} }`);
    base += n;
  }
  const aDecl = Array.from({ length: slots }, (_, s) => `const A${s} = A[${s}];`).join("\n");
  const src = `${header(classes)}\n${aDecl}\n${scratch(ctx)}${ctx.pre.join("\n")}\nfor (let k = 0; k < n; k++) {\n${ctx.body.join("\n")}\n${ups.join("\n")}\n}`;
  return compile(key, "D, O, S, n, A, ao, pos", src);
}
