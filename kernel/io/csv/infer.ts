/**
 * What readCsv does when it is called, before anything is computed: reads
 * the first bytes of the first file (the sample), splits the header, infers
 * each column's type from the sample's values, applies the user's dtype,
 * parseDates and columns options, and cuts every file into blocks.
 *
 * Inference, as pandas: integers -> int32 (int64 when a sampled value does
 * not fit), numbers -> float64, true/false -> bool, anything else ->
 * string; a column with no value in the sample is float64. A later value
 * that contradicts the sample is a bad line whose message names the dtype
 * to pass.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { Errors } from "../../errors";
import { DType, Field, dtypeOf, DTYPE_NAMES } from "../../collections/dataframe/chunk";
import { parseBytes } from "../../store/bytes";
import { Block, FieldKind, OnBadLines, ParsePlan } from "./plan";

export interface CsvOptions {
  /** Bytes per partition (default 64 MB; "25MB" or 25e6); null: one partition per file. */
  blocksize?: number | string | null;
  /** Field separator, one character (default ","). */
  sep?: string;
  /** Whether the first line is a header (default true). */
  header?: boolean;
  /** Column names, when the file has no header (or to rename them). */
  names?: string[];
  /** Read only these columns. */
  columns?: string[];
  /** Types by column name: "int32", "int64", "float64", "string", "category", "bool", "timestamp". */
  dtype?: Record<string, string>;
  /** Columns to parse as timestamps (ISO 8601). */
  parseDates?: string[];
  /** Text that means "missing" (replaces the default list; the empty field is always missing). */
  na?: string[];
  /** Bytes of the first file read to infer types (default 256 KB). */
  sample?: number;
  /** What to do with a malformed line: "error" (default), "skip", or "warn" (skip and warn). */
  onBadLines?: OnBadLines;
}

export const DEFAULT_NA = ["", "NA", "N/A", "NaN", "nan", "-NaN", "-nan", "null", "NULL", "None", "#N/A", "n/a", "<NA>"];
export const DEFAULT_BLOCKSIZE = 64e6;
const OPTION_NAMES = ["blocksize", "sep", "header", "names", "columns", "dtype", "parseDates", "na", "sample", "onBadLines"];

export function isGzip(file: string): boolean {
  return file.endsWith(".gz");
}

function sampleText(file: string, bytes: number): string {
  const fd = fs.openSync(file, "r");
  try {
    const buf = Buffer.allocUnsafe(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    if (!isGzip(file)) return buf.toString("utf8", 0, n);
    try {
      return zlib.gunzipSync(buf.subarray(0, n), { finishFlush: zlib.constants.Z_SYNC_FLUSH }).toString("utf8");
    } catch (e) {
      throw Errors.badInput(`readCsv: ${file} ends in .gz but is not gzip data (${(e as Error).message})`);
    }
  } finally {
    fs.closeSync(fd);
  }
}

/** Splits sample text into rows of fields (RFC 4180 quotes). The last line is dropped when the sample cut it. */
export function splitRows(text: string, sep: string, complete: boolean): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], field = "", quoted = false, i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = "";
    } else if (ch === "\n") {
      row.push(field.endsWith("\r") ? field.slice(0, -1) : field);
      if (!(row.length === 1 && row[0] === "")) rows.push(row);
      row = [];
      field = "";
    } else field += ch;
    i++;
  }
  if (complete && (field !== "" || row.length > 0)) rows.push([...row, field]);
  return rows;
}

function inferKind(values: string[], na: Set<string>): FieldKind {
  let ints = true, nums = true, bools = true, any = false, big = false;
  for (const raw of values) {
    const v = raw.trim();
    if (na.has(raw) || v === "") continue;
    any = true;
    if (ints && /^[+-]?\d+$/.test(v)) {
      const x = Number(v);
      if (x > 2147483647 || x < -2147483648) big = true;
    } else ints = false;
    if (nums && Number.isNaN(Number(v)) && !/^[+-]?(inf|infinity|nan)$/i.test(v)) nums = false;
    if (bools && !/^(true|false)$/i.test(v)) bools = false;
    if (!ints && !nums && !bools) return "string";
  }
  if (!any) return "float64";
  if (ints) return big ? "int64" : "int32";
  if (nums) return "float64";
  return bools ? "bool" : "string";
}

function checkNames(what: string, asked: readonly string[], names: readonly string[]): void {
  for (const n of asked) {
    if (!names.includes(n)) throw Errors.badInput(`readCsv: ${what} names column ${JSON.stringify(n)}, which the file does not have (columns: ${names.join(", ")})`);
  }
}

export function checkCsvOptions(o: CsvOptions): void {
  for (const k of Object.keys(o)) if (!OPTION_NAMES.includes(k)) throw Errors.badOption(`readCsv option "${k}"`, (o as Record<string, unknown>)[k], `one of ${OPTION_NAMES.join(", ")}`);
  if (o.sep !== undefined && (typeof o.sep !== "string" || Buffer.byteLength(o.sep) !== 1)) throw Errors.badOption("readCsv option sep", o.sep, 'one single-byte character, e.g. "," or "\\t"');
  if (o.onBadLines !== undefined && !["error", "skip", "warn"].includes(o.onBadLines)) throw Errors.badOption("readCsv option onBadLines", o.onBadLines, '"error", "skip" or "warn"');
}

/** The parse plan and the output schema for reading `files` with `o`. */
export function inferPlan(files: readonly string[], o: CsvOptions): { plan: ParsePlan; fields: Field[] } {
  const sep = o.sep ?? ",";
  const sampleSize = o.sample ?? 256 * 1024;
  const text = sampleText(files[0]!, sampleSize).replace(/^\uFEFF/, ""); // a UTF-8 byte order mark is not data
  const complete = fs.statSync(files[0]!).size <= sampleSize && !isGzip(files[0]!);
  const rows = splitRows(text, sep, complete);
  const header = o.header ?? true;
  if (rows.length === 0) throw Errors.badInput(`readCsv: ${files[0]} is empty (a CSV file needs at least a header line)`);
  const names = o.names ?? (header ? rows[0]! : rows[0]!.map((_, i) => `column${i}`));
  if (new Set(names).size !== names.length) throw Errors.badInput(`readCsv: ${files[0]} has repeated column names (${names.join(", ")}); pass names: [...] to name them`);
  const data = header ? rows.slice(1) : rows;
  const na = o.na ?? DEFAULT_NA;
  const naSet = new Set(na);
  const kinds: FieldKind[] = names.map((_, c) => inferKind(data.map((r) => r[c] ?? ""), naSet));
  for (const [col, t] of Object.entries(o.dtype ?? {})) {
    checkNames("dtype", [col], names);
    const d = dtypeOf(t);
    if (d === undefined || d === "object") throw Errors.badOption(`readCsv dtype for column ${JSON.stringify(col)}`, t, `one of ${DTYPE_NAMES.filter((n) => dtypeOf(n) !== "object").join(", ")}`);
    kinds[names.indexOf(col)] = d as FieldKind;
  }
  for (const col of o.parseDates ?? []) {
    checkNames("parseDates", [col], names);
    kinds[names.indexOf(col)] = "timestamp";
  }
  const keep = o.columns ?? names;
  checkNames("columns", keep, names);
  const output = keep.map((n) => names.indexOf(n));
  const planKinds = kinds.map((k, i) => (output.includes(i) ? k : "skip"));
  const sampleLines = Math.max(1, data.length);
  const lineBytes = Math.max(8, Buffer.byteLength(text) / (sampleLines + (header ? 1 : 0)));
  const plan: ParsePlan = { sep: sep.charCodeAt(0), header, names, kinds: planKinds, output, na, onBadLines: o.onBadLines ?? "error", lineBytes };
  return { plan, fields: output.map((i) => ({ name: names[i]!, dtype: kinds[i] as DType })) };
}

/** Each file cut into blocks of about `blocksize` bytes (gzip files whole). */
export function planBlocks(files: readonly string[], blocksize: number | string | null | undefined): Block[] {
  const size = blocksize === null ? Infinity : parseBytes(blocksize ?? DEFAULT_BLOCKSIZE, "readCsv option blocksize");
  const out: Block[] = [];
  for (const file of files) {
    const bytes = fs.statSync(file).size;
    const gzip = isGzip(file);
    if (gzip || bytes <= size) {
      out.push({ file, start: 0, end: gzip ? Infinity : Math.max(bytes, 1), gzip });
      continue;
    }
    const n = Math.ceil(bytes / size);
    const step = Math.ceil(bytes / n);
    for (let i = 0; i < n; i++) out.push({ file, start: i * step, end: Math.min(bytes, (i + 1) * step), gzip: false });
  }
  return out;
}
