/**
 * The CSV parser's fast path: a line parser generated for one plan (its
 * column kinds and separator), straight-line code with no per-field
 * dispatch — about a third faster than the general loop (parse.ts) on the
 * W3 file. It handles the common shape only: unquoted fields, int32 of at
 * most 9 digits, decimal float64 of at most 15 digits, strings, skipped
 * columns, \n line ends. At the first line it cannot take (a quote, a
 * missing value, a bad row, \r\n, a blank line) it stops, and the general
 * loop parses that line — so every error and edge case is still handled,
 * by one piece of code.
 *
 * Plans with other kinds (int64, bool, timestamp) get no fast path.
 */
import { ByteDictionary } from "./dictionary";
import { FieldKind } from "./plan";

/**
 * Parses lines from state[0] while they start before `stop` and rows stay
 * under `cap`; state[1] counts rows. Returns when it stops, with state[0]
 * at the start of the first line it did not take.
 */
export type FastPath = (buf: Uint8Array, words: Int32Array | undefined, stop: number, cap: number, state: Int32Array, cols: unknown[], dicts: (ByteDictionary | undefined)[], naFirst: Uint8Array, naMax: number) => void;

const cache = new Map<string, FastPath | null>();

function numberCode(c: number, float: boolean, end: string): string {
  return `
    neg = false; m = 0;
    if (b === 45) { neg = true; b = buf[++p]; }
    d0 = p;
    while (b >= 48 && b <= 57) { m = m * 10 + (b - 48); b = buf[++p]; }
    digits = p - d0; frac = 0;
    ${float ? `if (b === 46) { f0 = ++p; b = buf[p]; while (b >= 48 && b <= 57) { m = m * 10 + (b - 48); b = buf[++p]; } frac = p - f0; digits += frac; }` : ""}
    if (b !== ${end} || digits === 0 || digits > ${float ? 15 : 9}) break;
    ${float ? `v = frac === 0 ? m : m / POW10[frac]; col${c}[row] = neg ? -v : v;` : `col${c}[row] = neg ? -m : m;`}`;
}

function stringCode(c: number, end: string): string {
  return `
    fs = p; h = -2128831035;
    while (b !== ${end} && b !== 10 && b !== 34 && b !== 13) { h = Math.imul(h ^ b, 16777619); b = buf[++p]; }
    if (b !== ${end} || p === fs || (p - fs <= naMax && naFirst[buf[fs]] === 1)) break;
    col${c}[row] = dict${c}.internHashed(buf, fs, p, h);`;
}

export function fastPath(kinds: readonly FieldKind[], sep: number): FastPath | undefined {
  const key = `${sep}:${kinds.join(",")}`;
  const known = cache.get(key);
  if (known !== undefined) return known ?? undefined;
  let lastRead = -1;
  kinds.forEach((k, i) => k !== "skip" && (lastRead = i));
  const ok = lastRead >= 0 && kinds.every((k) => k === "skip" || k === "int32" || k === "float64" || k === "string");
  if (!ok) {
    cache.set(key, null);
    return undefined;
  }
  let body = "";
  for (let c = 0; c <= lastRead; c++) {
    const last = c === kinds.length - 1;
    const end = last ? "10" : String(sep);
    const k = kinds[c];
    if (k === "float64" || k === "int32") body += numberCode(c, k === "float64", end);
    else if (k === "string") body += stringCode(c, end);
    else body += `\n    while (b !== ${end} && b !== 10 && b !== 34) b = buf[++p];\n    if (b !== ${end}) break;`;
    if (!last) body += "\n    b = buf[++p];";
  }
  // The columns after the last one read are skipped to the line's end (a quote there falls back).
  // Where the buffer is seen as words too, the tail is scanned four bytes at a time (the lane
  // trick of parse.ts's lineEnd): the word holding the next \n or " stops the word loop, and
  // the sentinel \n guarantees there is one.
  if (lastRead < kinds.length - 1) {
    body += `
    if (words !== undefined) {
      while ((p & 3) !== 0 && b !== 10 && b !== 34) b = buf[++p];
      if (b !== 10 && b !== 34) {
        let w = p >> 2;
        for (;;) {
          const x = words[w], n = x ^ 0x0a0a0a0a, q = x ^ 0x22222222;
          if ((((n - 0x01010101) & ~n) | ((q - 0x01010101) & ~q)) & 0x80808080) break;
          w++;
        }
        p = w << 2;
        b = buf[p];
      }
    }
    while (b !== 10 && b !== 34) b = buf[++p];
    if (b !== 10) break;`;
  }
  const decls = kinds.map((k, c) => (k === "skip" ? "" : `const col${c} = cols[${c}];${k === "string" ? ` const dict${c} = dicts[${c}];` : ""}`)).join("\n  ");
  // A failed check `break`s out of the do-block: the line is left whole for the general parser.
  const code = `
  ${decls}
  let p = state[0], row = state[1];
  let b, neg, m, d0, digits, frac, f0, v, fs, h;
  outer: while (p < stop && row < cap) {
    const lineStart = p;
    do {
      b = buf[p];
      ${body}
      p++;
      row++;
      continue outer;
    } while (false);
    p = lineStart;
    break;
  }
  state[0] = p;
  state[1] = row;`;
  const fn = new Function("POW10", `return function fastLines(buf, words, stop, cap, state, cols, dicts, naFirst, naMax) {${code}\n};`)(Array.from({ length: 23 }, (_, i) => 10 ** i)) as FastPath;
  cache.set(key, fn);
  return fn;
}
