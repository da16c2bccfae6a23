/**
 * Numbers straight from bytes, without making a string per field.
 *
 * Decimal text of at most 15 significant digits and at most 22 decimals is
 * parsed as mantissa / 10^k: both are exact doubles, so the division is
 * correctly rounded and gives the same double as parseFloat. Anything else
 * (exponents, long mantissas, "inf") takes the slow path through Number().
 * The result is NaN when the bytes are not a number; callers then check
 * the NA list before calling the row bad.
 */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

export function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = "";
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

export function utf8(buf: Uint8Array, start: number, end: number): string {
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString("utf8");
}

function slowFloat(buf: Uint8Array, start: number, end: number): number {
  const s = latin1(buf, start, end).trim();
  if (s === "") return NaN;
  const x = Number(s);
  if (x === x) return x;
  const l = s.toLowerCase();
  if (l === "inf" || l === "+inf" || l === "infinity" || l === "+infinity") return Infinity;
  if (l === "-inf" || l === "-infinity") return -Infinity;
  return NaN;
}

export function parseFloatBytes(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  let neg = false;
  const c0 = buf[p];
  if (c0 === 45) {
    neg = true;
    p++;
  } else if (c0 === 43) p++;
  let m = 0, digits = 0, frac = 0, dot = false;
  for (; p < end; p++) {
    const c = buf[p]!;
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 && !dot) dot = true;
    else break;
  }
  if (p !== end || digits === 0 || digits > 15 || frac > 22) return slowFloat(buf, start, end);
  const v = frac === 0 ? m : m / POW10[frac]!;
  return neg ? -v : v;
}

/** An integer, or NaN when the bytes are not one (callers check the range). */
export function parseIntBytes(buf: Uint8Array, start: number, end: number): number {
  let p = start;
  let neg = false;
  if (buf[p] === 45) {
    neg = true;
    p++;
  } else if (buf[p] === 43) p++;
  if (p === end || end - p > 15) {
    const x = Number(latin1(buf, start, end).trim());
    return Number.isInteger(x) ? x : NaN;
  }
  let v = 0;
  for (; p < end; p++) {
    const c = buf[p]! - 48;
    if (c < 0 || c > 9) return NaN;
    v = v * 10 + c;
  }
  return neg ? -v : v;
}

/** 1 for true, 0 for false, -1 for neither (true/false in any case, 1/0, yes/no not accepted: pandas' default). */
export function parseBoolBytes(buf: Uint8Array, start: number, end: number): number {
  const s = latin1(buf, start, end).trim().toLowerCase();
  if (s === "true" || s === "1") return 1;
  if (s === "false" || s === "0") return 0;
  return -1;
}
