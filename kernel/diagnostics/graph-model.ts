/**
 * The task graph as the dashboard sees it: recent runs, each a graph of
 * nodes (layers, or groups of layers) with per-node state counts, and the
 * state of every task of those runs.
 *
 * State and invariants:
 *   - runs: the last `maxRuns` runs (fewer when they hold more than
 *     `maxTrackedTasks` tasks), oldest first; a running run is never forgotten.
 *   - a run numbers its tasks (nodes.ts) and keeps per-task state, worker,
 *     timings and bytes in typed arrays; transitions with a runId update
 *     that run, store-driven ones (spill, unspill, release: no runId) the
 *     newest run that has the key.
 *   - node.counts[s] = number of the node's tasks in state s, always;
 *     node.dirty is set iff the node changed since the last `takeDelta()`.
 *   - only nodes some client expanded (`watch`) collect changed tasks.
 */
import type { EngineEvents, TaskTransition } from "../events";
import { ErrorInfo, RunGraph, RunUpdate, TASK_STATES, TaskChange, TaskInfo, TaskState } from "../protocol";
import type { ChunkLocation } from "../store/store";
import type { Limits } from "./limits";
import { NodeRec, RunLayout, directDeps, layoutRun } from "./nodes";

const CODE: Record<TaskState, number> = { waiting: 0, processing: 1, memory: 2, spilled: 3, erred: 4, released: 5 };
const WAITING = 0, PROCESSING = 1, ERRED = 4, RELEASED = 5;

export interface RunRec extends RunLayout {
  readonly runId: string;
  readonly scheduler: string;
  status: RunGraph["status"];
  readonly start: number;
  end?: number;
  error?: ErrorInfo;
  /** Tasks the scheduler ran (fused ones not counted). */
  readonly ntasks: number;
  readonly graph: EngineEvents["run-start"]["graph"];
  readonly state: Uint8Array;
  /** Index into the model's worker names, -1 for none. */
  readonly worker: Int32Array;
  /** NaN when unknown. */
  readonly begin: Float64Array;
  readonly finish: Float64Array;
  readonly nbytes: Float64Array;
  readonly errors: Map<number, ErrorInfo>;
  readonly dirtyNodes: NodeRec[];
}

export type ExpandResult =
  | { ok: true; page: { runId: string; node: string; offset: number; total: number; tasks: TaskInfo[] } }
  | { ok: false; code: "unknown-run" | "unknown-node"; message: string };

export class GraphModel {
  readonly runs = new Map<string, RunRec>();
  private tracked = 0;
  /** The runs oldest first, as an array (store transitions look keys up newest first). */
  private ordered: RunRec[] | undefined;
  private readonly workerNames: string[] = [];
  private readonly workerIndex = new Map<string, number>();
  private readonly added = new Set<RunRec>();
  private readonly updated = new Set<RunRec>();
  private removed: string[] = [];
  private readonly watched = new Map<NodeRec, { run: RunRec; users: number; changed: Set<number> }>();

  constructor(
    private readonly limits: Limits,
    private readonly where: (key: string) => ChunkLocation | undefined,
  ) {}

  /** Anything to send since the last delta. */
  get dirty(): boolean {
    return this.added.size > 0 || this.updated.size > 0 || this.removed.length > 0;
  }

  onRunStart(e: EngineEvents["run-start"]): void {
    const layout = layoutRun(e.layers, e.graph, this.limits);
    const n = layout.size;
    const run: RunRec = {
      ...layout, runId: e.runId, scheduler: e.scheduler, status: "running", start: e.t, ntasks: e.ntasks, graph: e.graph,
      state: new Uint8Array(n), worker: new Int32Array(n).fill(-1), begin: new Float64Array(n).fill(NaN),
      finish: new Float64Array(n).fill(NaN), nbytes: new Float64Array(n).fill(NaN), errors: new Map(), dirtyNodes: [],
    };
    for (let i = 0; i < n; i++) {
      // Keys already stored at the start stand for themselves (the loop sends no transition for them).
      const loc = layout.carrier[i]! < 0 ? this.where(layout.keyAt(i)) : undefined;
      if (loc !== undefined) {
        run.state[i] = CODE[loc.state];
        run.nbytes[i] = loc.nbytes;
        if (loc.worker !== undefined) run.worker[i] = this.workerId(loc.worker);
      }
      layout.nodeList[layout.node[i]!]!.counts[TASK_STATES[run.state[i]!]!]++;
    }
    this.tracked += n;
    this.runs.set(run.runId, run);
    this.ordered = undefined;
    this.added.add(run);
    this.forget();
  }

  onTransitions(e: EngineEvents["tasks"]): void {
    const byRun = e.runId === undefined ? undefined : this.runs.get(e.runId);
    if (e.runId !== undefined && byRun === undefined) return; // a run already forgotten
    for (const tr of e.transitions) {
      let run = byRun;
      let i = run === undefined ? undefined : at(run, tr.key, tr.index);
      if (run === undefined) [run, i] = this.newest(tr.key);
      if (run === undefined || i === undefined) continue;
      this.apply(run, i, tr);
      const fused = run.inline.size === 0 ? undefined : run.inline.get(i);
      if (fused !== undefined) {
        // Fused tasks follow their carrier: they run with it, and their results are never stored.
        const code = tr.state === "memory" ? RELEASED : tr.state === "processing" ? PROCESSING : tr.state === "erred" ? ERRED : -1;
        if (code >= 0) for (const j of fused) this.set(run, j, code);
      }
    }
  }

  onBatchStart(e: EngineEvents["batch-start"]): void {
    const run = this.runs.get(e.runId);
    if (run === undefined) return;
    const w = this.workerId(e.worker);
    for (let n = 0; n < e.keys.length; n++) {
      const i = at(run, e.keys[n]!, e.indices?.[n]);
      if (i === undefined) continue;
      run.worker[i] = w;
      this.touch(run, i);
    }
  }

  onRunEnd(e: EngineEvents["run-end"]): void {
    const run = this.runs.get(e.runId);
    if (run === undefined) return;
    run.status = e.status;
    run.end = e.t;
    if (e.error !== undefined) run.error = errorInfo(e.error);
    // Tasks still processing when a run fails never finished: back to waiting, as never run.
    if (e.status !== "done") for (let i = 0; i < run.state.length; i++) if (run.state[i] === PROCESSING) this.set(run, i, WAITING);
    this.updated.add(run);
    this.forget();
  }

  snapshot(): RunGraph[] {
    return [...this.runs.values()].map(runGraph);
  }

  /** What changed since the last call, or undefined. */
  takeDelta(): { added: RunGraph[]; updated: RunUpdate[]; removed: string[] } | undefined {
    if (!this.dirty) return undefined;
    const added = [...this.added].map(runGraph);
    const updated: RunUpdate[] = [];
    for (const run of this.updated) {
      if (this.added.has(run)) continue;
      const u: RunUpdate = { runId: run.runId, status: run.status, nodes: run.dirtyNodes.map((r) => ({ name: r.name, counts: { ...r.counts } })) };
      if (run.end !== undefined) u.end = run.end;
      if (run.error !== undefined) u.error = run.error;
      updated.push(u);
    }
    for (const run of [...this.added, ...this.updated]) {
      for (const r of run.dirtyNodes) r.dirty = false;
      run.dirtyNodes.length = 0;
    }
    const delta = { added, updated, removed: this.removed };
    this.added.clear();
    this.updated.clear();
    this.removed = [];
    return delta;
  }

  /** One page of a node's tasks. */
  expand(runId: string, nodeName: string, offset: number, limit: number): ExpandResult {
    const run = this.runs.get(runId);
    if (run === undefined) {
      const known = [...this.runs.keys()];
      return { ok: false, code: "unknown-run", message: `expand: no run "${runId}" (it finished long ago and was forgotten, or never existed); runs kept now: ${known.join(", ") || "none"}` };
    }
    const node = run.nodes.get(nodeName);
    if (node === undefined) {
      const names = [...run.nodes.keys()];
      const shown = names.slice(0, 10).map((n) => `"${n}"`).join(", ");
      return { ok: false, code: "unknown-node", message: `expand: run ${runId} has no node "${nodeName}"; use a name from its graph message (${shown}${names.length > 10 ? `, … ${names.length - 10} more` : ""})` };
    }
    const tasks = node.tasks.slice(offset, offset + limit).map((i) => this.info(run, i));
    return { ok: true, page: { runId, node: nodeName, offset, total: node.tasks.length, tasks } };
  }

  /** From now on, collect the changes of a node's tasks (for `takeTaskChanges`), until `unwatch`. */
  watch(runId: string, nodeName: string): void {
    const run = this.runs.get(runId);
    const node = run?.nodes.get(nodeName);
    if (node === undefined) return;
    const w = this.watched.get(node);
    if (w === undefined) this.watched.set(node, { run: run!, users: 1, changed: new Set() });
    else w.users++;
  }

  unwatch(runId: string, nodeName: string): void {
    const node = this.runs.get(runId)?.nodes.get(nodeName);
    const w = node === undefined ? undefined : this.watched.get(node);
    if (w !== undefined && --w.users <= 0) this.watched.delete(node!);
  }

  /** Changes of watched nodes' tasks since the last call. */
  takeTaskChanges(): { runId: string; node: string; tasks: TaskChange[] }[] {
    const out: { runId: string; node: string; tasks: TaskChange[] }[] = [];
    for (const [node, w] of this.watched) {
      if (w.changed.size === 0) continue;
      const tasks = [...w.changed].map((i) => this.change(w.run, i));
      w.changed.clear();
      out.push({ runId: w.run.runId, node: node.name, tasks });
    }
    return out;
  }

  /** Tasks by state over the kept runs, each key once (in its newest run). */
  stateTotals(): Record<TaskState, number> {
    const t: Record<TaskState, number> = { waiting: 0, processing: 0, memory: 0, spilled: 0, erred: 0, released: 0 };
    const runs = [...this.runs.values()].reverse();
    runs.forEach((run, r) => {
      for (let i = 0; i < run.size; i++) {
        const k = run.keyAt(i);
        if (r > 0 && runs.slice(0, r).some((newer) => newer.indexOf(k) !== undefined)) continue;
        t[TASK_STATES[run.state[i]!]!]++;
      }
    });
    return t;
  }

  /** The state of a key in the newest run that has it. */
  stateOf(key: string): TaskState | undefined {
    const [run, i] = this.newest(key);
    return run === undefined ? undefined : TASK_STATES[run.state[i!]!];
  }

  private newest(key: string): [RunRec | undefined, number | undefined] {
    const runs = (this.ordered ??= [...this.runs.values()]);
    for (let r = runs.length - 1; r >= 0; r--) {
      const i = runs[r]!.indexOf(key);
      if (i !== undefined) return [runs[r], i];
    }
    return [undefined, undefined];
  }

  private apply(run: RunRec, i: number, tr: TaskTransition): void {
    if (tr.worker !== undefined && tr.worker !== "?") run.worker[i] = this.workerId(tr.worker);
    if (tr.start !== undefined) run.begin[i] = tr.start;
    if (tr.stop !== undefined) run.finish[i] = tr.stop;
    if (tr.nbytes !== undefined) run.nbytes[i] = tr.nbytes;
    if (tr.error !== undefined) run.errors.set(i, errorInfo(tr.error));
    // A run's own "released" can come after the store's: same state, no double count.
    this.set(run, i, CODE[tr.state]);
  }

  private set(run: RunRec, i: number, code: number): void {
    const old = run.state[i]!;
    if (old !== code) {
      const node = run.nodeList[run.node[i]!]!;
      node.counts[TASK_STATES[old]!]--;
      node.counts[TASK_STATES[code]!]++;
      run.state[i] = code;
      if (!node.dirty) {
        node.dirty = true;
        run.dirtyNodes.push(node);
        this.updated.add(run);
      }
    }
    this.touch(run, i);
  }

  private touch(run: RunRec, i: number): void {
    if (this.watched.size === 0) return;
    const w = this.watched.get(run.nodeList[run.node[i]!]!);
    if (w !== undefined && w.run === run) w.changed.add(i);
  }

  private workerId(name: string): number {
    let w = this.workerIndex.get(name);
    if (w === undefined) this.workerIndex.set(name, (w = this.workerNames.push(name) - 1));
    return w;
  }

  private change(run: RunRec, i: number): TaskChange {
    const c: TaskChange = { key: run.keyAt(i), state: TASK_STATES[run.state[i]!]! };
    if (run.worker[i]! >= 0) c.worker = this.workerNames[run.worker[i]!]!;
    if (!Number.isNaN(run.begin[i])) c.start = run.begin[i]!;
    if (!Number.isNaN(run.finish[i])) c.stop = run.finish[i]!;
    if (!Number.isNaN(run.nbytes[i])) c.nbytes = run.nbytes[i]!;
    const err = run.errors.get(i);
    if (err !== undefined) c.error = err;
    return c;
  }

  private info(run: RunRec, i: number): TaskInfo {
    const carrier = run.carrier[i]!;
    const task = carrier >= 0 ? run.inlineTask.get(i) : run.graph.get(run.keyAt(i));
    const info: TaskInfo = { ...this.change(run, i), dependencies: task === undefined ? [] : directDeps(task) };
    if (carrier >= 0) info.fusedInto = run.keyAt(carrier);
    return info;
  }

  /** Forgets the oldest finished runs beyond the limits. */
  private forget(): void {
    for (const run of [...this.runs.values()]) {
      if (this.runs.size <= 1 || (this.runs.size <= this.limits.maxRuns && this.tracked <= this.limits.maxTrackedTasks)) return;
      if (run.status === "running") continue;
      this.runs.delete(run.runId);
      this.ordered = undefined;
      this.tracked -= run.size;
      for (const r of run.nodeList) this.watched.delete(r);
      if (!this.added.delete(run)) this.removed.push(run.runId);
      this.updated.delete(run);
    }
  }
}

/** A key's number in a run: the scheduler's own index when it sent one (checked), else a lookup. */
function at(run: RunRec, key: string, index: number | undefined): number | undefined {
  return index !== undefined && index < run.size && run.keyAt(index) === key ? index : run.indexOf(key);
}

function runGraph(run: RunRec): RunGraph {
  const g: RunGraph = {
    runId: run.runId, scheduler: run.scheduler, status: run.status, start: run.start, ntasks: run.ntasks,
    grouped: run.grouped, edgesTruncated: run.edgesTruncated,
    nodes: run.nodeList.map((r) => {
      const out: RunGraph["nodes"][number] = { name: r.name, op: r.op, layers: r.layers, ntasks: r.tasks.length, dependencies: r.dependencies, counts: { ...r.counts } };
      if (r.collection !== undefined) out.collection = r.collection;
      if (r.chunks !== undefined) out.chunks = r.chunks;
      if (r.npartitions !== undefined) out.npartitions = r.npartitions;
      return out;
    }),
  };
  if (run.end !== undefined) g.end = run.end;
  if (run.error !== undefined) g.error = run.error;
  return g;
}

const MAX_STACK = 8000;

/** An engine error as the protocol carries it (stacks cut to a readable length). */
export function errorInfo(e: { name: string; message: string; code?: string; stack?: string }): ErrorInfo {
  const out: ErrorInfo = { name: String(e.name).slice(0, 200), message: String(e.message).slice(0, 16000) };
  if (typeof e.code === "string") out.code = e.code.slice(0, 200);
  if (typeof e.stack === "string") out.stack = e.stack.slice(0, MAX_STACK);
  return out;
}
