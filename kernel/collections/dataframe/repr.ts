/**
 * How a lazy DataFrame shows itself, as Dask's: its columns and types, its
 * partitions and divisions (known or not, said plainly), and how many
 * layers and tasks its graph has — without computing anything.
 */
import { escapeHtml } from "../repr";
import type { DataFrame } from "./frame";

function divisionsText(df: DataFrame): string {
  if (df.divisions === null) return "unknown";
  const d = df.divisions.map((x) => (x === null ? "null" : typeof x === "number" ? String(+x.toPrecision(6)) : JSON.stringify(x)));
  return d.length > 8 ? `[${d.slice(0, 4).join(", ")}, …, ${d.slice(-3).join(", ")}]` : `[${d.join(", ")}]`;
}

export function frameText(df: DataFrame): string {
  const g = df.graph();
  const w = Math.max(6, ...df.columns.map((c) => c.length));
  return [
    `Tessera DataFrame Structure: npartitions=${df.npartitions}, divisions ${divisionsText(df)}${df.index ? `, index "${df.index}"` : ""}`,
    ...df.fields.map((f) => `  ${f.name.padEnd(w)}  ${f.dtype}`),
    `Name: ${df.name}, ${g.layers.size} graph layer${g.layers.size === 1 ? "" : "s"}, ${g.taskCount} tasks`,
  ].join("\n");
}

export function frameHtml(df: DataFrame): string {
  const g = df.graph();
  const head = df.fields.map((f) => `<th>${escapeHtml(f.name)}</th>`).join("");
  const types = df.fields.map((f) => `<td>${escapeHtml(f.dtype)}</td>`).join("");
  return `<div class="tessera-repr"><b>Tessera DataFrame Structure</b>`
    + `<table><thead><tr><th>npartitions=${df.npartitions}</th>${head}</tr></thead><tbody><tr><th></th>${types}</tr></tbody></table>`
    + `<p>divisions: ${escapeHtml(divisionsText(df))}${df.index ? ` · index: ${escapeHtml(df.index)}` : ""}</p>`
    + `<p>Name: ${escapeHtml(df.name)} · ${g.layers.size} graph layer${g.layers.size === 1 ? "" : "s"} · ${g.taskCount} tasks</p></div>`;
}
