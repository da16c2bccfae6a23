/**
 * The progress of one run, per layer, as Dask's progress bars: built from the
 * engine's events (`run-start`, `tasks`, `run-end`) and drawn as HTML (a bar
 * per layer) or as text (for clients without HTML, and for terminals).
 *
 * State: per layer, how many of its tasks in this run have finished or
 * failed; the run's status. A task counts once, on its first transition to
 * "memory" or "erred"; later transitions of the same key (released, spilled)
 * change nothing. Layers with no task in the run (fused away, or already
 * stored) are not shown. Rows group layers by operation, as Dask groups
 * keys by prefix: eight `delayed(load)` calls are eight layers, one row.
 */
import type { EngineEvents, TaskTransition } from "../events";
import { keyName } from "../graph";
import { escapeHtml } from "../collections/repr";
import { formatBytes } from "../store/bytes";

export type RunStatus = "running" | "done" | "erred" | "cancelled" | "detached";

export interface LayerProgress {
  name: string;
  op: string;
  total: number;
  done: number;
  erred: number;
}

const BAR_WIDTH = 30;

export class RunProgress {
  readonly runId: string;
  readonly ntasks: number;
  readonly startedAt: number;
  readonly layers: LayerProgress[];
  status: RunStatus = "running";
  elapsedMs = 0;
  spilledBytes = 0;
  /** The first failed task, when the run erred. */
  failedKey: string | undefined;
  failedMessage: string | undefined;
  private readonly byName = new Map<string, LayerProgress>();
  private readonly seen = new Set<string>();

  constructor(start: EngineEvents["run-start"]) {
    this.runId = start.runId;
    this.ntasks = start.ntasks;
    this.startedAt = start.t;
    this.layers = start.layers.filter((l) => l.ntasks > 0).map((l) => ({ name: l.name, op: l.op, total: l.ntasks, done: 0, erred: 0 }));
    for (const l of this.layers) this.byName.set(l.name, l);
  }

  /** Counts finished and failed tasks; returns whether anything changed. */
  onTasks(transitions: readonly TaskTransition[]): boolean {
    let changed = false;
    for (const t of transitions) {
      if ((t.state !== "memory" && t.state !== "erred") || this.seen.has(t.key)) continue;
      const layer = this.byName.get(keyName(t.key));
      if (layer === undefined) continue;
      this.seen.add(t.key);
      changed = true;
      if (t.state === "memory") layer.done++;
      else {
        layer.erred++;
        if (this.failedKey === undefined) {
          this.failedKey = t.key;
          if (t.error !== undefined) this.failedMessage = `${t.error.name}: ${t.error.message}`;
        }
      }
    }
    return changed;
  }

  onEnd(end: EngineEvents["run-end"]): void {
    this.status = end.status;
    this.elapsedMs = end.elapsedMs;
    this.spilledBytes = end.spilledBytes;
  }

  /** The run goes on but is no longer watched (its cell ended without awaiting it). */
  detach(now: number): void {
    if (this.status !== "running") return;
    this.status = "detached";
    this.elapsedMs = now - this.startedAt;
  }

  /** The run was cancelled and its end is not reported yet (an interrupted notebook cell). */
  cancelled(now: number): void {
    if (this.status !== "running") return;
    this.status = "cancelled";
    this.elapsedMs = now - this.startedAt;
  }

  get done(): number {
    return this.layers.reduce((n, l) => n + l.done, 0);
  }

  /** One line: what ran, how long, how much spilled (or how far it got). */
  summary(now: number = this.startedAt + this.elapsedMs): string {
    const nl = this.layers.length;
    const what = `${count(this.ntasks, "task")} in ${count(nl, "layer")}`;
    const secs = seconds(this.status === "running" ? now - this.startedAt : this.elapsedMs);
    const spilled = this.spilledBytes > 0 ? `, spilled ${formatBytes(this.spilledBytes)} to disk` : ", nothing spilled";
    switch (this.status) {
      case "running":
        return `Running ${what}: ${this.done} done (${secs})`;
      case "done":
        return `Computed ${what} in ${secs}${spilled}`;
      case "cancelled":
        return `Cancelled after ${secs}: ${this.done} of ${count(this.ntasks, "task")} done`;
      case "erred":
        return `Failed after ${secs}: task ${this.failedKey ?? "?"} raised${this.failedMessage ? ` ${this.failedMessage}` : ""} (${this.done} of ${count(this.ntasks, "task")} done)`;
      case "detached":
        return `Still running after ${secs} (not awaited in its cell): ${this.done} of ${count(this.ntasks, "task")} done`;
    }
  }

  /** Rows of the display: layers summed by operation, in order of first appearance. */
  rows(): LayerProgress[] {
    const byOp = new Map<string, LayerProgress>();
    for (const l of this.layers) {
      const row = byOp.get(l.op);
      if (row === undefined) byOp.set(l.op, { ...l, name: l.op });
      else {
        row.total += l.total;
        row.done += l.done;
        row.erred += l.erred;
      }
    }
    return [...byOp.values()];
  }

  /** Text bars, one line per operation, under the summary. */
  text(now?: number): string {
    const rows = this.rows();
    const width = Math.max(4, ...rows.map((l) => l.op.length));
    const lines = [this.summary(now)];
    for (const l of rows) {
      const filled = l.total === 0 ? BAR_WIDTH : Math.round((BAR_WIDTH * (l.done + l.erred)) / l.total);
      const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
      lines.push(`  ${l.op.padEnd(width)} [${bar}] ${l.done}/${l.total}${l.erred > 0 ? ` (${l.erred} failed)` : ""}`);
    }
    return lines.join("\n");
  }

  /** An HTML table: the summary, then a bar per operation (green done, red failed). */
  html(now?: number): string {
    const colour = { running: "#1f77b4", done: "#2ca02c", erred: "#d62728", cancelled: "#ff7f0e", detached: "#7f7f7f" }[this.status];
    const rows = this.rows().map((l) => {
      const pct = (n: number) => (l.total === 0 ? 0 : Math.round((1000 * n) / l.total) / 10);
      const bar =
        `<div style="width:240px;height:12px;background:#eee;border-radius:3px;overflow:hidden;display:flex">` +
        `<div style="width:${pct(l.done)}%;background:${colour}"></div><div style="width:${pct(l.erred)}%;background:#d62728"></div></div>`;
      return `<tr><td style="text-align:left;padding-right:8px">${escapeHtml(l.op)}</td><td>${bar}</td><td style="text-align:right;padding-left:8px">${l.done}/${l.total}</td></tr>`;
    });
    return (
      `<div class="tessera-progress" data-status="${this.status}">` +
      `<div style="color:${colour};font-weight:bold">${escapeHtml(this.summary(now))}</div>` +
      `<table style="border-collapse:collapse">${rows.join("")}</table></div>`
    );
  }
}

function count(n: number, noun: string): string {
  return `${n.toLocaleString("en-US")} ${noun}${n === 1 ? "" : "s"}`;
}

function seconds(ms: number): string {
  return ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : `${(ms / 1000).toFixed(2)} s`;
}
