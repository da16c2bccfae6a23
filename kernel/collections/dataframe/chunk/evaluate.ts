/**
 * Evaluates an expression (expr.ts) over a partition: one typed-array loop
 * per node, results on shared memory. Arithmetic is done in float64 (a
 * missing value is NaN); a comparison with a missing value is false, as in
 * pandas; string operations on dictionary columns work on the dictionary
 * once and map the codes.
 */
import { Errors } from "../../../errors";
import { sharedArray } from "../../../store/shared";
import { Column, decodeUtf8, isNull, stringColumn, stringValues } from "./column";
import { BinaryFn, Expr, Literal } from "./expr";
import { parseTimestamp } from "./timeparse";
import { column as getColumn, Part } from "./part";

type Val = Column | { readonly scalar: Literal };

function isScalar(v: Val): v is { readonly scalar: Literal } {
  return "scalar" in v;
}

/** Evaluates `e` for every row of `p`; a literal becomes a column of that value. */
export function evalExpr(e: Expr, p: Part): Column {
  const v = evalNode(e, p);
  return isScalar(v) ? broadcast(v.scalar, p.numRows) : v;
}

function broadcast(s: Literal, n: number): Column {
  if (typeof s === "string") return stringColumn(new Array(n).fill(s));
  if (typeof s === "boolean") return { dtype: "bool", length: n, values: sharedArray(Uint8Array, n).fill(s ? 1 : 0) };
  return { dtype: "float64", length: n, values: sharedArray(Float64Array, n).fill(s === null ? NaN : s) };
}

/** A numeric column's values as float64, missing as NaN (the column's own array when it already is one). */
export function asFloat(c: Column): Float64Array {
  if ((c.dtype === "float64" || c.dtype === "timestamp") && c.valid === undefined) return c.values as Float64Array;
  if (c.values === undefined) throw new Error(`a ${c.dtype} column is not numeric`);
  const n = c.length, out = sharedArray(Float64Array, n), v = c.values;
  if (v instanceof BigInt64Array) for (let i = 0; i < n; i++) out[i] = Number(v[i]);
  else for (let i = 0; i < n; i++) out[i] = v[i] as number;
  if (c.valid !== undefined) for (let i = 0; i < n; i++) if (c.valid[i] === 0) out[i] = NaN;
  return out;
}

function floatCol(values: Float64Array, dtype: "float64" | "timestamp" = "float64"): Column {
  return { dtype, length: values.length, values };
}
function boolCol(values: Uint8Array): Column {
  return { dtype: "bool", length: values.length, values };
}

function evalNode(e: Expr, p: Part): Val {
  switch (e.op) {
    case "col":
      return getColumn(p, e.name);
    case "lit":
      return { scalar: e.value };
    case "bin":
      return binary(e.fn, evalNode(e.a, p), evalNode(e.b, p), p.numRows);
    case "un":
      return unary(e.fn, evalExpr(e.a, p));
    case "cast":
      return cast(evalExpr(e.a, p), e.to);
    case "fillna":
      return fillna(evalExpr(e.a, p), evalNode(e.b, p));
    case "str":
      return strOp(e.fn, evalExpr(e.a, p), e.arg);
    case "dt":
      return dtField(e.fn, asFloat(evalExpr(e.a, p)));
    case "todatetime":
      return toDatetime(evalExpr(e.a, p), e.unit ?? "ms");
    case "isin":
      return isin(evalExpr(e.a, p), e.values);
  }
}

const ARITH: Partial<Record<BinaryFn, (a: number, b: number) => number>> = {
  add: (a, b) => a + b, sub: (a, b) => a - b, mul: (a, b) => a * b, div: (a, b) => a / b,
  mod: (a, b) => ((a % b) + b) % b, pow: (a, b) => a ** b, floordiv: (a, b) => Math.floor(a / b),
};

function binary(fn: BinaryFn, a: Val, b: Val, n: number): Val {
  if (isScalar(a) && isScalar(b)) return binary(fn, broadcast(a.scalar, n), b, n);
  if (fn === "and" || fn === "or") {
    const x = isScalar(a) ? broadcast(a.scalar, n) : a, y = isScalar(b) ? broadcast(b.scalar, n) : b;
    const out = sharedArray(Uint8Array, n), xv = x.values as Uint8Array, yv = y.values as Uint8Array;
    if (fn === "and") for (let i = 0; i < n; i++) out[i] = xv[i]! & yv[i]! & (isNull(x, i) || isNull(y, i) ? 0 : 1);
    else for (let i = 0; i < n; i++) out[i] = (xv[i]! && !isNull(x, i)) || (yv[i]! && !isNull(y, i)) ? 1 : 0;
    return boolCol(out);
  }
  const aCol = isScalar(a) ? undefined : a, bCol = isScalar(b) ? undefined : b;
  if ((aCol?.dtype ?? typeof (a as { scalar: Literal }).scalar) === "string" || (bCol?.dtype ?? typeof (b as { scalar: Literal }).scalar) === "string") {
    return compareStrings(fn, a, b, n);
  }
  const av = aCol ? asFloat(aCol) : undefined, bv = bCol ? asFloat(bCol) : undefined;
  const as = isScalar(a) ? toNum(a.scalar) : 0, bs = isScalar(b) ? toNum(b.scalar) : 0;
  const arith = ARITH[fn];
  if (arith !== undefined) {
    const out = sharedArray(Float64Array, n);
    if (fn === "add" && av && bv) for (let i = 0; i < n; i++) out[i] = av[i]! + bv[i]!;
    else if (fn === "mul" && av && !bv) for (let i = 0; i < n; i++) out[i] = av[i]! * bs;
    else if (fn === "add" && av && !bv) for (let i = 0; i < n; i++) out[i] = av[i]! + bs;
    else for (let i = 0; i < n; i++) out[i] = arith(av ? av[i]! : as, bv ? bv[i]! : bs);
    const ts = (aCol?.dtype === "timestamp") !== (bCol?.dtype === "timestamp") && (fn === "add" || fn === "sub");
    return floatCol(out, ts ? "timestamp" : "float64");
  }
  const out = sharedArray(Uint8Array, n);
  // NaN compares false with everything, which is pandas' rule for missing values; ne is the exception.
  switch (fn) {
    case "gt":
      if (av && !bv) for (let i = 0; i < n; i++) out[i] = av[i]! > bs ? 1 : 0;
      else for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) > (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) >= (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    case "lt":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) < (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    case "le":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) <= (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    case "eq":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) === (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = (av ? av[i]! : as) !== (bv ? bv[i]! : bs) ? 1 : 0;
      break;
    default:
      throw new Error(`unknown operation ${fn}`);
  }
  return boolCol(out);
}

function toNum(s: Literal): number {
  if (s === null) return NaN;
  return typeof s === "boolean" ? (s ? 1 : 0) : Number(s);
}

function cmp(fn: BinaryFn, x: string | null, y: string | null): boolean {
  if (x === null || y === null) return fn === "ne";
  switch (fn) {
    case "eq":
      return x === y;
    case "ne":
      return x !== y;
    case "gt":
      return x > y;
    case "ge":
      return x >= y;
    case "lt":
      return x < y;
    case "le":
      return x <= y;
  }
  throw new Error(`${fn} is not defined on strings`);
}

function compareStrings(fn: BinaryFn, a: Val, b: Val, n: number): Val {
  const out = sharedArray(Uint8Array, n);
  // Dictionary column against a literal: compare each dictionary entry once.
  if (!isScalar(a) && a.dict !== undefined && isScalar(b)) {
    const d = decodeUtf8(a.dict), y = b.scalar === null ? null : String(b.scalar);
    const hit = new Uint8Array(d.length);
    for (let k = 0; k < d.length; k++) hit[k] = cmp(fn, d[k]!, y) ? 1 : 0;
    const codes = a.values as Int32Array;
    for (let i = 0; i < n; i++) out[i] = codes[i]! < 0 || isNull(a, i) ? (fn === "ne" ? 1 : 0) : hit[codes[i]!]!;
    return boolCol(out);
  }
  const xs = isScalar(a) ? undefined : stringValues(a), ys = isScalar(b) ? undefined : stringValues(b);
  const xsc = isScalar(a) ? (a.scalar === null ? null : String(a.scalar)) : null;
  const ysc = isScalar(b) ? (b.scalar === null ? null : String(b.scalar)) : null;
  for (let i = 0; i < n; i++) out[i] = cmp(fn, xs ? xs[i]! : xsc, ys ? ys[i]! : ysc) ? 1 : 0;
  return boolCol(out);
}

const UNARY: Partial<Record<string, (x: number) => number>> = {
  neg: (x) => -x, abs: Math.abs, sqrt: Math.sqrt, log: Math.log, exp: Math.exp, round: (x) => Math.round(x), floor: Math.floor, ceil: Math.ceil,
};

function unary(fn: string, a: Column): Column {
  const n = a.length;
  if (fn === "isna" || fn === "notna") {
    const out = sharedArray(Uint8Array, n), want = fn === "isna";
    for (let i = 0; i < n; i++) out[i] = isNull(a, i) === want ? 1 : 0;
    return boolCol(out);
  }
  if (fn === "not") {
    const out = sharedArray(Uint8Array, n), v = a.values as Uint8Array;
    for (let i = 0; i < n; i++) out[i] = v[i] ? 0 : 1;
    return boolCol(out);
  }
  const f = UNARY[fn]!;
  const v = asFloat(a), out = sharedArray(Float64Array, n);
  for (let i = 0; i < n; i++) out[i] = f(v[i]!);
  return floatCol(out);
}

/** Converts a column to another dtype; a value that does not convert is an error naming it. */
export function cast(a: Column, to: Column["dtype"]): Column {
  if (a.dtype === to) return a;
  const n = a.length;
  if (to === "string") return stringColumn(a.dtype === "timestamp" ? Array.from(asFloat(a), (v) => (v !== v ? null : new Date(v).toISOString())) : a.dtype === "object" ? a.objects!.map((o) => (o == null ? null : typeof o === "string" ? o : JSON.stringify(o))) : Array.from({ length: n }, (_, i) => (isNull(a, i) ? null : String(a.dtype === "bool" ? a.values![i] === 1 : a.values![i]))));
  if (to === "object") return { dtype: "object", length: n, objects: Array.from({ length: n }, (_, i) => (isNull(a, i) ? null : a.dtype === "string" ? stringValues(a)[i] : a.values![i])) };
  const src: ArrayLike<number> = a.dtype === "string" ? parseNumbers(a) : asFloat(a);
  if (to === "float64" || to === "timestamp") return floatCol(Float64Array.from(src), to);
  const valid = sharedArray(Uint8Array, n);
  let missing = false;
  for (let i = 0; i < n; i++) {
    valid[i] = src[i] === src[i] ? 1 : 0;
    if (!valid[i]) missing = true;
  }
  let values: Int32Array | BigInt64Array | Uint8Array;
  if (to === "bool") {
    values = sharedArray(Uint8Array, n);
    for (let i = 0; i < n; i++) values[i] = src[i] ? 1 : 0;
  } else if (to === "int32") {
    values = sharedArray(Int32Array, n);
    for (let i = 0; i < n; i++) {
      const x = src[i]!;
      if (x === x && (x > 2147483647 || x < -2147483648)) throw Errors.badInput(`astype("int32"): value ${x} at row ${i} does not fit in int32 (use "int64" or "float64")`);
      values[i] = x === x ? Math.trunc(x) : 0;
    }
  } else {
    values = sharedArray(BigInt64Array, n);
    for (let i = 0; i < n; i++) values[i] = src[i] === src[i] ? BigInt(Math.trunc(src[i]!)) : 0n;
  }
  return missing ? { dtype: to, length: n, values, valid } : { dtype: to, length: n, values };
}

function parseNumbers(a: Column): Float64Array {
  const s = stringValues(a), out = new Float64Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const t = s[i];
    if (t === null || t.trim() === "") out[i] = NaN;
    else {
      const x = Number(t);
      if (Number.isNaN(x) && t.trim().toLowerCase() !== "nan") throw Errors.badInput(`astype: ${JSON.stringify(t)} at row ${i} is not a number (clean the column first, e.g. with fillna or a filter)`);
      out[i] = x;
    }
  }
  return out;
}

function fillna(a: Column, b: Val): Column {
  const n = a.length;
  if (a.dtype === "string" || a.dtype === "object") {
    const fill = isScalar(b) ? () => b.scalar : (i: number) => (b.dtype === "string" ? stringValues(b)[i] : b.objects?.[i]);
    const vals = a.dtype === "string" ? stringValues(a) : a.objects!;
    const out = vals.map((v, i) => (v === null || v === undefined || isNull(a, i) ? fill(i) : v));
    return a.dtype === "string" ? stringColumn(out as (string | null)[]) : { dtype: "object", length: n, objects: out };
  }
  const bv = isScalar(b) ? undefined : asFloat(b), bs = isScalar(b) ? toNum(b.scalar) : 0;
  if (a.dtype === "float64" || a.dtype === "timestamp") {
    const v = asFloat(a), out = sharedArray(Float64Array, n);
    for (let i = 0; i < n; i++) out[i] = v[i] === v[i] ? v[i]! : bv ? bv[i]! : bs;
    return floatCol(out, a.dtype);
  }
  if (a.valid === undefined) return a;
  const filled = cast(floatCol(Float64Array.from({ length: n }, (_, i) => (a.valid![i] ? Number(a.values![i]) : bv ? bv[i]! : bs))), a.dtype);
  return filled;
}

function strOp(fn: string, a: Column, arg: string | undefined): Column {
  const n = a.length;
  const apply = (s: string): string | number | boolean => {
    switch (fn) {
      case "lower":
        return s.toLowerCase();
      case "upper":
        return s.toUpperCase();
      case "strip":
        return s.trim();
      case "len":
        return s.length;
      case "contains":
        return s.includes(arg!);
      case "startsWith":
        return s.startsWith(arg!);
      default:
        return s.endsWith(arg!);
    }
  };
  const codes = a.dict !== undefined ? (a.values as Int32Array) : undefined;
  const src = a.dict !== undefined ? decodeUtf8(a.dict) : stringValues(a);
  const mapped = src.map((s) => (s === null ? null : apply(s)));
  const at = (i: number) => (codes !== undefined ? (codes[i]! < 0 || isNull(a, i) ? null : mapped[codes[i]!]!) : mapped[i]!);
  if (fn === "lower" || fn === "upper" || fn === "strip") return stringColumn(Array.from({ length: n }, (_, i) => at(i) as string | null));
  if (fn === "len") return floatCol(Float64Array.from({ length: n }, (_, i) => (at(i) === null ? NaN : (at(i) as number))));
  const out = sharedArray(Uint8Array, n);
  for (let i = 0; i < n; i++) out[i] = at(i) === true ? 1 : 0;
  return boolCol(out);
}

function dtField(fn: string, ms: Float64Array): Column {
  const n = ms.length, out = sharedArray(Float64Array, n);
  for (let i = 0; i < n; i++) {
    const t = ms[i]!;
    if (t !== t) {
      out[i] = NaN;
      continue;
    }
    const d = new Date(t);
    switch (fn) {
      case "year": out[i] = d.getUTCFullYear(); break;
      case "month": out[i] = d.getUTCMonth() + 1; break;
      case "day": out[i] = d.getUTCDate(); break;
      case "hour": out[i] = d.getUTCHours(); break;
      case "minute": out[i] = d.getUTCMinutes(); break;
      case "second": out[i] = d.getUTCSeconds() + d.getUTCMilliseconds() / 1000; break;
      case "dayofweek": out[i] = (d.getUTCDay() + 6) % 7; break; // Monday = 0, as pandas
      case "dayofyear": out[i] = Math.floor((t - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1; break;
      default: out[i] = Math.floor(t / 86400000) * 86400000;
    }
  }
  return floatCol(out, fn === "date" ? "timestamp" : "float64");
}

function toDatetime(a: Column, unit: "ms" | "s"): Column {
  const n = a.length, out = sharedArray(Float64Array, n);
  if (a.dtype === "string") {
    const codes = a.dict !== undefined ? (a.values as Int32Array) : undefined;
    const src = a.dict !== undefined ? decodeUtf8(a.dict) : stringValues(a);
    const parsed = src.map((s, i) => {
      if (s === null || s === "") return NaN;
      const t = parseTimestamp(s);
      if (t !== t) throw Errors.badInput(`toDatetime: ${JSON.stringify(s)}${codes ? "" : ` at row ${i}`} is not a date or time (use ISO 8601, e.g. "2024-01-31T12:00:00", or clean the column first)`);
      return t;
    });
    for (let i = 0; i < n; i++) out[i] = codes ? (codes[i]! < 0 || isNull(a, i) ? NaN : parsed[codes[i]!]!) : parsed[i]!;
  } else {
    const v = asFloat(a), k = unit === "s" ? 1000 : 1;
    for (let i = 0; i < n; i++) out[i] = v[i]! * k;
  }
  return floatCol(out, "timestamp");
}

function isin(a: Column, values: readonly Literal[]): Column {
  const n = a.length, out = sharedArray(Uint8Array, n);
  if (a.dtype === "string") {
    const set = new Set(values.filter((v) => typeof v === "string"));
    const s = stringValues(a);
    for (let i = 0; i < n; i++) out[i] = s[i] !== null && set.has(s[i]!) ? 1 : 0;
  } else {
    const set = new Set(values.map(toNum)), v = asFloat(a);
    for (let i = 0; i < n; i++) out[i] = set.has(v[i]!) ? 1 : 0;
  }
  return boolCol(out);
}
