/**
 * What `visualize()` returns: the layer graph (and, on request, the task
 * graph) of a collection as plain data — `layers`, `tasks` — that also draws
 * itself as SVG (`toSVG()`), laid out in Node by graph/layout.ts. A notebook
 * shows the drawing when a cell's last value is a GraphView.
 *
 * Task graphs of more than MAX_DRAWN_TASKS tasks are drawn as their layer
 * graph, with a note: a drawing of 100,000 boxes shows nothing.
 */
import { keyIndices, layoutDag, Layout } from "../graph";
import { MIMEBUNDLE, MimeBundle, escapeHtml } from "./repr";

export interface LayerView {
  name: string;
  op: string;
  ntasks: number;
  dependencies: string[];
  collection?: string;
}

export interface TaskView {
  key: string;
  op: string;
  layer: string;
  dependencies: string[];
}

export const MAX_DRAWN_TASKS = 400;

const FILL: Record<string, string> = { array: "#cfe2f3", dataframe: "#d9ead3", bag: "#fce5cd", delayed: "#ead1dc" };
const CHAR_WIDTH = 7;
const MARGIN = 12;

export class GraphView {
  readonly layers: LayerView[];
  tasks?: TaskView[];

  constructor(layers: LayerView[], tasks?: TaskView[]) {
    this.layers = layers;
    if (tasks !== undefined) this.tasks = tasks;
  }

  /** Total tasks over all layers. */
  get ntasks(): number {
    return this.layers.reduce((n, l) => n + l.ntasks, 0);
  }

  /**
   * The graph drawn as a standalone SVG document: layers (or tasks) as boxes,
   * inputs at the top, results at the bottom.
   * @example writeFileSync("graph.svg", x.visualize().toSVG())
   */
  toSVG(): string {
    const drawTasks = this.tasks !== undefined && this.tasks.length <= MAX_DRAWN_TASKS;
    const byLayer = new Map(this.layers.map((l) => [l.name, l]));
    const items = drawTasks
      ? this.tasks!.map((t) => ({ id: t.key, label: taskLabel(t), sub: "", fill: fillOf(byLayer.get(t.layer)?.collection), deps: t.dependencies }))
      : this.layers.map((l) => ({ id: l.name, label: l.op, sub: `${l.ntasks} task${l.ntasks === 1 ? "" : "s"}`, fill: fillOf(l.collection), deps: l.dependencies }));
    const known = new Set(items.map((i) => i.id));
    const layout = layoutDag(
      items.map((i) => ({ id: i.id, width: Math.max(56, CHAR_WIDTH * Math.max(i.label.length, i.sub.length) + 20) })),
      items.flatMap((i) => i.deps.filter((d) => known.has(d)).map((d) => [d, i.id] as const)),
      { nodeHeight: drawTasks ? 26 : 36 },
    );
    const note = this.tasks !== undefined && !drawTasks ? `${this.tasks.length} tasks: too many to draw, showing the ${this.layers.length} layers` : "";
    return drawSvg(layout, new Map(items.map((i) => [i.id, i])), note);
  }

  /** One line per layer: what it does, how many tasks, what it reads. */
  reprText(): string {
    const lines = [`GraphView: ${this.layers.length} layer${this.layers.length === 1 ? "" : "s"}, ${this.ntasks} task${this.ntasks === 1 ? "" : "s"}`];
    const ops = new Map(this.layers.map((l) => [l.name, l.op]));
    for (const l of this.layers) {
      const from = l.dependencies.map((d) => ops.get(d) ?? d);
      lines.push(`  ${l.op} (${l.ntasks} task${l.ntasks === 1 ? "" : "s"})${from.length > 0 ? ` <- ${from.join(", ")}` : ""}`);
    }
    return lines.join("\n");
  }

  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": this.reprText(), "image/svg+xml": this.toSVG() };
  }

  /** The data form, as before GraphView drew itself (JSON.stringify uses it). */
  toJSON(): { layers: LayerView[]; tasks?: TaskView[] } {
    return this.tasks === undefined ? { layers: this.layers } : { layers: this.layers, tasks: this.tasks };
  }
}

function fillOf(collection: string | undefined): string {
  return (collection !== undefined ? FILL[collection] : undefined) ?? "#eeeeee";
}

/** ["add-9f2c…", 3, 1] -> "add (3, 1)". */
function taskLabel(t: TaskView): string {
  const ix = keyIndices(t.key);
  return ix.length > 0 ? `${t.op} (${ix.join(", ")})` : t.op;
}

interface Item {
  label: string;
  sub: string;
  fill: string;
}

function drawSvg(layout: Layout, items: Map<string, Item>, note: string): string {
  const top = note === "" ? MARGIN : MARGIN + 18;
  const w = Math.ceil(layout.width + 2 * MARGIN);
  const h = Math.ceil(layout.height + top + MARGIN);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif" font-size="12">`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#666"/></marker></defs>`,
  ];
  if (note !== "") out.push(`<text x="${MARGIN}" y="${MARGIN + 6}" fill="#a33">${escapeHtml(note)}</text>`);
  out.push(`<g transform="translate(${MARGIN},${top})">`);
  for (const e of layout.edges) {
    const pts = e.points.map(([x, y]) => `${round(x)},${round(y)}`).join(" ");
    out.push(`<polyline points="${pts}" fill="none" stroke="#666" stroke-width="1.2" marker-end="url(#arrow)"/>`);
  }
  for (const n of layout.nodes) {
    const it = items.get(n.id)!;
    const x = round(n.x - n.width / 2), y = round(n.y - n.height / 2);
    out.push(`<g class="node"><title>${escapeHtml(n.id)}</title>`);
    out.push(`<rect x="${x}" y="${y}" width="${round(n.width)}" height="${n.height}" rx="6" fill="${it.fill}" stroke="#555"/>`);
    if (it.sub === "") {
      out.push(`<text x="${round(n.x)}" y="${round(n.y + 4)}" text-anchor="middle">${escapeHtml(it.label)}</text>`);
    } else {
      out.push(`<text x="${round(n.x)}" y="${round(n.y - 2)}" text-anchor="middle" font-weight="bold">${escapeHtml(it.label)}</text>`);
      out.push(`<text x="${round(n.x)}" y="${round(n.y + 12)}" text-anchor="middle" fill="#444" font-size="10">${escapeHtml(it.sub)}</text>`);
    }
    out.push(`</g>`);
  }
  out.push(`</g></svg>`);
  return out.join("\n");
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
