/**
 * How a computed Apache Arrow table (or record batch) shows in a notebook:
 * an HTML table of its first and last rows with the row count and column
 * types, and the same as text.
 *
 * Tables are recognised by shape, not by `instanceof`: a notebook may load
 * another copy of apache-arrow than the engine's, and its tables must show
 * the same way.
 */
import { escapeHtml } from "../collections/repr";
import type { MimeBundle } from "../collections/repr";

/** What we read from an Arrow Table or RecordBatch. */
export interface ArrowTableLike {
  readonly numRows: number;
  readonly numCols: number;
  readonly schema: { readonly fields: readonly { readonly name: string; readonly type: unknown }[] };
  getChildAt(i: number): { get(row: number): unknown } | null;
}

export interface TableReprOptions {
  /** Rows shown from each end when the table is longer than head + tail. */
  head?: number;
  tail?: number;
}

export function isArrowTable(value: unknown): value is ArrowTableLike {
  const t = value as ArrowTableLike | null;
  return (
    t !== null &&
    typeof t === "object" &&
    typeof t.numRows === "number" &&
    typeof t.numCols === "number" &&
    typeof t.getChildAt === "function" &&
    Array.isArray(t.schema?.fields)
  );
}

/**
 * The notebook display of an Arrow table: head and tail rows, row count, types.
 * @example arrowTableBundle(tableFromArrays({ x: Float64Array.of(1, 2) }))["text/plain"]
 */
export function arrowTableBundle(table: ArrowTableLike, options: TableReprOptions = {}): MimeBundle {
  const head = options.head ?? 5;
  const tail = options.tail ?? 5;
  const n = table.numRows;
  const rows = n <= head + tail ? range(0, n) : [...range(0, head), -1, ...range(n - tail, n)];
  const fields = table.schema.fields;
  const columns = fields.map((_, c) => table.getChildAt(c));
  const cell = (r: number, c: number) => formatValue(columns[c]?.get(r));
  const caption = `${n.toLocaleString("en-US")} row${n === 1 ? "" : "s"} × ${fields.length} column${fields.length === 1 ? "" : "s"}`;

  const th = fields.map((f) => `<th style="text-align:right">${escapeHtml(f.name)}<br><small style="font-weight:normal;color:#777">${escapeHtml(String(f.type))}</small></th>`);
  const body = rows.map((r) =>
    r < 0
      ? `<tr><th>…</th>${fields.map(() => "<td>…</td>").join("")}</tr>`
      : `<tr><th style="color:#777">${r}</th>${fields.map((_, c) => `<td style="text-align:right">${escapeHtml(cell(r, c))}</td>`).join("")}</tr>`,
  );
  const html = `<table class="tessera-table"><caption style="text-align:left">Arrow table: ${caption}</caption><thead><tr><th></th>${th.join("")}</tr></thead><tbody>${body.join("")}</tbody></table>`;

  const grid = [["", ...fields.map((f) => f.name)], ...rows.map((r) => (r < 0 ? ["…", ...fields.map(() => "…")] : [String(r), ...fields.map((_, c) => cell(r, c))]))];
  const widths = grid[0]!.map((_, c) => Math.max(...grid.map((row) => row[c]!.length)));
  const text = [`Arrow table: ${caption}`, ...grid.map((row) => row.map((v, c) => v.padStart(widths[c]!)).join("  "))].join("\n");
  return { "text/plain": text, "text/html": html };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

function formatValue(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "bigint") return `${v}`;
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (v instanceof Date) return v.toISOString();
  if (typeof v === "object") {
    try {
      return JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? `${x}` : x));
    } catch {
      return String(v);
    }
  }
  const s = String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}
