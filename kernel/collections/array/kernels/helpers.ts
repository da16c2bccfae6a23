/**
 * Scalar helpers that generated loops call (as `H.name`): NumPy's semantics
 * for the cases a JS operator gets wrong — Python-style floor division and
 * modulo, integer powers with wrap-around, round-half-to-even, and complex
 * functions. Complex results go to the scratch pair `T` ([re, im]).
 */
import { Errors } from "../../../errors";

/** NumPy's npy_divmod for floats: [floor quotient, remainder with the divisor's sign]. */
function divmod(a: number, b: number): [number, number] {
  if (b === 0) return [a / b, NaN];
  let mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0) {
    if (b < 0 !== mod < 0) {
      mod += b;
      div -= 1;
    }
  } else {
    mod = b < 0 ? -0 : 0;
  }
  let floordiv: number;
  if (div !== 0) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else {
    floordiv = a / b < 0 || Object.is(a / b, -0) ? -0 : 0;
  }
  return [floordiv, mod];
}

function rint(y: number): number {
  const r = Math.round(y);
  // Math.round rounds halves up; NumPy rounds them to even.
  return r - y === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export const H = {
  floordiv: (a: number, b: number): number => divmod(a, b)[0],
  fmod: (a: number, b: number): number => divmod(a, b)[1],
  /** Integer floor division; division by zero gives 0 (NumPy's result, without its warning). */
  ifloordiv: (a: number, b: number): number => (b === 0 ? 0 : Math.floor(a / b)),
  imod(a: number, b: number): number {
    if (b === 0) return 0;
    const r = a % b;
    return r !== 0 && r < 0 !== b < 0 ? r + b : r;
  },
  bfloordiv(a: bigint, b: bigint): bigint {
    if (b === 0n) return 0n;
    const q = a / b;
    return (a % b !== 0n) && ((a < 0n) !== (b < 0n)) ? q - 1n : q;
  },
  bmod(a: bigint, b: bigint): bigint {
    if (b === 0n) return 0n;
    const r = a % b;
    return r !== 0n && (r < 0n) !== (b < 0n) ? r + b : r;
  },
  /** a ** b for 32-bit-or-smaller integers: the low 32 bits, wrapped by the caller. */
  ipow(a: number, b: number): number {
    if (b < 0) throw Errors.badInput(`integers to negative integer powers are not allowed (got ${a} ** ${b}): cast to float first, x.astype("float64").pow(${b})`);
    let r = 1, base = a | 0, e = b;
    while (e > 0) {
      if (e & 1) r = Math.imul(r, base);
      base = Math.imul(base, base);
      e = Math.floor(e / 2);
    }
    return r;
  },
  bpow(a: bigint, b: bigint, signed: boolean): bigint {
    if (b < 0n) throw Errors.badInput(`integers to negative integer powers are not allowed (got ${a} ** ${b}): cast to float first`);
    let r = 1n, base = a, e = b;
    const w = signed ? (x: bigint) => BigInt.asIntN(64, x) : (x: bigint) => BigInt.asUintN(64, x);
    while (e > 0n) {
      if (e & 1n) r = w(r * base);
      base = w(base * base);
      e >>= 1n;
    }
    return r;
  },
  /** NumPy's round(x, decimals): scale, round half to even, unscale. */
  round(x: number, d: number): number {
    if (!Number.isFinite(x)) return x;
    if (d >= 0) {
      const f = 10 ** d;
      return rint(x * f) / f;
    }
    const f = 10 ** -d;
    return rint(x / f) * f;
  },
  f2big(x: number, signed: boolean): bigint {
    if (!Number.isFinite(x)) return signed ? -(2n ** 63n) : 2n ** 63n;
    const b = BigInt(Math.trunc(x));
    return signed ? BigInt.asIntN(64, b) : BigInt.asUintN(64, b);
  },
  /** Complex division (Smith's algorithm, as NumPy). */
  cdiv(ar: number, ai: number, br: number, bi: number, T: Float64Array): void {
    const abr = Math.abs(br), abi = Math.abs(bi);
    if (abr >= abi) {
      if (abr === 0 && abi === 0) {
        T[0] = ar / abr;
        T[1] = ai / abr;
        return;
      }
      const rat = bi / br, scl = 1 / (br + bi * rat);
      T[0] = (ar + ai * rat) * scl;
      T[1] = (ai - ar * rat) * scl;
    } else {
      const rat = br / bi, scl = 1 / (bi + br * rat);
      T[0] = (ar * rat + ai) * scl;
      T[1] = (ai * rat - ar) * scl;
    }
  },
  cexp(ar: number, ai: number, T: Float64Array): void {
    const e = Math.exp(ar);
    T[0] = ai === 0 ? e : e * Math.cos(ai);
    T[1] = ai === 0 ? ai : e * Math.sin(ai);
  },
  clog(ar: number, ai: number, T: Float64Array): void {
    T[0] = Math.log(Math.hypot(ar, ai));
    T[1] = Math.atan2(ai, ar);
  },
  clog1p(ar: number, ai: number, T: Float64Array): void {
    H.clog(ar + 1, ai, T);
  },
  csqrt(ar: number, ai: number, T: Float64Array): void {
    if (ar === 0 && ai === 0) {
      T[0] = 0;
      T[1] = ai;
      return;
    }
    const m = Math.hypot(ar, ai);
    const t = Math.sqrt((m + Math.abs(ar)) / 2);
    if (ar >= 0) {
      T[0] = t;
      T[1] = ai / (2 * t);
    } else {
      T[0] = Math.abs(ai) / (2 * t);
      T[1] = ai < 0 || Object.is(ai, -0) ? -t : t;
    }
  },
  csin(ar: number, ai: number, T: Float64Array): void {
    T[0] = Math.sin(ar) * Math.cosh(ai);
    T[1] = Math.cos(ar) * Math.sinh(ai);
  },
  ccos(ar: number, ai: number, T: Float64Array): void {
    T[0] = Math.cos(ar) * Math.cosh(ai);
    T[1] = -Math.sin(ar) * Math.sinh(ai);
  },
  ctan(ar: number, ai: number, T: Float64Array): void {
    H.csin(ar, ai, T);
    const sr = T[0]!, si = T[1]!;
    H.ccos(ar, ai, T);
    H.cdiv(sr, si, T[0]!, T[1]!, T);
  },
  cpow(ar: number, ai: number, br: number, bi: number, T: Float64Array): void {
    if (br === 0 && bi === 0) {
      T[0] = 1;
      T[1] = 0;
      return;
    }
    if (ar === 0 && ai === 0) {
      T[0] = 0;
      T[1] = 0;
      return;
    }
    H.clog(ar, ai, T);
    const lr = T[0]!, li = T[1]!;
    H.cexp(lr * br - li * bi, lr * bi + li * br, T);
  },
};
