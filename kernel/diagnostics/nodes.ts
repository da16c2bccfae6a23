/**
 * How a run's tasks are drawn: as nodes of a layer graph. Normally one node
 * per layer; a run with more layers (or edges) than a client can draw —
 * 100,000 delayed calls are 100,000 one-task layers — gets one node per
 * operation instead (`group:inc`), as Dask's task groups. Layers with no
 * task in the run (culled, or already stored) are left out.
 *
 * Fused tasks count in their own layer's node: a task run inline inside
 * another (optimize/fuse.ts) is listed under its own key, `fusedInto` its
 * carrier, so a layer fused away entirely still shows its progress.
 *
 * A run's tasks are numbered: scheduled keys as the graph's own index
 * numbers them (graph/graph.ts indexGraph, which the scheduler built
 * already), then fused keys. Their state lives in typed arrays
 * (graph-model.ts): a 100,000-task run costs a few megabytes and no object
 * or map entry per task beyond the graph's own index.
 */
import type { LayerSummary } from "../events";
import { Arg, Task, TaskGraph, indexGraph, keyLabel, keyName } from "../graph";
import type { StateCounts } from "../protocol";
import type { Limits } from "./limits";

export interface NodeRec {
  readonly name: string;
  readonly op: string;
  layers: number;
  collection?: string;
  chunks?: number[][];
  npartitions?: number;
  dependencies: string[];
  /** Indices (in the run) of the node's tasks: scheduled ones and the ones fused into them. */
  readonly tasks: number[];
  readonly counts: StateCounts;
  /** Changed since the last delta. */
  dirty: boolean;
  /** Position in the run's node list. */
  id: number;
}

export interface RunLayout {
  /** Number of tasks (scheduled and fused). */
  size: number;
  keyAt(i: number): string;
  indexOf(key: string): number | undefined;
  /** Node of each task (index into `nodeList`). */
  node: Uint16Array;
  nodeList: NodeRec[];
  nodes: Map<string, NodeRec>;
  /** For a fused task, the index of its carrier; -1 for scheduled tasks. */
  carrier: Int32Array;
  /** Fused tasks of each carrier (index -> indices). */
  inline: Map<number, number[]>;
  /** Fused tasks' own tasks (for their dependencies), by index. */
  inlineTask: Map<number, Task>;
  grouped: boolean;
  edgesTruncated: boolean;
}

export function emptyCounts(): StateCounts {
  return { waiting: 0, processing: 0, memory: 0, spilled: 0, erred: 0, released: 0 };
}

/** Calls `found` for each task run inline inside `t` that carries a key (what fusion produced), each key once. */
function eachInline(t: Task, found: (key: string, task: Task) => void): void {
  let seen: Set<string> | undefined;
  for (const a of t.args) if (!("lit" in a) && !("ref" in a)) visitInline(a, found, (seen ??= new Set()));
}

function visitInline(a: Arg, found: (key: string, task: Task) => void, seen: Set<string>): void {
  if ("task" in a) {
    // A key read twice by its carrier is inlined twice (optimize/fuse.ts): it is still one task.
    if (a.key !== undefined && !seen.has(a.key)) {
      seen.add(a.key);
      found(a.key, a.task);
    }
    for (const x of a.task.args) visitInline(x, found, seen);
  } else if ("list" in a) for (const x of a.list) visitInline(x, found, seen);
  else if ("dict" in a) for (const k in a.dict) visitInline(a.dict[k]!, found, seen);
}

/** The keys a task reads directly: references, and fused tasks by their own key. */
export function directDeps(t: Task): string[] {
  const out = new Set<string>();
  const visit = (a: Arg): void => {
    if ("ref" in a) out.add(a.ref);
    else if ("task" in a) {
      if (a.key !== undefined) out.add(a.key);
      else for (const x of a.task.args) visit(x);
    } else if ("list" in a) for (const x of a.list) visit(x);
    else if ("dict" in a) for (const k in a.dict) visit(a.dict[k]!);
  };
  for (const a of t.args) visit(a);
  return [...out];
}

/** Whether key `k` belongs to layer `name`, without slicing (keys of one layer come in runs). */
function hasName(k: string, name: string): boolean {
  if (k.charCodeAt(0) !== 91) return k === name; // not "[": a string key is its own name
  return k.charCodeAt(1) === 34 && k.startsWith(name, 2) && k.charCodeAt(2 + name.length) === 34;
}

/** Numbers a run's tasks and assigns each to a node. */
export function layoutRun(layers: readonly LayerSummary[], graph: TaskGraph, limits: Limits): RunLayout {
  const byName = new Map<string, LayerSummary>();
  for (const l of layers) byName.set(l.name, l);
  const ix = indexGraph(graph);
  const top = ix.keys.length;
  const fusedKeys: string[] = [];
  const fusedIndex = new Map<string, number>();
  const layerOf: (LayerSummary | undefined)[] = new Array(top);
  const carrierList: number[] = [];
  const inline = new Map<number, number[]>();
  const inlineTask = new Map<number, Task>();
  let last: LayerSummary | undefined;
  const layerFor = (k: string): LayerSummary | undefined => {
    if (last === undefined || !hasName(k, last.name)) last = byName.get(keyName(k));
    return last;
  };
  for (let i = 0; i < top; i++) {
    const k = ix.keys[i]!;
    layerOf[i] = layerFor(k);
    eachInline(graph.get(k)!, (fk, ft) => {
      const j = top + fusedKeys.length;
      fusedKeys.push(fk);
      fusedIndex.set(fk, j);
      layerOf.push(layerFor(fk));
      carrierList.push(i);
      inlineTask.set(j, ft);
      let list = inline.get(i);
      if (list === undefined) inline.set(i, (list = []));
      list.push(j);
    });
  }
  const n = top + fusedKeys.length;
  const keyAt = (i: number): string => (i < top ? ix.keys[i]! : fusedKeys[i - top]!);
  const indexOf = (k: string): number | undefined => ix.index.get(k) ?? fusedIndex.get(k);
  const carrier = new Int32Array(n).fill(-1);
  carrier.set(carrierList, top);

  const used = new Set<LayerSummary>();
  for (const l of layerOf) if (l !== undefined) used.add(l);
  let edges = 0;
  for (const l of used) edges += l.dependencies.length;
  const grouped = used.size > limits.maxNodesPerRun || edges > limits.maxEdgesPerRun;

  const nodes = new Map<string, NodeRec>();
  const node = (name: string, op: string): NodeRec => {
    let r = nodes.get(name);
    if (r === undefined) nodes.set(name, (r = { name, op, layers: 0, dependencies: [], tasks: [], counts: emptyCounts(), dirty: false, id: 0 }));
    return r;
  };
  const layerNode = new Map<LayerSummary, NodeRec>();
  // Nodes in the layers' order (the collection's own, outputs first), then groups of unclaimed keys.
  for (const l of layers) {
    if (!used.has(l)) continue;
    const r = grouped ? node(`group:${l.op}`, l.op) : node(l.name, l.op);
    r.layers++;
    layerNode.set(l, r);
    if (l.meta !== undefined) describe(r, l, grouped);
  }
  const assigned: NodeRec[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const l = layerOf[i];
    const r = l !== undefined ? layerNode.get(l)! : node(`group:${keyLabel(keyAt(i))}`, keyLabel(keyAt(i)));
    r.tasks.push(i);
    assigned[i] = r;
  }
  const other = capNodes(nodes, limits.maxNodesPerRun);
  const live = (r: NodeRec): NodeRec => (nodes.get(r.name) === r ? r : other!);
  const nodeList = [...nodes.values()];
  nodeList.forEach((r, i) => (r.id = i));
  const nodeOf = new Uint16Array(n);
  for (let i = 0; i < n; i++) nodeOf[i] = live(assigned[i]!).id;

  // Edges between nodes, from the layers' dependencies, within a budget.
  let budget = limits.maxEdgesPerRun;
  let edgesTruncated = false;
  const deps = new Map<NodeRec, Set<string>>();
  for (const [l, r0] of layerNode) {
    const r = live(r0);
    let set = deps.get(r);
    if (set === undefined) deps.set(r, (set = new Set()));
    for (const d of l.dependencies) {
      const dl = byName.get(d);
      const dn = dl === undefined ? undefined : layerNode.get(dl);
      if (dn === undefined) continue;
      const name = live(dn).name;
      if (name === r.name || set.has(name)) continue;
      if (budget-- <= 0) {
        edgesTruncated = true;
        break;
      }
      set.add(name);
    }
  }
  for (const [r, set] of deps) r.dependencies = [...set];
  return { size: n, keyAt, indexOf, node: nodeOf, nodeList, nodes, carrier, inline, inlineTask, grouped, edgesTruncated };
}

/** Layer meta worth drawing: the collection kind and its chunk layout (only for a node of one layer). */
function describe(r: NodeRec, l: LayerSummary, grouped: boolean): void {
  const meta = l.meta!;
  if (typeof meta.collection === "string") r.collection = meta.collection;
  if (grouped) return;
  if (isChunks(meta.chunks)) r.chunks = meta.chunks.map((c) => [...c]);
  if (Number.isInteger(meta.npartitions) && meta.npartitions! >= 0) r.npartitions = meta.npartitions!;
}

export function isChunks(v: unknown): v is readonly (readonly number[])[] {
  return Array.isArray(v) && v.every((d) => Array.isArray(d) && d.every((c) => Number.isInteger(c) && c >= 0));
}

/** Keeps at most `max` nodes: the smallest merge into "group:other", which is returned. */
function capNodes(nodes: Map<string, NodeRec>, max: number): NodeRec | undefined {
  if (nodes.size <= max) return undefined;
  const bySize = [...nodes.values()].sort((a, b) => b.tasks.length - a.tasks.length);
  const other: NodeRec = { name: "group:other", op: "other", layers: 0, dependencies: [], tasks: [], counts: emptyCounts(), dirty: false, id: 0 };
  for (const r of bySize.slice(max - 1)) {
    nodes.delete(r.name);
    other.layers += r.layers;
    for (const i of r.tasks) other.tasks.push(i);
  }
  nodes.set(other.name, other);
  return other;
}
