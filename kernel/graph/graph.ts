/**
 * A task graph maps key strings to tasks. These functions are the whole
 * vocabulary the optimizer and the schedulers use on it: dependencies,
 * dependents, a topological order (with the offending cycle printed when
 * there is none), and culling to what some outputs need.
 *
 * All of them work on one dense index of the graph (keys numbered 0..n-1,
 * dependencies and dependents as index lists), built once per graph object
 * and cached: a computation's passes (fuse, order, the scheduler) share it.
 * Graphs are treated as immutable once indexed.
 */
import { Errors } from "../errors";
import { Task, taskDeps } from "./task";

export type TaskGraph = ReadonlyMap<string, Task>;

export interface GraphIndex {
  readonly keys: readonly string[];
  readonly index: ReadonlyMap<string, number>;
  /** deps[i]: indices of the keys task i reads. */
  readonly deps: readonly (readonly number[])[];
  /** dependents[i]: indices of the tasks that read key i. */
  readonly dependents: readonly (readonly number[])[];
}

const indexes = new WeakMap<TaskGraph, GraphIndex>();

/** The graph's dense index. Throws if a task refers to a key the graph lacks. */
export function indexGraph(graph: TaskGraph): GraphIndex {
  let ix = indexes.get(graph);
  if (ix !== undefined) return ix;
  const keys = [...graph.keys()];
  const n = keys.length;
  const index = new Map<string, number>();
  for (let i = 0; i < n; i++) index.set(keys[i]!, i);
  const deps = new Array<number[]>(n);
  const dependents = new Array<number[]>(n);
  for (let i = 0; i < n; i++) dependents[i] = [];
  for (let i = 0; i < n; i++) {
    const ds = taskDeps(graph.get(keys[i]!)!);
    const di = new Array<number>(ds.length);
    for (let j = 0; j < ds.length; j++) {
      const d = index.get(ds[j]!);
      if (d === undefined) throw Errors.missingDependency(keys[i]!, ds[j]!);
      di[j] = d;
      dependents[d]!.push(i);
    }
    deps[i] = di;
  }
  ix = { keys, index, deps, dependents };
  indexes.set(graph, ix);
  return ix;
}

/** Each key's dependencies. Throws if a task refers to a key the graph lacks. */
export function dependencies(graph: TaskGraph): Map<string, string[]> {
  const { keys, deps } = indexGraph(graph);
  return new Map(keys.map((k, i) => [k, deps[i]!.map((d) => keys[d]!)]));
}

/** Each key's dependents (the keys that read it), in graph order. */
export function dependents(graph: TaskGraph): Map<string, string[]> {
  const { keys, dependents: rdeps } = indexGraph(graph);
  return new Map(keys.map((k, i) => [k, rdeps[i]!.map((d) => keys[d]!)]));
}

/** Indices in an order where every task comes after its dependencies. */
export function toposortIndices(graph: TaskGraph): Int32Array {
  const { keys, deps, dependents: rdeps } = indexGraph(graph);
  const n = keys.length;
  const waiting = new Int32Array(n);
  const ready: number[] = [];
  for (let i = 0; i < n; i++) {
    waiting[i] = deps[i]!.length;
    if (waiting[i] === 0) ready.push(i);
  }
  const order = new Int32Array(n);
  let m = 0;
  while (ready.length > 0) {
    const i = ready.pop()!;
    order[m++] = i;
    for (const r of rdeps[i]!) if (--waiting[r] === 0) ready.push(r);
  }
  if (m !== n) throw Errors.cycle(findCycle(graph) ?? ["?"]);
  return order;
}

/** Keys in an order where every key comes after its dependencies. */
export function toposort(graph: TaskGraph): string[] {
  const { keys } = indexGraph(graph);
  return Array.from(toposortIndices(graph), (i) => keys[i]!);
}

/**
 * One cycle of the graph as a path that starts and ends at the same key
 * (["a", "b", "a"]), or undefined when the graph is acyclic.
 */
export function findCycle(graph: TaskGraph): string[] | undefined {
  const { keys, deps } = indexGraph(graph);
  const WHITE = 0, GREY = 1, BLACK = 2;
  const color = new Uint8Array(keys.length);
  for (let root = 0; root < keys.length; root++) {
    if (color[root] !== WHITE) continue;
    // Iterative DFS: the stack holds [index, position of the next dependency to visit].
    const stack: [number, number][] = [[root, 0]];
    color[root] = GREY;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const ds = deps[top[0]]!;
      if (top[1] < ds.length) {
        const next = ds[top[1]++]!;
        if (color[next] === GREY) {
          const path = stack.map((e) => e[0]);
          return [...path.slice(path.indexOf(next)), next].map((i) => keys[i]!);
        }
        if (color[next] === WHITE) {
          color[next] = GREY;
          stack.push([next, 0]);
        }
      } else {
        color[top[0]] = BLACK;
        stack.pop();
      }
    }
  }
  return undefined;
}

/**
 * The part of the graph that `outputs` need. Keys in `stop` are taken as
 * already computed: they are kept (so references to them resolve) but
 * their own dependencies are not followed.
 */
export function cull(graph: TaskGraph, outputs: Iterable<string>, stop?: ReadonlySet<string>): Map<string, Task> {
  const out = new Map<string, Task>();
  const stack: string[] = [];
  for (const k of outputs) {
    if (!graph.has(k)) throw Errors.unknownKey(k);
    stack.push(k);
  }
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (out.has(k)) continue;
    const t = graph.get(k)!;
    out.set(k, t);
    if (stop?.has(k)) continue;
    for (const d of taskDeps(t)) {
      if (!graph.has(d)) throw Errors.missingDependency(k, d);
      if (!out.has(d)) stack.push(d);
    }
  }
  return out;
}
