/**
 * How an array shows itself, as Dask's: a table of bytes, shape, chunks,
 * graph size and dtype (whole array and one chunk side by side), and an SVG
 * drawing of the chunk grid (1-D as a bar, 2-D as a grid, 3-D as a box).
 */
import { escapeHtml } from "../repr";
import { formatBytes } from "../../store/bytes";
import { offsets } from "./chunks";
import type { TArray } from "./array";

const fmtShape = (s: readonly number[]) => `[${s.map((n) => (Number.isNaN(n) ? "?" : String(n))).join(", ")}]`;

function rows(x: TArray): [string, string, string][] {
  const g = x.graph();
  const chunkBytes = x.chunksize.reduce((a, b) => a * b, x.itemsize);
  const bytes = (n: number) => (Number.isNaN(n) ? "unknown" : formatBytes(n));
  return [
    ["Bytes", bytes(x.nbytes), bytes(chunkBytes)],
    ["Shape", fmtShape(x.shape), fmtShape(x.chunksize)],
    ["Count", `${g.layers.size} layer${g.layers.size === 1 ? "" : "s"}, ${g.taskCount} task${g.taskCount === 1 ? "" : "s"}`, `${x.npartitions} chunk${x.npartitions === 1 ? "" : "s"} in a ${x.numblocks.join(" × ") || "1"} grid`],
    ["Type", x.dtype, "typed array"],
  ];
}

export function reprText(x: TArray): string {
  const op = x.graph().layers.get(x.name)?.op ?? "array";
  const head = `tessera.array<${op}, shape=${fmtShape(x.shape)}, dtype=${x.dtype}, chunksize=${fmtShape(x.chunksize)}>`;
  const table = rows(x).map(([k, a, c]) => `  ${k.padEnd(6)} ${a.padEnd(28)} ${c}`);
  return [head, `  ${"".padEnd(6)} ${"Array".padEnd(28)} Chunk`, ...table].join("\n");
}

export function reprHtml(x: TArray): string {
  const body = rows(x).map(([k, a, c]) => `<tr><th style="text-align:left">${escapeHtml(k)}</th><td>${escapeHtml(a)}</td><td>${escapeHtml(c)}</td></tr>`).join("");
  const table = `<table class="tessera-repr"><thead><tr><td></td><th>Array</th><th>Chunk</th></tr></thead><tbody>${body}</tbody></table>`;
  return `<div class="tessera-array" style="display:flex;gap:2em;align-items:center">${table}${svg(x)}</div>`;
}

/** Positions of chunk boundaries along a side of `len` pixels (at most 100 lines, as Dask draws). */
function ticks(sizes: readonly number[], len: number): number[] {
  const o = offsets(sizes.map((s) => (Number.isNaN(s) ? 1 : s)));
  const total = o[o.length - 1]! || 1;
  const all = o.map((v) => (v / total) * len);
  if (all.length <= 101) return all;
  const step = (all.length - 1) / 100;
  return Array.from({ length: 101 }, (_, i) => all[Math.round(i * step)]!);
}

/** Side lengths in pixels: proportional, largest 120, none below 8 (log-scaled when extreme, as Dask). */
function sides(shape: readonly number[]): number[] {
  const s = shape.map((n) => (Number.isNaN(n) || n < 1 ? 1 : n));
  const max = Math.max(...s);
  return s.map((n) => Math.max(8, 120 * (max / n > 20 ? Math.log10(n + 1) / Math.log10(max + 1) : n / max)));
}

function grid(x0: number, y0: number, w: number, h: number, cols: number[], rowsAt: number[], skew = 0): string {
  const lines: string[] = [];
  for (const y of rowsAt) lines.push(`<line x1="${(x0 + skew * y).toFixed(1)}" y1="${(y0 + y).toFixed(1)}" x2="${(x0 + w + skew * y).toFixed(1)}" y2="${(y0 + y).toFixed(1)}" />`);
  for (const c of cols) lines.push(`<line x1="${(x0 + c).toFixed(1)}" y1="${y0}" x2="${(x0 + c + skew * h).toFixed(1)}" y2="${y0 + h}" />`);
  return lines.join("");
}

export function svg(x: TArray): string {
  const nd = x.ndim;
  const style = `stroke="currentColor" stroke-width="1" fill="none"`;
  if (nd === 0) return "";
  const label = (t: string, px: number, py: number, rot = 0) =>
    `<text x="${px.toFixed(1)}" y="${py.toFixed(1)}" font-size="11" text-anchor="middle" fill="currentColor"${rot ? ` transform="rotate(${rot},${px.toFixed(1)},${py.toFixed(1)})"` : ""}>${t}</text>`;
  const shape = x.shape.map((n) => (Number.isNaN(n) ? "?" : String(n)));
  if (nd === 1) {
    const [w] = sides(x.shape);
    const body = `<rect x="10" y="10" width="${w!.toFixed(1)}" height="25" fill="#8B4903" fill-opacity="0.5" stroke="none" />` + grid(10, 10, w!, 25, ticks(x.chunks[0]!, w!), [0, 25]);
    return `<svg width="${(w! + 30).toFixed(0)}" height="60" ${style}>${body}${label(shape[0]!, 10 + w! / 2, 52)}</svg>`;
  }
  const [h, w] = sides(x.shape.slice(-2));
  if (nd === 2) {
    const body = `<rect x="10" y="10" width="${w!.toFixed(1)}" height="${h!.toFixed(1)}" fill="#8B4903" fill-opacity="0.5" stroke="none" />` +
      grid(10, 10, w!, h!, ticks(x.chunks[1]!, w!), ticks(x.chunks[0]!, h!));
    return `<svg width="${(w! + 50).toFixed(0)}" height="${(h! + 50).toFixed(0)}" ${style}>${body}${label(shape[1]!, 10 + w! / 2, h! + 30)}${label(shape[0]!, w! + 30, 10 + h! / 2, -90)}</svg>`;
  }
  // 3-D (and the last three axes of more): front face, top face skewed, right face skewed.
  const [dd] = sides([x.shape[nd - 3]!]);
  const depth = Math.min(60, dd! / 2);
  const fx = 10, fy = 10 + depth;
  const front = grid(fx, fy, w!, h!, ticks(x.chunks[nd - 1]!, w!), ticks(x.chunks[nd - 2]!, h!));
  const topCols = ticks(x.chunks[nd - 1]!, w!).map((c) => `<line x1="${(fx + c).toFixed(1)}" y1="${fy}" x2="${(fx + c + depth).toFixed(1)}" y2="${fy - depth}" />`).join("");
  const depthTicks = ticks(x.chunks[nd - 3]!, depth).map((t) => `<line x1="${(fx + t).toFixed(1)}" y1="${(fy - t).toFixed(1)}" x2="${(fx + w! + t).toFixed(1)}" y2="${(fy - t).toFixed(1)}" /><line x1="${(fx + w! + t).toFixed(1)}" y1="${(fy - t).toFixed(1)}" x2="${(fx + w! + t).toFixed(1)}" y2="${(fy + h! - t).toFixed(1)}" />`).join("");
  const fill = `<polygon points="${fx},${fy} ${fx + depth},${fy - depth} ${fx + depth + w!},${fy - depth} ${fx + depth + w!},${fy - depth + h!} ${fx + w!},${fy + h!} ${fx},${fy + h!}" fill="#8B4903" fill-opacity="0.4" stroke="none" />`;
  return `<svg width="${(w! + depth + 50).toFixed(0)}" height="${(h! + depth + 40).toFixed(0)}" ${style}>${fill}${front}${topCols}${depthTicks}` +
    `${label(shape[nd - 1]!, fx + w! / 2, fy + h! + 18)}${label(shape[nd - 2]!, fx + w! + depth + 18, fy + h! / 2 - depth / 2, -90)}${label(shape[nd - 3]!, fx + depth / 2 - 8, fy - depth / 2 - 4, -45)}</svg>`;
}
