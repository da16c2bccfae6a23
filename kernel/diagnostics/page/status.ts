/**
 * The status page's script (runs in the browser; see ../page.ts). It opens
 * the dashboard's WebSocket with the page's own ?token=, subscribes to the
 * workers, graph and task-stream streams, checks every message with the
 * shared protocol's guard, and redraws at most once per animation frame.
 * DOM only: text goes in with textContent, never as HTML.
 */
import { RunGraph, ServerMessage, TaskRecord, WorkerState, StoreState, encodeClient, parseServerMessage, PROTOCOL_VERSION } from "../../protocol.js";

const MAX_RUNS_SHOWN = 4;
const MAX_NODES_SHOWN = 60;
const MAX_RECORDS = 2000;
const SVG = "http://www.w3.org/2000/svg";

const state = {
  workers: [] as WorkerState[],
  store: undefined as StoreState | undefined,
  runs: new Map<string, RunGraph>(),
  records: [] as TaskRecord[],
  lastSeq: -1,
};

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (el === null) throw new Error(`status page: #${id} is missing`);
  return el;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, cls?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls !== undefined) e.className = cls;
  return e;
}

function bytes(n: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (Math.abs(n) >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return i === 0 ? `${n} B` : `${n.toFixed(n >= 100 ? 0 : 1)} ${units[i]}`;
}

function bar(parts: [string, number][], total: number): HTMLElement {
  const b = el("div", undefined, "bar");
  for (const [cls, v] of parts) {
    if (v <= 0 || total <= 0) continue;
    const s = el("span", undefined, cls);
    s.style.width = `${Math.min(100, (100 * v) / total)}%`; // CSSOM, which a strict CSP allows
    b.append(s);
  }
  return b;
}

function renderWorkers(): void {
  const body = $("workers").querySelector("tbody")!;
  body.replaceChildren(
    ...state.workers.map((w) => {
      const tr = el("tr");
      tr.dataset.worker = w.id;
      tr.dataset.managed = String(w.managed);
      tr.dataset.processing = String(w.processing);
      tr.dataset.tasksRun = String(w.tasksRun);
      const memCell = el("td");
      memCell.append(bar([["managed", w.managed], ["unmanaged", w.unmanaged], ["spilled", w.spilled]], w.memoryLimit));
      tr.append(el("td", w.id), el("td", String(w.processing)), el("td", String(w.tasksRun)), memCell,
        el("td", `${bytes(w.managed + w.unmanaged)} / ${bytes(w.memoryLimit)}${w.spilled > 0 ? ` (+${bytes(w.spilled)} on disk)` : ""}`, "muted"));
      return tr;
    }),
  );
  const s = state.store;
  if (s !== undefined) {
    $("store").textContent = `store: ${bytes(s.managed)} managed · ${bytes(s.unmanaged)} unmanaged · ${bytes(s.spilled)} spilled · limit ${bytes(s.memoryLimit)} · ${s.chunks} chunks${s.paused ? " · PAUSED (memory high)" : ""}`;
  }
}

function done(c: RunGraph["nodes"][number]["counts"]): number {
  return c.memory + c.spilled + c.released;
}

function renderRuns(): void {
  const runs = [...state.runs.values()].sort((a, b) => b.start - a.start).slice(0, MAX_RUNS_SHOWN);
  if (runs.length === 0) return;
  $("runs").replaceChildren(
    ...runs.map((r) => {
      const div = el("div", undefined, "run");
      div.dataset.run = r.runId;
      div.dataset.status = r.status;
      const total = r.nodes.reduce((s, n) => s + n.ntasks, 0);
      const finished = r.nodes.reduce((s, n) => s + done(n.counts), 0);
      const took = r.end === undefined ? "" : ` · ${Math.round(r.end - r.start)} ms`;
      div.append(el("h3", `${r.status} · ${finished} / ${total} tasks${took}${r.grouped ? " · grouped by operation" : ""}`));
      if (r.error !== undefined) div.append(el("div", `${r.error.name}: ${r.error.message}`, "error"));
      const table = el("table");
      for (const n of r.nodes.slice(0, MAX_NODES_SHOWN)) {
        const tr = el("tr");
        tr.dataset.node = n.name;
        tr.dataset.done = String(done(n.counts));
        tr.dataset.total = String(n.ntasks);
        tr.dataset.erred = String(n.counts.erred);
        const c = n.counts;
        const cell = el("td");
        cell.append(bar([["memory", c.memory + c.spilled], ["released", c.released], ["processing", c.processing], ["erred", c.erred], ["waiting", c.waiting]], n.ntasks));
        const name = el("td", n.op);
        name.title = n.name;
        tr.append(name, cell, el("td", `${done(c)} / ${n.ntasks}`, "muted"));
        table.append(tr);
      }
      div.append(table);
      if (r.nodes.length > MAX_NODES_SHOWN) div.append(el("p", `… ${r.nodes.length - MAX_NODES_SHOWN} more`, "muted"));
      return div;
    }),
  );
}

function colour(op: string): string {
  let h = 0;
  for (let i = 0; i < op.length; i++) h = (h * 31 + op.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360} 65% 50%)`;
}

function renderStream(): void {
  const recs = state.records;
  if (recs.length === 0) return;
  const workers = [...new Set(recs.map((r) => r.worker))].sort();
  const t0 = Math.min(...recs.map((r) => r.start));
  const t1 = Math.max(...recs.map((r) => r.stop));
  const span = Math.max(t1 - t0, 1);
  const W = 1000, row = 22, left = 90;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${workers.length * row + 16}`);
  svg.dataset.records = String(recs.length);
  workers.forEach((w, i) => {
    const t = document.createElementNS(SVG, "text");
    t.setAttribute("x", "0");
    t.setAttribute("y", String(i * row + 15));
    t.textContent = w;
    svg.append(t);
  });
  for (const r of recs) {
    const rect = document.createElementNS(SVG, "rect");
    const x = left + ((r.start - t0) / span) * (W - left);
    rect.setAttribute("x", x.toFixed(1));
    rect.setAttribute("y", String(workers.indexOf(r.worker) * row + 2));
    rect.setAttribute("width", Math.max(1, ((r.stop - r.start) / span) * (W - left)).toFixed(1));
    rect.setAttribute("height", String(row - 4));
    rect.setAttribute("fill", r.status === "erred" ? "#cf222e" : colour(r.op));
    const title = document.createElementNS(SVG, "title");
    title.textContent = `${r.op} ${r.key} · ${(r.stop - r.start).toFixed(2)} ms${r.nbytes === undefined ? "" : ` · ${bytes(r.nbytes)}`}`;
    rect.append(title);
    svg.append(rect);
  }
  const axis = document.createElementNS(SVG, "text");
  axis.setAttribute("x", String(left));
  axis.setAttribute("y", String(workers.length * row + 14));
  axis.textContent = `${span.toFixed(1)} ms shown, ${recs.length} tasks`;
  svg.append(axis);
  $("stream-plot").replaceChildren(svg);
}

let frame = 0;
function redraw(): void {
  if (frame !== 0) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    renderWorkers();
    renderRuns();
    renderStream();
  });
}

function apply(m: ServerMessage): void {
  switch (m.type) {
    case "hello": {
      const c = m.data.cluster;
      if (m.data.protocol !== PROTOCOL_VERSION) throw new Error(`the server speaks protocol ${m.data.protocol}, this page ${PROTOCOL_VERSION}: reload the page`);
      $("cluster").textContent = `${c.kind} · pid ${c.pid} · ${c.workers} workers · limit ${bytes(c.memoryLimit)} · scheduler ${c.scheduler}`;
      return;
    }
    case "workers":
      state.workers = m.data.workers;
      state.store = m.data.store;
      break;
    case "graph":
      state.runs = new Map(m.data.runs.map((r) => [r.runId, r]));
      break;
    case "graph-delta":
      for (const id of m.data.removed) state.runs.delete(id);
      for (const r of m.data.added) state.runs.set(r.runId, r);
      for (const u of m.data.updated) {
        const r = state.runs.get(u.runId);
        if (r === undefined) continue;
        r.status = u.status;
        if (u.end !== undefined) r.end = u.end;
        if (u.error !== undefined) r.error = u.error;
        for (const n of u.nodes) {
          const node = r.nodes.find((x) => x.name === n.name);
          if (node !== undefined) node.counts = n.counts;
        }
      }
      break;
    case "task-stream":
      if (m.data.snapshot) state.records = [];
      for (const r of m.data.records) if (r.seq > state.lastSeq || m.data.snapshot) state.records.push(r);
      if (m.data.records.length > 0) state.lastSeq = m.data.records[m.data.records.length - 1]!.seq;
      if (state.records.length > MAX_RECORDS) state.records.splice(0, state.records.length - MAX_RECORDS);
      break;
    case "error":
      console.warn(`dashboard: ${m.data.code}: ${m.data.message}`);
      return;
    default:
      return;
  }
  redraw();
}

let retry = 500;
function connect(): void {
  const token = new URLSearchParams(location.search).get("token") ?? "";
  const conn = $("conn");
  if (token === "") {
    conn.dataset.state = "closed";
    conn.textContent = "no token: open the link the cluster printed (…/?token=…)";
    return;
  }
  const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws?token=${encodeURIComponent(token)}`);
  ws.onopen = () => {
    retry = 500;
    conn.dataset.state = "open";
    conn.textContent = "live";
    ws.send(encodeClient("subscribe", { streams: ["workers", "graph", "task-stream"] }));
  };
  ws.onmessage = (ev: MessageEvent) => {
    const parsed = parseServerMessage(ev.data);
    if (!parsed.ok) {
      console.error(`dashboard: ignored a bad message: ${parsed.reason}`);
      return;
    }
    apply(parsed.message);
  };
  ws.onclose = () => {
    conn.dataset.state = "closed";
    conn.textContent = `disconnected; retrying in ${Math.round(retry / 1000)} s`;
    setTimeout(connect, retry);
    retry = Math.min(retry * 2, 10_000);
  };
}

connect();
