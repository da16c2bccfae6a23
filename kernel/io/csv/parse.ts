/**
 * The CSV parser: bytes in, typed columns out, never a JS string per field.
 *
 * Why our own: JS CSV libraries build a string per field and parse from
 * there. On one 64 MB block of the W3 file (`npm run bench -- csvlib`), udsv
 * 0.7.3 — the fastest we found — parses about 90 MB/s on one thread (10 s
 * for the 0.94 GB file); papaparse and csv-parse are slower still (22 s and
 * 50 s for the file, per the anchors). W3's target is about 2 s for the
 * file and two queries on two threads. Parsing numbers from bytes and
 * interning strings by their bytes (dictionary.ts), with a generated fast
 * path for plain lines (fastpath.ts), runs at about 450 MB/s on the columns
 * W3 reads.
 *
 * Format: RFC 4180 — fields separated by one byte, lines by \n or \r\n,
 * fields optionally quoted with ", a quote inside written "". Blank lines
 * are skipped. A line with more or fewer fields than the header is a bad
 * line, as is a value that does not parse as its column's type; bad lines
 * raise an error naming file, line, column and value, or are skipped
 * (onBadLines "skip"), or skipped with a warning ("warn").
 * When the trailing fields of a line are not read (column projection), the
 * parser jumps to the end of the line without counting them.
 */
import { Errors } from "../../errors";
import { Column, makePart, Part, parseTimestamp, undictionary } from "../../collections/dataframe/chunk";
import { ByteDictionary } from "./dictionary";
import { latin1, parseBoolBytes, parseFloatBytes, parseIntBytes, utf8 } from "./numbers";
import { fastPath } from "./fastpath";
import { FieldKind, ParsePlan } from "./plan";

const NL = 10, CR = 13, QUOTE = 34;
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Where the rows came from, for error messages. */
export interface Origin {
  file: string;
  /** 1-based line number of the first line in the buffer (undefined: count it when needed). */
  firstLine: () => number;
}

interface Sink {
  kind: FieldKind;
  values: Float64Array | Int32Array | BigInt64Array | Uint8Array;
  valid: Uint8Array | undefined;
  dict: ByteDictionary | undefined;
}

class BadLine extends Error {
  constructor(readonly lineInBuffer: number, readonly detail: string, readonly fix: string) {
    super(detail);
  }
}

type ValuesCtor = { new (b: SharedArrayBuffer, o: number, n: number): Sink["values"]; BYTES_PER_ELEMENT: number };

/** Columns are written straight into shared memory: when the row estimate was good, no copy is made at the end. */
function sharedOf(ctor: ValuesCtor, n: number): Sink["values"] {
  return new ctor(new SharedArrayBuffer(n * ctor.BYTES_PER_ELEMENT), 0, n);
}

function newSink(kind: FieldKind, cap: number): Sink {
  const ctor = (kind === "float64" || kind === "timestamp" ? Float64Array : kind === "int64" ? BigInt64Array : kind === "bool" ? Uint8Array : Int32Array) as unknown as ValuesCtor;
  return { kind, values: sharedOf(ctor, cap), valid: undefined, dict: kind === "string" ? new ByteDictionary() : undefined };
}

function growSink(s: Sink, cap: number): void {
  const v = sharedOf(s.values.constructor as unknown as ValuesCtor, cap);
  (v as Float64Array).set(s.values as Float64Array);
  s.values = v;
  if (s.valid) {
    const nv = new Uint8Array(new SharedArrayBuffer(cap)).fill(1);
    nv.set(s.valid);
    s.valid = nv;
  }
}

function markMissing(s: Sink, row: number, cap: number): void {
  if (s.valid === undefined) s.valid = new Uint8Array(new SharedArrayBuffer(cap)).fill(1);
  s.valid[row] = 0;
}

/**
 * Parses the lines that start in buf[from, stop); buf must hold every such
 * line whole (up to bufEnd). Returns the rows as a partition of the plan's
 * output columns.
 */
export function parseLines(buffer: Buffer, from: number, stop: number, bufEnd: number, plan: ParsePlan, origin: Origin): Part {
  // Byte loads from a plain Uint8Array view are faster than through Buffer; Buffer is kept for indexOf.
  // A newline just past the data is a sentinel: every scanning loop stops at a newline, so
  // no loop needs a bounds check, and every byte load stays in bounds (fast, monomorphic).
  if (buffer.length <= bufEnd) {
    const bigger = Buffer.allocUnsafe(bufEnd + 1);
    buffer.copy(bigger, 0, 0, bufEnd);
    buffer = bigger;
  }
  buffer[bufEnd] = NL;
  const buf = new Uint8Array(buffer.buffer, buffer.byteOffset, bufEnd + 1);
  const { sep, kinds, na } = plan;
  const ncols = kinds.length;
  let lastRead = -1;
  for (let c = 0; c < ncols; c++) if (kinds[c] !== "skip") lastRead = c;
  let cap = Math.max(16, Math.ceil(((stop - from) / Math.max(1, plan.lineBytes)) * 1.1) + 16);
  const sinks: (Sink | undefined)[] = kinds.map((k) => (k === "skip" ? undefined : newSink(k, cap)));
  const naBytes = na.map((s) => Buffer.from(s, "utf8")).filter((b) => b.length > 0);
  const naMax = naBytes.reduce((m, b) => Math.max(m, b.length), 0);
  // Most fields cannot be NA: their first byte starts no NA text. Only those that could are compared.
  const naFirst = new Uint8Array(256);
  for (const b of naBytes) naFirst[b[0]!] = 1;
  const isNa = (s: number, e: number): boolean => {
    const len = e - s;
    if (len === 0) return true;
    if (len > naMax || naFirst[buf[s]!] === 0) return false;
    for (const b of naBytes) {
      if (b.length !== len) continue;
      let k = 0;
      while (k < len && b[k] === buf[s + k]) k++;
      if (k === len) return true;
    }
    return false;
  };
  // Field kinds as small integers; numeric fields are parsed while they are scanned and string
  // fields hashed while they are scanned (one pass over their bytes). The per-kind arrays keep
  // every store site monomorphic.
  const K_OTHER = 0, K_F64 = 1, K_I32 = 2, K_STR = 3, K_SKIP = 4;
  const code = Int8Array.from(kinds, (k) => (k === "float64" ? K_F64 : k === "int32" ? K_I32 : k === "string" ? K_STR : k === "skip" ? K_SKIP : K_OTHER));
  const f64 = sinks.map((s) => (s?.kind === "float64" ? (s.values as Float64Array) : undefined));
  const i32 = sinks.map((s) => (s?.kind === "int32" || s?.kind === "string" ? (s.values as Int32Array) : undefined));
  const dicts = sinks.map((s) => s?.dict);
  const skipTail = lastRead < ncols - 1;
  // The end of the line from q on, or -1 when a quote comes first (it could hide a newline).
  // Skipped tails are scanned four bytes at a time where the buffer is aligned (SWAR: a byte
  // equal to \n or " makes its lane of (w ^ pattern) - 0x01… borrow, caught by & 0x80…).
  const words = buffer.byteOffset % 4 === 0 ? new Int32Array(buffer.buffer, buffer.byteOffset, (bufEnd + 1) >> 2) : undefined;
  // The fast path's word loop needs the word that holds the sentinel too.
  const wordsThrough = buffer.byteOffset % 4 === 0 && buffer.length >= ((bufEnd + 4) & ~3) ? new Int32Array(buffer.buffer, buffer.byteOffset, (bufEnd + 4) >> 2) : undefined;
  const lineEnd = (q: number): number => {
    if (words !== undefined) {
      while (q & 3) {
        const ch = buf[q]!;
        if (ch === NL) return q;
        if (ch === QUOTE) return -1;
        q++;
      }
      for (let w = q >> 2; w < words.length; w++) {
        const v = words[w]!;
        const n = v ^ 0x0a0a0a0a, d = v ^ 0x22222222;
        if ((((n - 0x01010101) & ~n) | ((d - 0x01010101) & ~d)) & 0x80808080) {
          q = w << 2;
          break;
        }
        q = (w + 1) << 2;
      }
    }
    for (;;) {
      const ch = buf[q]!;
      if (ch === NL) return q;
      if (ch === QUOTE) return -1;
      q++;
    }
  };
  let row = 0, line = 0, pos = from, skipped = 0;
  const warnings: string[] = [];
  const fast = fastPath(kinds, sep);
  const fastState = new Int32Array(2);
  const fastCols = sinks.map((s) => s?.values);
  while (pos < stop && pos < bufEnd) {
    if (fast !== undefined && row < cap) {
      fastState[0] = pos;
      fastState[1] = row;
      fast(buf, wordsThrough, Math.min(stop, bufEnd), cap, fastState, fastCols, dicts, naFirst, naMax);
      line += fastState[1] - row;
      pos = fastState[0];
      row = fastState[1];
      if (pos >= stop || pos >= bufEnd) break;
    }
    const lineStart = pos;
    if (buf[pos] === NL || (buf[pos] === CR && buf[pos + 1] === NL)) {
      pos = buf[pos] === NL ? pos + 1 : pos + 2;
      line++;
      continue;
    }
    if (row === cap) {
      cap *= 2;
      for (const s of sinks) if (s) growSink(s, cap);
      sinks.forEach((s, c) => {
        if (f64[c]) f64[c] = s!.values as Float64Array;
        if (i32[c]) i32[c] = s!.values as Int32Array;
        fastCols[c] = s?.values;
      });
    }
    let p = pos;
    try {
      for (let c = 0; c < ncols; c++) {
        const fs = p;
        const k = code[c]!;
        let b = buf[p];
        let done = false;
        if (b !== QUOTE) {
          if (k === K_F64 || k === K_I32) {
            let q = p, neg = false;
            if (b === 45) {
              neg = true;
              b = buf[++q]!;
            }
            // Integer digits, then (float64) a dot and fraction digits: no per-digit bookkeeping.
            const d0 = q;
            let m = 0;
            while (b >= 48 && b <= 57) {
              m = m * 10 + (b - 48);
              b = buf[++q]!;
            }
            let frac = 0, digits = q - d0;
            if (b === 46 && k === K_F64) {
              const f0 = ++q;
              b = buf[q]!;
              while (b >= 48 && b <= 57) {
                m = m * 10 + (b - 48);
                b = buf[++q]!;
              }
              frac = q - f0;
              digits += frac;
            }
            if ((b === sep || b === NL) && digits > 0 && digits <= 15 && frac <= 22) {
              if (k === K_F64) {
                const v = frac === 0 ? m : m / POW10[frac]!;
                f64[c]![row] = neg ? -v : v;
                done = true;
              } else if (m <= 2147483647) {
                i32[c]![row] = neg ? -m : m;
                done = true;
              }
              if (done) p = q;
            }
          } else if (k === K_STR) {
            let h = 0x811c9dc5 | 0;
            while (b !== sep && b !== NL) {
              h = Math.imul(h ^ b, 0x01000193);
              b = buf[++p];
            }
            let fe = p;
            if (fe > fs && buf[fe - 1] === CR && b !== sep) fe--;
            if (fe !== p || (fe - fs <= naMax && isNa(fs, fe))) store(sinks[c]!, c, fs, fe, false);
            else i32[c]![row] = dicts[c]!.internHashed(buf, fs, fe, h);
            done = true;
          }
        }
        if (!done) {
          let fe: number, unescape = false;
          if (buf[p] === QUOTE) {
            p++;
            for (;;) {
              if (p >= bufEnd) throw new BadLine(line, `a quoted field in column ${c + 1} is not closed`, "close the quote, or check for a stray \"");
              if (buf[p] === QUOTE) {
                if (buf[p + 1] === QUOTE) {
                  unescape = true;
                  p += 2;
                  continue;
                }
                break;
              }
              p++;
            }
            fe = p++;
            if (k !== K_SKIP) store(sinks[c]!, c, fs + 1, fe, unescape);
          } else {
            b = buf[p];
            while (b !== sep && b !== NL) b = buf[++p];
            fe = p;
            if (fe > fs && buf[fe - 1] === CR && b !== sep) fe--;
            if (k !== K_SKIP) store(sinks[c]!, c, fs, fe, false);
          }
        }
        b = buf[p];
        if (b === sep) {
          if (c === ncols - 1) {
            let extra = 1;
            for (p++; p < bufEnd && buf[p] !== NL; p++) if (buf[p] === sep) extra++;
            throw new BadLine(line, `expected ${ncols} fields, found ${ncols + extra}`, "fix the line or pass onBadLines: \"skip\"");
          }
          p++;
          if (c === lastRead && skipTail) {
            // Projection: the rest of the line is not read. Jump to its end, unless a quote could hide a newline.
            const q = lineEnd(p);
            if (q >= 0) {
              p = q;
              break;
            }
          }
        } else if (b === NL || (b === CR && buf[p + 1] === NL)) {
          if (c < ncols - 1) throw new BadLine(line, `expected ${ncols} fields, found ${c + 1}`, "fix the line or pass onBadLines: \"skip\"");
          break;
        } else throw new BadLine(line, `unexpected text after the closing quote of column ${c + 1}`, "quote the whole field");
      }
      row++;
    } catch (e) {
      if (!(e instanceof BadLine)) throw e;
      const lineEnd = buffer.indexOf(NL, lineStart);
      const where = `${origin.file} line ${origin.firstLine() + e.lineInBuffer}`;
      if (plan.onBadLines === "error") {
        const text = latin1(buf, lineStart, Math.min(lineEnd < 0 ? bufEnd : lineEnd, lineStart + 120));
        throw Errors.badInput(`readCsv: ${where}: ${e.detail}: ${JSON.stringify(text)} (${e.fix})`);
      }
      skipped++;
      if (plan.onBadLines === "warn" && warnings.length < 20) warnings.push(`${where}: ${e.detail}`);
      p = lineEnd < 0 ? bufEnd : lineEnd;
    }
    // p is at the line's \r\n or \n (or the end of the buffer).
    if (buf[p] === CR && buf[p + 1] === NL) p++;
    pos = p < bufEnd ? p + 1 : bufEnd;
    line++;
  }
  if (warnings.length > 0) {
    process.emitWarning(`readCsv skipped ${skipped} bad line${skipped === 1 ? "" : "s"}: ${warnings.join("; ")}${skipped > warnings.length ? "; …" : ""}`, "TesseraWarning");
  }
  return finish(sinks, plan, row);

  function store(s: Sink, c: number, fs: number, fe: number, unescape: boolean): void {
    switch (s.kind) {
      case "float64": {
        const x = parseFloatBytes(buf, fs, fe);
        if (x !== x && !isNa(fs, fe) && !isNanText(fs, fe)) badValue(c, fs, fe, "a float64");
        (s.values as Float64Array)[row] = x;
        return;
      }
      case "int32":
      case "int64": {
        if (isNa(fs, fe)) {
          markMissing(s, row, cap);
          return;
        }
        const x = parseIntBytes(buf, fs, fe);
        if (x !== x) badValue(c, fs, fe, s.kind === "int32" ? "an int32" : "an int64", "float64");
        if (s.kind === "int32") {
          if (x > 2147483647 || x < -2147483648) badValue(c, fs, fe, "an int32 (it is too large)", "int64");
          (s.values as Int32Array)[row] = x;
        } else (s.values as BigInt64Array)[row] = Number.isSafeInteger(x) ? BigInt(x) : BigInt(latin1(buf, fs, fe).trim());
        return;
      }
      case "bool": {
        if (isNa(fs, fe)) {
          markMissing(s, row, cap);
          return;
        }
        const b = parseBoolBytes(buf, fs, fe);
        if (b < 0) badValue(c, fs, fe, "a bool", "string");
        (s.values as Uint8Array)[row] = b;
        return;
      }
      case "timestamp": {
        if (isNa(fs, fe)) {
          (s.values as Float64Array)[row] = NaN;
          return;
        }
        const t = parseTimestamp(latin1(buf, fs, fe).trim());
        if (t !== t) badValue(c, fs, fe, "a date or time", "string");
        (s.values as Float64Array)[row] = t;
        return;
      }
      case "string": {
        if (fe - fs <= naMax && isNa(fs, fe)) {
          (s.values as Int32Array)[row] = -1;
          markMissing(s, row, cap);
          return;
        }
        if (unescape) {
          const text = Buffer.from(utf8(buf, fs, fe).replace(/""/g, '"'), "utf8");
          (s.values as Int32Array)[row] = s.dict!.intern(text, 0, text.length);
        } else (s.values as Int32Array)[row] = s.dict!.intern(buf, fs, fe);
        return;
      }
    }
  }

  function isNanText(fs: number, fe: number): boolean {
    const t = latin1(buf, fs, fe).trim().toLowerCase();
    return t === "nan" || t === "-nan";
  }

  function badValue(c: number, fs: number, fe: number, what: string, dtype = "string"): never {
    throw new BadLine(line, `column ${JSON.stringify(plan.names[c])}: ${JSON.stringify(utf8(buf, fs, fe))} is not ${what}`, `pass dtype: { ${JSON.stringify(plan.names[c])}: "${dtype}" }, fix the row, or pass onBadLines: "skip"`);
  }
}

/** The first n values: a view when little is wasted, else a copy of exactly n. */
function fit<T extends Sink["values"]>(a: T, n: number): T {
  if (n >= a.length * 0.85) return a.subarray(0, n) as T;
  const out = sharedOf(a.constructor as unknown as ValuesCtor, n) as T;
  (out as Float64Array).set((a as Float64Array).subarray(0, n));
  return out;
}

function finish(sinks: (Sink | undefined)[], plan: ParsePlan, rows: number): Part {
  const cols: Column[] = plan.output.map((fi) => {
    const s = sinks[fi]!;
    const values = fit(s.values, rows);
    const valid = s.valid === undefined ? undefined : fit(s.valid, rows);
    const dtype = s.kind === "skip" ? "float64" : s.kind;
    if (s.kind === "string") {
      const { offsets, data, unique } = s.dict!.finish();
      const col: Column = valid === undefined ? { dtype: "string", length: rows, values, dict: { offsets, data } } : { dtype: "string", length: rows, values, dict: { offsets, data }, valid };
      // A dictionary that stopped deduplicating is not one: hand the strings on as plain UTF-8.
      return unique ? col : undictionary(col);
    }
    const base: Column = { dtype, length: rows, values };
    return valid === undefined ? base : { ...base, valid };
  });
  return makePart(plan.output.map((fi) => plan.names[fi]!), cols, rows);
}
