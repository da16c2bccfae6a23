/**
 * What compute() gives back: an Apache Arrow Table (all of Arrow's API
 * works on it) with `toRecords()`, `col(name)` as plain JS values, and a
 * notebook display of its first and last rows. A computed Series is a
 * one-column result of the same kind.
 */
import * as arrow from "apache-arrow";
import { inspect } from "node:util";
import { registerSizeof } from "../../store/sizeof";
import { MIMEBUNDLE, MimeBundle, escapeHtml } from "../repr";
import { Part, PartView, fieldsOf, makeView, toJsArray } from "./chunk";
import { partToArrow } from "./chunk/arrow";

const SHOW = 10;

export class TableResult extends arrow.Table {
  /** The rows as plain objects (object columns as the values the functions returned). */
  toRecords(): Record<string, unknown>[] {
    return makeView(this.part()).toRecords();
  }

  /** A column's values: numbers as a typed array, strings and objects as arrays. */
  col(name: string): ReturnType<PartView["col"]> {
    return makeView(this.part()).col(name);
  }

  /** Column names. */
  get columns(): string[] {
    return this.schema.fields.map((f) => f.name);
  }

  /** @internal the partition this table was made from. */
  part(): Part {
    return partOf.get(this)!;
  }

  override toString(): string {
    return tableText(this.part());
  }

  [inspect.custom](): string {
    return this.toString();
  }

  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": tableText(this.part()), "text/html": tableHtml(this.part()) };
  }
}

const partOf = new WeakMap<TableResult, Part>();

/** Bytes held by an Arrow Data and its children and dictionary. */
function dataBytes(d: arrow.Data): number {
  let n = 0;
  for (const b of [d.values, d.valueOffsets, d.nullBitmap, d.typeIds] as (ArrayBufferView | undefined)[]) if (b) n += b.byteLength;
  for (const c of d.children ?? []) n += dataBytes(c);
  for (const c of d.dictionary?.data ?? []) n += dataBytes(c);
  return n;
}

// Arrow tables can sit in the store too (a Delayed that returns one, a computed result kept by
// persist): the store accounts their buffers.
registerSizeof((v) => (v instanceof arrow.Table ? v.batches.reduce((n, b) => n + dataBytes(b.data), 64) : undefined));

export function tableResult(p: Part): TableResult {
  const t = partToArrow(p);
  const out = new TableResult(t.schema, t.batches);
  partOf.set(out, p);
  return out;
}

/** A computed Series: a one-column table, with `values` and `name`. */
export class SeriesResult extends TableResult {
  get name(): string {
    return this.schema.fields[0]!.name;
  }
  /** The values (numbers as a typed array, others as an array). */
  get values(): ReturnType<PartView["col"]> {
    return this.col(this.name);
  }
}

export function seriesResult(p: Part): SeriesResult {
  const t = partToArrow(p);
  const out = new SeriesResult(t.schema, t.batches);
  partOf.set(out, p);
  return out;
}

function rowsToShow(n: number): number[] {
  if (n <= 2 * SHOW) return Array.from({ length: n }, (_, i) => i);
  return [...Array.from({ length: SHOW / 2 }, (_, i) => i), -1, ...Array.from({ length: SHOW / 2 }, (_, i) => n - SHOW / 2 + i)];
}

function cell(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(+v.toPrecision(7));
  if (typeof v === "object") {
    const s = JSON.stringify(v, (_, x) => (typeof x === "number" && !Number.isInteger(x) ? +x.toPrecision(6) : typeof x === "bigint" ? String(x) : x));
    return s.length > 60 ? s.slice(0, 59) + "…" : s;
  }
  return String(v);
}

export function tableText(p: Part): string {
  const rows = rowsToShow(p.numRows);
  const cols = p.columns.map(toJsArray);
  const header = p.names.map((n, i) => `${n} (${p.columns[i]!.dtype})`);
  const body = rows.map((r) => (r < 0 ? p.names.map(() => "…") : cols.map((c) => cell(c[r]))));
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join("  ");
  return [line(header), ...body.map(line), `[${p.numRows} rows x ${p.names.length} columns]`].join("\n");
}

export function tableHtml(p: Part): string {
  const rows = rowsToShow(p.numRows);
  const cols = p.columns.map(toJsArray);
  const head = `<tr>${fieldsOf(p).map((f) => `<th>${escapeHtml(f.name)}<br><small>${f.dtype}</small></th>`).join("")}</tr>`;
  const body = rows.map((r) => `<tr>${r < 0 ? p.names.map(() => "<td>…</td>").join("") : cols.map((c) => `<td>${escapeHtml(cell(c[r]))}</td>`).join("")}</tr>`).join("");
  return `<table class="tessera-table"><thead>${head}</thead><tbody>${body}</tbody></table><p>${p.numRows} rows × ${p.names.length} columns</p>`;
}

