/**
 * Writing one partition as a CSV file (toCsv): a header line, then one
 * line per row; fields that hold the separator, a quote or a newline are
 * quoted (RFC 4180); missing values are empty; timestamps are ISO 8601.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Part, toJsArray } from "../../collections/dataframe/chunk";

function field(v: unknown, sep: string): string {
  if (v === null || v === undefined) return "";
  const s = v instanceof Date ? v.toISOString() : typeof v === "object" ? JSON.stringify(v) : String(v);
  return s.includes(sep) || s.includes('"') || s.includes("\n") || s.includes("\r") ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Writes `p` to `file`; returns the file's path. */
export function writeCsvPart(p: Part, file: string, sep: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const cols = p.columns.map(toJsArray);
  const lines: string[] = [p.names.map((n) => field(n, sep)).join(sep)];
  for (let r = 0; r < p.numRows; r++) lines.push(cols.map((c) => field(c[r], sep)).join(sep));
  fs.writeFileSync(file, lines.join("\n") + "\n");
  return file;
}
