/**
 * `meta`: what a user function returns, said up front so the result's
 * schema is known before anything runs (Dask's meta). Accepted forms:
 *   { name: "LinearRegression", type: "object" }   one column (a Series)
 *   { x: "float64", label: "string" }              columns
 *   an Arrow Schema                                columns
 * Without meta, it is inferred by calling the function on a small fake
 * partition made from the input's schema — as Dask does — with a warning.
 */
import * as arrow from "apache-arrow";
import { Errors } from "../../errors";
import { ApplyMeta, dtypeOf, DTYPE_NAMES, Field, inferDType, makeView, partFromColumns, partFromResult, isArrowTable } from "./chunk";
import { arrowToPart, dtypeOfArrow } from "./chunk/arrow";

export type MetaInput = { name: string; type: string } | Record<string, string> | arrow.Schema;

function dtype(t: unknown, where: string): Field["dtype"] {
  const d = dtypeOf(t);
  if (d === undefined) throw Errors.badOption(where, t, `a type name: ${DTYPE_NAMES.join(", ")}`);
  return d;
}

export function parseMeta(meta: MetaInput): ApplyMeta {
  if (meta instanceof arrow.Schema) return { kind: "frame", fields: meta.fields.map((f) => ({ name: f.name, dtype: dtypeOfArrow(f.type, f.metadata) })) };
  if (meta === null || typeof meta !== "object") throw Errors.badOption("meta", meta, '{ name: "result", type: "object" }, { column: type, … } or an Arrow Schema');
  const keys = Object.keys(meta);
  if (keys.length === 2 && "name" in meta && ("type" in meta || "dtype" in meta)) {
    const m = meta as { name: string; type?: string; dtype?: string };
    return { kind: "series", name: String(m.name), dtype: dtype(m.type ?? m.dtype, "meta.type") };
  }
  if (keys.length === 0) throw Errors.badOption("meta", meta, "at least one column");
  return { kind: "frame", fields: keys.map((k) => ({ name: k, dtype: dtype((meta as Record<string, string>)[k], `meta.${k}`) })) };
}

export function metaFields(m: ApplyMeta): Field[] {
  return m.kind === "series" ? [{ name: m.name, dtype: m.dtype }] : [...m.fields];
}

const FAKE: Record<Field["dtype"], unknown[]> = {
  float64: [1.5, 2.5, 4], int32: [1, 2, 3], int64: [1n, 2n, 3n], bool: [true, false, true], string: ["foo", "bar", "foo"],
  timestamp: [new Date(0), new Date(86400000), new Date(172800000)], object: [{}, {}, {}],
};

/** A three-row partition view with plausible values for each field. */
export function fakeView(fields: readonly Field[]): ReturnType<typeof makeView> {
  return makeView(partFromColumns(Object.fromEntries(fields.map((f) => [f.name, FAKE[f.dtype]])), fields));
}

/** Runs fn on fake data and describes what it returned; the warning says so. */
export function inferMeta(fn: Function, fields: readonly Field[], args: unknown[], what: string): ApplyMeta {
  let r: unknown;
  try {
    r = fn(fakeView(fields), ...args);
  } catch (e) {
    throw Errors.badInput(`${what}: no meta was given, and running ${fn.name || "the function"} on fake data to infer it failed (${(e as Error).message}); pass meta, e.g. { meta: { name: "result", type: "object" } }`);
  }
  let m: ApplyMeta;
  if (r === null || r === undefined || typeof r !== "object" || r instanceof Date) {
    m = { kind: "series", name: "result", dtype: r === null || r === undefined ? "object" : inferDType([r]) };
  } else if (isArrowTable(r)) m = { kind: "frame", fields: arrowFields(r) };
  else {
    const looksTabular = Array.isArray(r) || typeof (r as { col?: unknown }).col === "function" || Object.values(r).every((v) => ArrayBuffer.isView(v) || Array.isArray(v));
    if (looksTabular) {
      try {
        const p = partFromResult(r);
        m = { kind: "frame", fields: p.names.map((n, i) => ({ name: n, dtype: p.columns[i]!.dtype })) };
      } catch {
        m = { kind: "series", name: "result", dtype: "object" };
      }
    } else m = { kind: "series", name: "result", dtype: "object" };
  }
  const shown = m.kind === "series" ? JSON.stringify({ name: m.name, type: m.dtype }) : JSON.stringify(Object.fromEntries(m.fields.map((f) => [f.name, f.dtype])));
  process.emitWarning(`${what}: no meta given; inferred meta ${shown} by running ${fn.name || "the function"} on fake data. Pass { meta: ${shown} } to be sure and silence this.`, "TesseraWarning");
  return m;
}

function arrowFields(t: unknown): Field[] {
  const p = arrowToPart(t as arrow.Table);
  return p.names.map((n, i) => ({ name: n, dtype: p.columns[i]!.dtype }));
}
