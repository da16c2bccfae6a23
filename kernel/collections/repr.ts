/**
 * Shared pieces of collection reprs: HTML escaping and the small table every
 * collection's notebook display starts with. A collection's display is a
 * mimebundle ({ "text/html", "text/plain" }) returned by its
 * `[MIMEBUNDLE]()` method; the notebook kernel shows it when a cell's last
 * value is a collection.
 */

/** The symbol the notebook kernel looks for: value[MIMEBUNDLE]() -> mimebundle. */
export const MIMEBUNDLE = Symbol.for("tessera.mimebundle");

export type MimeBundle = { "text/plain": string; "text/html"?: string; [mime: string]: unknown };

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** A two-column table of (label, value) rows; values are escaped. */
export function infoTable(title: string, rows: [string, string][]): string {
  const body = rows.map(([k, v]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join("");
  return `<table class="tessera-repr"><caption style="text-align:left"><b>${escapeHtml(title)}</b></caption><tbody>${body}</tbody></table>`;
}
