/**
 * Live progress in the cell for every compute / persist it runs: one display
 * per run, created at `run-start`, updated in place (update_display_data) at
 * most every THROTTLE_MS, and set to its final state at `run-end`.
 *
 * Displays are created and finished inside the cell that runs the
 * computation: tslab routes output to whichever cell runs when it is sent,
 * so nothing may be sent for a cell after it ended. When a cell ends with a
 * run still going (started without `await`), its display is closed as
 * "still running" and the run is no longer watched.
 *
 * Messages leave on the next turn of the event loop, in order (`send`), not
 * from inside the event: a run starts while the cell's code is still being
 * evaluated, in vm's breakOnSigint window, and a client that reacts to the
 * first display with an interrupt must not hit that window (Node drops a
 * SIGINT that arrives as it closes). A cell's end flushes what is queued.
 *
 * The kernel listens to the runtime's events only while a cell runs, and
 * follows the current runtime when a cell starts a LocalCluster.
 * A cell that runs many computations (a loop) gets MAX_DISPLAYS displays;
 * later runs are summed up in one more display.
 */
import { EngineEvents, now } from "../events";
import { RunProgress } from "../diagnostics/progress";
import { Runtime, onRuntimeChange, peekRuntime } from "../schedule";
import type { MimeBundle } from "../collections/repr";

export interface ProgressOutput {
  display(bundle: MimeBundle, displayId: string): void;
  update(bundle: MimeBundle, displayId: string): void;
}

export interface ProgressOptions {
  throttleMs?: number;
  maxDisplays?: number;
}

interface Tracked {
  progress: RunProgress;
  displayId: string | undefined;
  timer: NodeJS.Timeout | undefined;
  lastSent: number;
}

let displaySeq = 0;

export class NotebookProgress {
  private readonly throttleMs: number;
  private readonly maxDisplays: number;
  private out: ProgressOutput | undefined;
  private readonly runs = new Map<string, Tracked>();
  private displays = 0;
  private overflow: { id: string; runs: number; tasks: number; ms: number } | undefined;
  private runtime: Runtime | undefined;
  private offs: (() => void)[] = [];
  private outbox: (() => void)[] = [];
  private flushing: NodeJS.Immediate | undefined;
  private readonly offChange: () => void;
  /** Turned off with `progress.enabled = false` (a cell can do it through the kernel). */
  enabled = true;

  constructor(options: ProgressOptions = {}) {
    this.throttleMs = options.throttleMs ?? 150;
    this.maxDisplays = options.maxDisplays ?? 20;
    this.offChange = onRuntimeChange((rt) => {
      if (this.out !== undefined) this.follow(rt);
    });
  }

  /** A cell starts: its output channel receives the displays of the runs it starts. */
  cellStarted(out: ProgressOutput): void {
    this.out = out;
    this.displays = 0;
    this.overflow = undefined;
    this.follow(peekRuntime());
  }

  /**
   * The cell ended: close every display it still has open, stop listening.
   * `interrupted`: its signal was aborted, so its runs are being cancelled
   * (their run-end may come a moment after the cell's end).
   */
  cellEnded(interrupted = false): void {
    this.flush();
    const t = now();
    for (const tr of this.runs.values()) {
      if (interrupted) tr.progress.cancelled(t);
      else tr.progress.detach(t);
      this.finish(tr);
    }
    this.runs.clear();
    this.follow(undefined);
    this.flush();
    this.out = undefined;
  }

  /** Queues a message for the cell's output (see the header for why not at once). */
  private send(fn: (out: ProgressOutput) => void): void {
    const out = this.out;
    if (out === undefined) return;
    this.outbox.push(() => fn(out));
    this.flushing ??= setImmediate(() => this.flush());
  }

  /** Sends what is queued now (the cell is about to show its value). */
  flush(): void {
    if (this.flushing !== undefined) clearImmediate(this.flushing);
    this.flushing = undefined;
    const queued = this.outbox;
    this.outbox = [];
    for (const f of queued) f();
  }

  close(): void {
    this.cellEnded();
    this.offChange();
  }

  private follow(rt: Runtime | undefined): void {
    if (rt === this.runtime) return;
    for (const off of this.offs) off();
    this.offs = [];
    this.runtime = rt;
    if (rt === undefined) return;
    this.offs.push(
      rt.events.on("run-start", (e) => this.onStart(e)),
      rt.events.on("tasks", (e) => this.onTasks(e)),
      rt.events.on("run-end", (e) => this.onEnd(e)),
    );
  }

  private onStart(e: EngineEvents["run-start"]): void {
    if (this.out === undefined || !this.enabled) return;
    const tr: Tracked = { progress: new RunProgress(e), displayId: undefined, timer: undefined, lastSent: now() };
    this.runs.set(e.runId, tr);
    if (this.displays < this.maxDisplays) {
      this.displays++;
      const id = (tr.displayId = `tessera-progress-${process.pid}-${++displaySeq}`);
      const b = bundle(tr.progress);
      this.send((out) => out.display(b, id));
    }
  }

  private onTasks(e: EngineEvents["tasks"]): void {
    const tr = e.runId === undefined ? undefined : this.runs.get(e.runId);
    if (tr === undefined || !tr.progress.onTasks(e.transitions) || tr.displayId === undefined || tr.timer !== undefined) return;
    const wait = Math.max(0, tr.lastSent + this.throttleMs - now());
    tr.timer = setTimeout(() => {
      tr.timer = undefined;
      if (this.runs.get(tr.progress.runId) !== tr || this.out === undefined) return;
      tr.lastSent = now();
      const b = bundle(tr.progress);
      this.send((out) => out.update(b, tr.displayId!));
    }, wait);
  }

  private onEnd(e: EngineEvents["run-end"]): void {
    const tr = this.runs.get(e.runId);
    if (tr === undefined) return;
    this.runs.delete(e.runId);
    tr.progress.onEnd(e);
    this.finish(tr);
  }

  /** Sends a run's final state (or adds it to the overflow display). */
  private finish(tr: Tracked): void {
    if (tr.timer !== undefined) clearTimeout(tr.timer);
    tr.timer = undefined;
    if (this.out === undefined) return;
    if (tr.displayId !== undefined) {
      const b = bundle(tr.progress), id = tr.displayId;
      this.send((out) => out.update(b, id));
      return;
    }
    const first = this.overflow === undefined;
    const o = (this.overflow ??= { id: `tessera-progress-${process.pid}-${++displaySeq}`, runs: 0, tasks: 0, ms: 0 });
    o.runs++;
    o.tasks += tr.progress.ntasks;
    o.ms += tr.progress.elapsedMs;
    const text = `… and ${o.runs} more run${o.runs === 1 ? "" : "s"} in this cell: ${o.tasks.toLocaleString("en-US")} tasks, ${(o.ms / 1000).toFixed(2)} s in all`;
    const b: MimeBundle = { "text/plain": text, "text/html": `<div class="tessera-progress" data-status="summary">${text}</div>` };
    this.send((out) => (first ? out.display(b, o.id) : out.update(b, o.id)));
  }
}

function bundle(p: RunProgress): MimeBundle {
  const t = now();
  return { "text/plain": p.text(t), "text/html": p.html(t) };
}
