/**
 * Parsing dates and times from text: a fast path for ISO 8601
 * ("2024-01-31", "2024-01-31T12:00:00.250", "2024-01-31 12:00:00Z",
 * "…+02:00"), read as UTC when no offset is given (pandas reads them as
 * naive times; UTC keeps the same wall-clock numbers), and Date.parse for
 * anything else. NaN when the text is not a date.
 */
const digit = (s: string, i: number) => s.charCodeAt(i) - 48;

function num(s: string, at: number, len: number): number {
  let v = 0;
  for (let i = at; i < at + len; i++) {
    const d = digit(s, i);
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return v;
}

export function parseTimestamp(s: string): number {
  const n = s.length;
  if (n >= 10 && s[4] === "-" && s[7] === "-") {
    const y = num(s, 0, 4), mo = num(s, 5, 2), d = num(s, 8, 2);
    let h = 0, mi = 0, sec = 0, ms = 0, at = 10;
    if (n > 10 && (s[10] === "T" || s[10] === " ") && n >= 16) {
      h = num(s, 11, 2);
      mi = num(s, 14, 2);
      at = 16;
      if (n >= 19 && s[16] === ":") {
        sec = num(s, 17, 2);
        at = 19;
        if (s[19] === ".") {
          let k = 20, frac = 0, scale = 1;
          while (k < n && digit(s, k) >= 0 && digit(s, k) <= 9) {
            if (scale < 1000) {
              frac = frac * 10 + digit(s, k);
              scale *= 10;
            }
            k++;
          }
          ms = (frac * 1000) / scale;
          at = k;
        }
      }
    }
    let offset = 0;
    if (at < n) {
      const z = s[at];
      if (z === "Z" && at === n - 1) offset = 0;
      else if ((z === "+" || z === "-") && (n - at === 6 || n - at === 5 || n - at === 3)) {
        const oh = num(s, at + 1, 2), om = n - at === 3 ? 0 : num(s, n - 2, 2);
        offset = (z === "+" ? 1 : -1) * (oh * 60 + om) * 60000;
      } else return Date.parse(s);
    }
    const t = Date.UTC(y, mo - 1, d, h, mi, sec, ms) - offset;
    if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return NaN;
    return t;
  }
  return Date.parse(s);
}
