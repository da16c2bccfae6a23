/**
 * Expression -> JavaScript statements, one element at a time.
 *
 * Each node becomes one `const` (two for complex: real and imaginary part),
 * emitted once however often the expression uses it (common subexpressions
 * are shared by structural key). Values are JS numbers for bool (0/1), the
 * 8-32-bit integers and floats, bigints for int64/uint64, and pairs of
 * numbers for complex. Integer results are wrapped to their width after
 * every operation, and float32 results rounded with Math.fround, so a fused
 * chain gives bit for bit what NumPy gives step by step.
 */
import { DType, dtypeInfo } from "../dtype";
import { Expr, exprKey } from "../expr";

export interface EmitContext {
  /** Statements run for every element. */
  readonly body: string[];
  /** Statements run once before the loop (loads of broadcast scalars). */
  readonly pre: string[];
  /** The element index expression of operand i, or undefined when the operand is loop-invariant. */
  readonly index: (i: number) => string | undefined;
  /** Suffix that keeps variable names unique across unrolled copies. */
  readonly suffix: string;
  readonly memo: Map<string, string[]>;
  counter: { n: number };
  /** Set when a complex helper needs the scratch pair T. */
  needsScratch: boolean;
}

export function newContext(index: (i: number) => string | undefined, suffix = "", counter = { n: 0 }, pre: string[] = []): EmitContext {
  return { body: [], pre, index, suffix, memo: new Map(), counter, needsScratch: false };
}

const kind = (d: DType) => dtypeInfo(d).kind;
const big = (d: DType) => dtypeInfo(d).big;

/** An expression text wrapped to dtype d's range (numbers) or width (bigints). */
export function wrap(d: DType, e: string): string {
  switch (d) {
    case "int8": return `((${e}) << 24 >> 24)`;
    case "uint8": return `((${e}) & 255)`;
    case "int16": return `((${e}) << 16 >> 16)`;
    case "uint16": return `((${e}) & 65535)`;
    case "int32": return `((${e}) | 0)`;
    case "uint32": return `((${e}) >>> 0)`;
    case "float32":
    case "complex64": return `F(${e})`;
    case "int64": return `BigInt.asIntN(64, ${e})`;
    case "uint64": return `BigInt.asUintN(64, ${e})`;
    default: return `(${e})`;
  }
}

function literal(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  if (Object.is(v, -0)) return "-0";
  return `(${v})`;
}

export function emitExpr(ctx: EmitContext, e: Expr): string[] {
  const key = exprKey(e);
  const got = ctx.memo.get(key);
  if (got !== undefined) return got;
  const out = emitNode(ctx, e);
  ctx.memo.set(key, out);
  return out;
}

function fresh(ctx: EmitContext): string {
  return `v${ctx.counter.n++}${ctx.suffix}`;
}

function def(ctx: EmitContext, code: string): string {
  const v = fresh(ctx);
  ctx.body.push(`const ${v} = ${code};`);
  return v;
}

function def2(ctx: EmitContext, re: string, im: string): string[] {
  return [def(ctx, re), def(ctx, im)];
}

/** A complex helper writing into T, then both parts read out. */
function viaT(ctx: EmitContext, call: string): string[] {
  ctx.needsScratch = true;
  ctx.body.push(`${call};`);
  return def2(ctx, "T[0]", "T[1]");
}

function emitNode(ctx: EmitContext, e: Expr): string[] {
  if (e.k === "c") {
    if (kind(e.dt) === "c") {
      const [re, im] = e.v as readonly [number, number];
      return [literal(re), literal(im)];
    }
    return [big(e.dt) ? `${e.v as string}n` : literal(e.v as number)];
  }
  if (e.k === "in") {
    const idx = ctx.index(e.i);
    const c = kind(e.dt) === "c";
    if (idx === undefined) {
      // Loop-invariant operand: load once before the loop.
      const names = c ? [`L${e.i}r`, `L${e.i}i`] : [`L${e.i}`];
      const decl = c ? `const L${e.i}r = D${e.i}[2 * o${e.i}], L${e.i}i = D${e.i}[2 * o${e.i} + 1];` : `const L${e.i} = D${e.i}[o${e.i}];`;
      if (!ctx.pre.includes(decl)) ctx.pre.push(decl);
      return names;
    }
    return c ? def2(ctx, `D${e.i}[2 * (${idx})]`, `D${e.i}[2 * (${idx}) + 1]`) : [def(ctx, `D${e.i}[${idx}]`)];
  }
  const args = e.a.map((a) => emitExpr(ctx, a));
  return emitOp(ctx, e, args);
}

function emitOp(ctx: EmitContext, e: Extract<Expr, { k: "op" }>, args: string[][]): string[] {
  const dt = e.dt;
  const [a, b] = [args[0]!, args[1]];
  const inDt = e.a[0]!.dt;
  const ck = kind(inDt);
  if (ck === "c" && e.op !== "cast" && e.op !== "where") return emitComplex(ctx, e, args);
  const x = a[0]!, y = b?.[0];
  const w = (s: string) => def(ctx, wrap(dt, s));
  switch (e.op) {
    case "cast":
      return emitCast(ctx, inDt, dt, a);
    case "add":
      return [inDt === "bool" ? def(ctx, `${x} | ${y}`) : w(`${x} + ${y}`)];
    case "sub":
      return [w(`${x} - ${y}`)];
    case "mul":
      if (inDt === "bool") return [def(ctx, `${x} & ${y}`)];
      return [w(ck === "i" || ck === "u" ? (big(inDt) ? `${x} * ${y}` : `Math.imul(${x}, ${y})`) : `${x} * ${y}`)];
    case "div":
      return [w(`${x} / ${y}`)];
    case "floorDiv":
      return [w(big(inDt) ? `H.bfloordiv(${x}, ${y})` : ck === "f" ? `H.floordiv(${x}, ${y})` : `H.ifloordiv(${x}, ${y})`)];
    case "mod":
      return [w(big(inDt) ? `H.bmod(${x}, ${y})` : ck === "f" ? `H.fmod(${x}, ${y})` : `H.imod(${x}, ${y})`)];
    case "pow":
      if (big(inDt)) return [def(ctx, `H.bpow(${x}, ${y}, ${dt === "int64"})`)];
      return [w(ck === "f" ? `Math.pow(${x}, ${y})` : `H.ipow(${x}, ${y})`)];
    case "maximum":
      return [def(ctx, `(${x} > ${y} || ${x} !== ${x}) ? ${x} : ${y}`)];
    case "minimum":
      return [def(ctx, `(${x} < ${y} || ${x} !== ${x}) ? ${x} : ${y}`)];
    case "eq": return [def(ctx, `${x} === ${y} ? 1 : 0`)];
    case "ne": return [def(ctx, `${x} !== ${y} ? 1 : 0`)];
    case "lt": return [def(ctx, `${x} < ${y} ? 1 : 0`)];
    case "le": return [def(ctx, `${x} <= ${y} ? 1 : 0`)];
    case "gt": return [def(ctx, `${x} > ${y} ? 1 : 0`)];
    case "ge": return [def(ctx, `${x} >= ${y} ? 1 : 0`)];
    case "and": return [def(ctx, `${x} & ${y}`)];
    case "or": return [def(ctx, `${x} | ${y}`)];
    case "xor": return [def(ctx, `${x} ^ ${y}`)];
    case "not": return [def(ctx, `${x} ^ 1`)];
    case "neg":
      return [w(`-${x}`)];
    case "abs":
      if (big(inDt)) return [w(`${x} < 0n ? -${x} : ${x}`)];
      return [ck === "f" ? def(ctx, wrap(dt, `Math.abs(${x})`)) : w(`${x} < 0 ? -${x} : ${x}`)];
    case "sqrt": case "exp": case "log": case "log1p": case "sin": case "cos": case "tan": case "floor": case "ceil":
      return [w(`Math.${e.op}(${x})`)];
    case "round":
      if (ck !== "f") {
        const d = e.p![0]!;
        if (d >= 0) return [x];
        return big(inDt) ? [def(ctx, wrap(dt, `BigInt(H.round(Number(${x}), ${d}))`))] : [w(`H.round(${x}, ${d})`)];
      }
      return [w(`H.round(${x}, ${e.p![0]})`)];
    case "isnan":
      return [ck === "f" ? def(ctx, `${x} !== ${x} ? 1 : 0`) : "0"];
    case "isinf":
      return [ck === "f" ? def(ctx, `${x} === Infinity || ${x} === -Infinity ? 1 : 0`) : "0"];
    case "isfinite":
      return [ck === "f" ? def(ctx, `${x} - ${x} === 0 ? 1 : 0`) : "1"];
    case "nanToNum": {
      if (ck !== "f") return [x];
      const [nan, pinf, ninf] = e.p!.map(literal);
      return [def(ctx, `${x} !== ${x} ? ${nan} : ${x} === Infinity ? ${pinf} : ${x} === -Infinity ? ${ninf} : ${x}`)];
    }
    case "real": case "conj":
      return [x];
    case "imag":
      return [big(dt) ? "0n" : "0"];
    case "sign":
      if (big(inDt)) return [def(ctx, `${x} > 0n ? 1n : ${x} < 0n ? -1n : 0n`)];
      return [def(ctx, `${x} > 0 ? 1 : ${x} < 0 ? -1 : ${x}`)];
    case "where": {
      const c = a[0]!;
      const [t, f] = [args[1]!, args[2]!];
      return t.map((tv, lane) => def(ctx, `${c} ? ${tv} : ${f[lane]}`));
    }
    case "clip": {
      const lo = args[1]![0], hi = args[2]![0];
      let v = x;
      if (e.p![0]) v = def(ctx, `${v} < ${lo} ? ${lo} : ${v}`);
      if (e.p![1]) v = def(ctx, `${v} > ${hi} ? ${hi} : ${v}`);
      return [v];
    }
  }
  throw new Error(`internal: no code for ${e.op} on ${inDt}`);
}

function emitCast(ctx: EmitContext, from: DType, to: DType, a: string[]): string[] {
  const fk = kind(from), tk = kind(to);
  const x = a[0]!;
  if (from === to) return a;
  if (tk === "c") {
    const lanes = fk === "c" ? a : [big(from) ? `Number(${x})` : x, "0"];
    return to === "complex64" ? lanes.map((l) => def(ctx, `F(${l})`)) : lanes.map((l) => (l === "0" ? "0" : def(ctx, l)));
  }
  if (tk === "b") {
    if (fk === "c") return [def(ctx, `${a[0]} !== 0 || ${a[1]} !== 0 ? 1 : 0`)];
    return [def(ctx, big(from) ? `${x} !== 0n ? 1 : 0` : `${x} !== 0 ? 1 : 0`)];
  }
  const re = x; // complex -> real drops the imaginary part (NumPy does, with a warning)
  if (big(to)) {
    if (big(from)) return [def(ctx, wrap(to, re))];
    if (fk === "f" || fk === "c") return [def(ctx, `H.f2big(${re}, ${to === "int64"})`)];
    return [def(ctx, wrap(to, `BigInt(${re})`))];
  }
  if (tk === "f") return [def(ctx, wrap(to, big(from) ? `Number(${re})` : re))];
  // to an integer of at most 32 bits
  if (big(from)) return [def(ctx, wrap(to, `Number(BigInt.asIntN(32, ${re}))`))];
  if (fk === "f" || fk === "c") return [def(ctx, wrap(to, `Math.trunc(${re})`))];
  return [def(ctx, wrap(to, re))];
}

function emitComplex(ctx: EmitContext, e: Extract<Expr, { k: "op" }>, args: string[][]): string[] {
  const dt = e.dt;
  const f = (s: string) => (dt === "complex64" || dt === "float32" ? `F(${s})` : s);
  const [ar, ai] = args[0]!;
  const [br, bi] = args[1] ?? [];
  const pair = (re: string, im: string) => def2(ctx, f(re), f(im));
  const helper = (name: string, ...xs: string[]) => {
    const [r, i] = viaT(ctx, `H.${name}(${xs.join(", ")}, T)`);
    return dt === "complex64" ? pair(r!, i!) : [r!, i!];
  };
  switch (e.op) {
    case "add": return pair(`${ar} + ${br}`, `${ai} + ${bi}`);
    case "sub": return pair(`${ar} - ${br}`, `${ai} - ${bi}`);
    case "mul": return pair(`${ar} * ${br} - ${ai} * ${bi}`, `${ar} * ${bi} + ${ai} * ${br}`);
    case "div": return helper("cdiv", ar!, ai!, br!, bi!);
    case "pow": return helper("cpow", ar!, ai!, br!, bi!);
    case "neg": return pair(`-${ar}`, `-${ai}`);
    case "conj": return pair(`${ar}`, `-${ai}`);
    case "real": return [def(ctx, f(ar!))];
    case "imag": return [def(ctx, f(ai!))];
    case "abs": return [def(ctx, f(`Math.hypot(${ar}, ${ai})`))];
    case "exp": return helper("cexp", ar!, ai!);
    case "log": return helper("clog", ar!, ai!);
    case "log1p": return helper("clog1p", ar!, ai!);
    case "sqrt": return helper("csqrt", ar!, ai!);
    case "sin": return helper("csin", ar!, ai!);
    case "cos": return helper("ccos", ar!, ai!);
    case "tan": return helper("ctan", ar!, ai!);
    case "round": return pair(`H.round(${ar}, ${e.p![0]})`, `H.round(${ai}, ${e.p![0]})`);
    case "eq": return [def(ctx, `${ar} === ${br} && ${ai} === ${bi} ? 1 : 0`)];
    case "ne": return [def(ctx, `${ar} !== ${br} || ${ai} !== ${bi} ? 1 : 0`)];
    case "isnan": return [def(ctx, `${ar} !== ${ar} || ${ai} !== ${ai} ? 1 : 0`)];
    case "isinf": return [def(ctx, `${ar} === Infinity || ${ar} === -Infinity || ${ai} === Infinity || ${ai} === -Infinity ? 1 : 0`)];
    case "isfinite": return [def(ctx, `${ar} - ${ar} === 0 && ${ai} - ${ai} === 0 ? 1 : 0`)];
    case "nanToNum": {
      const [nan, pinf, ninf] = e.p!.map(literal);
      const one = (v: string) => `${v} !== ${v} ? ${nan} : ${v} === Infinity ? ${pinf} : ${v} === -Infinity ? ${ninf} : ${v}`;
      return def2(ctx, one(ar!), one(ai!));
    }
  }
  throw new Error(`internal: no complex code for ${e.op}`);
}
