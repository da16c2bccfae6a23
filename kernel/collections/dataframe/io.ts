/**
 * Making DataFrames: readCsv, readParquet, fromArrow, fromRecords,
 * fromArray, fromDelayed. Readers look at the files when called (the
 * header and a sample for CSV, the footer for Parquet) to know the schema
 * and the partitions; the data is read by the tasks, at compute.
 */
import * as arrow from "apache-arrow";
import * as fs from "node:fs";
import { Errors, TesseraError } from "../../errors";
import { builtin, keyName, LayeredGraph, ref, task } from "../../graph";
import { expandPaths } from "../../io/files";
import { checkCsvOptions, CsvOptions, inferPlan, planBlocks } from "../../io/csv/infer";
import { Delayed } from "../delayed";
import { Field, Part, partFromColumns, partFromRecords, sliceRows, toSharedPart } from "./chunk";
import { arrowToPart } from "./chunk/arrow";
import { DataFrame } from "./frame";
import { Divisions, layerMeta, layerName, taskLayer } from "./layers";
import { metaFields, MetaInput, parseMeta } from "./meta";
import { ReadCsvLayer } from "./prune";

/**
 * Reads CSV files lazily, cut into blocks of about `blocksize` bytes on line
 * boundaries (gzip files whole). Types are inferred from a sample of the
 * first file; `dtype` overrides them.
 * @example const ddf = dd.readCsv("large_file.csv", { blocksize: 25e6 })
 * @example dd.readCsv("logs/2024-*.csv.gz", { parseDates: ["timestamp"], onBadLines: "warn" })
 */
export function readCsv(path: string | string[], options: CsvOptions = {}): DataFrame {
  checkCsvOptions(options);
  const files = expandPaths(path, "readCsv").map((f) => f.path);
  const { plan, fields } = inferPlan(files, options);
  const blocks = planBlocks(files, options.blocksize);
  const stamps = files.map((f) => {
    const st = fs.statSync(f);
    return [st.size, st.mtimeMs];
  });
  const name = layerName("read-csv", files, stamps, plan, blocks);
  const meta = { npartitions: blocks.length, divisions: null, fields };
  const layer = new ReadCsvLayer(name, blocks, plan, layerMeta(meta));
  return new DataFrame(name, LayeredGraph.of(layer), meta);
}

function fromParts(op: string, parts: Part[], fields: Field[], token: unknown): DataFrame {
  const shared = parts.map(toSharedPart);
  const name = layerName(op, token);
  const meta = { npartitions: parts.length, divisions: null as Divisions | null, fields };
  const layer = taskLayer(name, op, parts.length, (i) => task(builtin("dataframe.identity"), [shared[i]!]), [], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.of(layer), meta);
}

function split(p: Part, n: number | undefined, what: string): Part[] {
  const k = n ?? 1;
  if (!Number.isInteger(k) || k < 1) throw Errors.badOption(`${what} option npartitions`, n, "a positive integer");
  return Array.from({ length: k }, (_, i) => sliceRows(p, Math.floor((i * p.numRows) / k), Math.floor(((i + 1) * p.numRows) / k)));
}

function fieldsOfPart(p: Part): Field[] {
  return p.names.map((n, i) => ({ name: n, dtype: p.columns[i]!.dtype }));
}

/**
 * A DataFrame from an Arrow table in memory, cut into `npartitions` row ranges.
 * @example dd.fromArrow(tableFromArrays({ x: Float64Array.from([1, 2, 3]) }), { npartitions: 2 })
 */
export function fromArrow(table: arrow.Table, options: { npartitions?: number } = {}): DataFrame {
  if (!(table instanceof arrow.Table)) throw Errors.badOption("fromArrow(table)", table, "an Apache Arrow Table (apache-arrow's tableFromArrays, tableFromIPC, …)");
  const p = arrowToPart(table);
  return fromParts("from-arrow", split(p, options.npartitions, "fromArrow"), fieldsOfPart(p), [table, options.npartitions]);
}

/**
 * A DataFrame from an array of records (plain objects).
 * @example dd.fromRecords([{ name: "a", x: 1 }, { name: "b", x: 2 }], { npartitions: 2 })
 */
export function fromRecords(records: Record<string, unknown>[], options: { npartitions?: number; meta?: Record<string, string> } = {}): DataFrame {
  if (!Array.isArray(records)) throw Errors.badOption("fromRecords(records)", records, "an array of plain objects");
  const fields = options.meta === undefined ? undefined : metaFields(parseMeta(options.meta));
  const p = wrap("fromRecords", () => partFromRecords(records, fields));
  return fromParts("from-records", split(p, options.npartitions, "fromRecords"), fieldsOfPart(p), [records, options]);
}

/**
 * A DataFrame from columns of values (typed arrays or arrays).
 * @example dd.fromArray({ x: new Float64Array(1e6), label: labels }, { npartitions: 4 })
 */
export function fromArray(columns: Record<string, ArrayLike<unknown>>, options: { npartitions?: number; meta?: Record<string, string> } = {}): DataFrame {
  if (columns === null || typeof columns !== "object") throw Errors.badOption("fromArray(columns)", columns, "an object of columns, e.g. { x: Float64Array, name: string[] }");
  const fields = options.meta === undefined ? undefined : metaFields(parseMeta(options.meta));
  const p = wrap("fromArray", () => partFromColumns(columns, fields));
  return fromParts("from-array", split(p, options.npartitions, "fromArray"), fieldsOfPart(p), [columns, options]);
}

function wrap<T>(what: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof TesseraError) throw e;
    throw Errors.badInput(`${what}: ${(e as Error).message}`);
  }
}

/**
 * A DataFrame with one partition per Delayed; each Delayed's value is an
 * Arrow table, columns of values or records, matching `meta`.
 * @example dd.fromDelayed(files.map((f) => load(f)), { meta: { x: "float64", name: "string" } })
 */
export function fromDelayed(parts: Delayed<unknown>[], options: { meta: MetaInput; divisions?: Divisions }): DataFrame {
  if (!Array.isArray(parts) || parts.length === 0 || parts.some((d) => !(d instanceof Delayed))) {
    throw Errors.badOption("fromDelayed(parts)", parts, "a non-empty array of Delayed values");
  }
  if (options?.meta === undefined) throw Errors.badOption("fromDelayed option meta", undefined, 'the columns each part holds, e.g. { meta: { x: "float64", name: "string" } }');
  const fields = metaFields(parseMeta(options.meta));
  const divisions = options.divisions ?? null;
  if (divisions !== null && divisions.length !== parts.length + 1) throw Errors.badOption("fromDelayed option divisions", divisions, `${parts.length + 1} values (one more than the parts)`);
  const name = layerName("from-delayed", parts.map((d) => d.key), fields);
  const meta = { npartitions: parts.length, divisions, fields };
  const layer = taskLayer(name, "from-delayed", parts.length, (i) => task(builtin("dataframe.fromValue"), [ref(parts[i]!.key), fields]), [...new Set(parts.map((d) => keyName(d.key)))], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.from(layer, ...parts.map((d) => d.graph())), meta);
}

/**
 * Reads Parquet files lazily, one partition per row group; `columns` reads
 * only those columns.
 * @example const ddf = dd.readParquet("data/*.parquet", { columns: ["name", "x"] })
 */
export function readParquet(path: string | string[], options: { columns?: string[] } = {}): DataFrame {
  const files = expandPaths(path, "readParquet").map((f) => f.path);
  const groups: { file: string; rowStart: number; rowEnd: number }[] = [];
  let fields: Field[] | undefined;
  for (const file of files) {
    const md = footer(file);
    let at = 0;
    for (const rg of md.row_groups) {
      const n = Number(rg.num_rows);
      groups.push({ file, rowStart: at, rowEnd: at + n });
      at += n;
    }
    const fileFields = parquetFields(md);
    if (fields === undefined) fields = fileFields;
    else if (JSON.stringify(fields) !== JSON.stringify(fileFields)) throw Errors.badInput(`readParquet: ${file} has columns ${JSON.stringify(fileFields)}, unlike ${files[0]} (${JSON.stringify(fields)}); read them separately`);
  }
  let out = fields!;
  if (options.columns !== undefined) {
    for (const c of options.columns) if (!out.some((f) => f.name === c)) throw Errors.badInput(`readParquet: unknown column ${JSON.stringify(c)} (columns are: ${out.map((f) => f.name).join(", ")})`);
    out = options.columns.map((c) => out.find((f) => f.name === c)!);
  }
  if (groups.length === 0) groups.push({ file: files[0]!, rowStart: 0, rowEnd: 0 });
  const stamps = files.map((f) => fs.statSync(f).mtimeMs);
  const name = layerName("read-parquet", files, stamps, out);
  const meta = { npartitions: groups.length, divisions: null, fields: out };
  const layer = taskLayer(name, "read-parquet", groups.length, (i) => task(builtin("io.readParquet"), [groups[i], out]), [], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.of(layer), meta);
}

type Metadata = ReturnType<typeof import("hyparquet").parquetMetadata>;

function footer(file: string): Metadata {
  const fd = fs.openSync(file, "r");
  try {
    const size = fs.fstatSync(fd).size;
    const tail = Buffer.alloc(8);
    if (size < 12) throw new Error("too small to be Parquet");
    fs.readSync(fd, tail, 0, 8, size - 8);
    if (tail.toString("latin1", 4) !== "PAR1") throw new Error("it does not end with the Parquet magic bytes");
    const len = tail.readUInt32LE(0) + 8;
    const buf = Buffer.alloc(len);
    fs.readSync(fd, buf, 0, len, size - len);
    const { parquetMetadata } = require("hyparquet") as typeof import("hyparquet");
    return parquetMetadata(buf.buffer.slice(buf.byteOffset, buf.byteOffset + len) as ArrayBuffer);
  } catch (e) {
    throw Errors.badInput(`readParquet: cannot read the footer of ${file}: ${(e as Error).message} (is it a Parquet file?)`);
  } finally {
    fs.closeSync(fd);
  }
}

function parquetFields(md: Metadata): Field[] {
  return md.schema.slice(1).filter((el) => !el.num_children).map((el) => {
    const t = el.type, ct = el.converted_type as string | undefined, lt = (el.logical_type as { type?: string } | undefined)?.type;
    let dtype: Field["dtype"] = "object";
    if (t === "BOOLEAN") dtype = "bool";
    else if (t === "INT32") dtype = ct === "DATE" || lt === "DATE" ? "timestamp" : "int32";
    else if (t === "INT64") dtype = ct?.startsWith("TIMESTAMP") || lt === "TIMESTAMP" ? "timestamp" : "int64";
    else if (t === "FLOAT" || t === "DOUBLE") dtype = "float64";
    else if (t === "BYTE_ARRAY") dtype = ct === "UTF8" || lt === "STRING" ? "string" : ct === "JSON" || lt === "JSON" ? "object" : "string";
    return { name: el.name, dtype };
  });
}
