/**
 * compute, persist and visualize: the free functions over any collections.
 *
 * Several collections computed together share one graph and one run, so
 * work they have in common is done once:
 *   const [m, s] = await compute(x.mean(), x.std())
 */
import { Errors, preview } from "../errors";
import { Key, LayeredGraph, MaterializedLayer, Task, builtin, keyLabel, keyName, keyStr, task, taskDeps } from "../graph";
import { Runtime, currentRuntime } from "../schedule";
import { defaultSignal } from "./signal";
import type { Collection } from "./base";
import { GraphView, LayerView } from "./graph-view";

export { GraphView };

export interface ComputeOptions {
  /** "threads" (default) or "sync" (this thread, real closures, for debugging). */
  scheduler?: "threads" | "sync" | string;
  /** A cluster to run on instead of the current one. */
  cluster?: { readonly runtime: Runtime };
  /** Cancels the computation: it stops within a second and frees its workers and chunks. */
  signal?: AbortSignal;
  /** Fuse linear chains of tasks (default true). */
  optimize?: boolean;
}

type ResultOf<C> = C extends Collection<infer R> ? R : never;
export type ResultsOf<T extends readonly unknown[]> = { -readonly [K in keyof T]: ResultOf<T[K]> };

function isCollectionLike(v: unknown): v is Collection<unknown> {
  const c = v as Collection<unknown> | null;
  return c !== null && typeof c === "object" && typeof c.graph === "function" && typeof c.keys === "function" && typeof c.finalize === "function";
}

function splitArgs(args: readonly unknown[]): [Collection<unknown>[], ComputeOptions] {
  if (args.length > 0 && Array.isArray(args[0])) {
    const opts = args[1];
    if (args.length > 2 || (opts !== undefined && (typeof opts !== "object" || opts === null))) {
      throw Errors.badOption("compute(collections, options)", args, "an array of collections and an optional options object");
    }
    return [args[0] as Collection<unknown>[], (opts ?? {}) as ComputeOptions];
  }
  const last = args[args.length - 1];
  if (args.length > 0 && !isCollectionLike(last) && typeof last === "object" && last !== null) {
    return [args.slice(0, -1) as Collection<unknown>[], last as ComputeOptions];
  }
  return [args as Collection<unknown>[], {}];
}

function checkCollections(cs: readonly unknown[], fn: string): asserts cs is Collection<unknown>[] {
  cs.forEach((c, i) => {
    if (!isCollectionLike(c)) {
      throw Errors.badOption(`${fn}() argument ${i + 1}`, c, "a Tessera collection (Array, DataFrame, Bag, Delayed)");
    }
  });
}

function runtimeFor(options: ComputeOptions): Runtime {
  if (options.cluster !== undefined) return options.cluster.runtime;
  return currentRuntime();
}

const OPTION_NAMES = new Set(["scheduler", "cluster", "signal", "optimize"]);
function checkOptions(options: ComputeOptions): void {
  for (const k of Object.keys(options)) {
    if (!OPTION_NAMES.has(k)) throw Errors.badOption(`compute option "${k}"`, (options as Record<string, unknown>)[k], `one of ${[...OPTION_NAMES].join(", ")}`);
  }
}

/**
 * Computes collections in one run and resolves with their results, in order.
 * @example const [total, mean] = await compute(x.sum(), x.mean())
 * @example await compute([d1, d2], { scheduler: "sync" })
 */
export function compute<T extends readonly Collection<unknown>[]>(collections: readonly [...T], options?: ComputeOptions): Promise<ResultsOf<T>>;
export function compute<T extends readonly Collection<unknown>[]>(...collections: T): Promise<ResultsOf<T>>;
export function compute<T extends readonly Collection<unknown>[]>(...args: [...T, ComputeOptions]): Promise<ResultsOf<T>>;
export async function compute(...args: unknown[]): Promise<unknown[]> {
  const [colls, options] = splitArgs(args);
  checkCollections(colls, "compute");
  checkOptions(options);
  if (colls.length === 0) return [];
  const rt = runtimeFor(options);
  announce(rt, "compute", colls);
  const keyLists = colls.map((c) => c.keys().map(keyStr));
  const graph = LayeredGraph.merge(...colls.map((c) => c.graph()));
  const runOpts: Parameters<Runtime["run"]>[2] = { signal: options.signal ?? defaultSignal() };
  if (options.scheduler !== undefined) runOpts.scheduler = options.scheduler;
  if (options.optimize !== undefined) runOpts.optimize = options.optimize;
  const { values } = await rt.run(graph, keyLists.flat(), runOpts);
  return colls.map((c, i) => c.finalize(keyLists[i]!.map((k) => values.get(k))));
}

/** Tells the runtime's listeners (the dashboard's collection registry) what is about to be computed. */
function announce(rt: Runtime, action: "compute" | "persist", colls: readonly Collection<unknown>[]): void {
  if (rt.events.listening("collections")) rt.events.emit("collections", { action, collections: colls });
}

const unpinOnCollect = new FinalizationRegistry<{ runtime: Runtime; keys: string[] }>(({ runtime, keys }) => {
  if (!runtime.isClosed) for (const k of keys) runtime.store.unpin(k);
});

/**
 * Computes the collections' chunks into the cluster's memory and resolves
 * with the same collections reading from there. The chunks stay until the
 * returned collections are garbage collected or the cluster closes.
 * @example const [a, b] = await persist(x.add(1), y)
 */
export function persist<T extends readonly Collection<unknown>[]>(collections: readonly [...T], options?: ComputeOptions): Promise<T>;
export function persist<T extends readonly Collection<unknown>[]>(...collections: T): Promise<T>;
export function persist<T extends readonly Collection<unknown>[]>(...args: [...T, ComputeOptions]): Promise<T>;
export async function persist(...args: unknown[]): Promise<unknown[]> {
  const [colls, options] = splitArgs(args);
  checkCollections(colls, "persist");
  checkOptions(options);
  if (colls.length === 0) return [];
  const rt = runtimeFor(options);
  announce(rt, "persist", colls);
  const keyLists = colls.map((c) => c.keys().map(keyStr));
  const graph = LayeredGraph.merge(...colls.map((c) => c.graph()));
  const runOpts: Parameters<Runtime["run"]>[2] = { signal: options.signal ?? defaultSignal(), persist: true };
  if (options.scheduler !== undefined) runOpts.scheduler = options.scheduler;
  await rt.run(graph, keyLists.flat(), runOpts);
  // The run pinned every output once: that pin now belongs to the returned collection.
  return colls.map((c, i) => {
    const keys = keyLists[i]!;
    const persisted = c.withGraph(storedGraph(c.graph(), keys));
    unpinOnCollect.register(persisted, { runtime: rt, keys });
    return persisted;
  });
}

/** A graph whose only tasks say "this chunk is in the store", one layer per output layer. */
function storedGraph(original: LayeredGraph, keys: string[]): LayeredGraph {
  const byLayer = new Map<string, Map<string, Task>>();
  for (const k of keys) {
    const name = keyName(k);
    let m = byLayer.get(name);
    if (m === undefined) byLayer.set(name, (m = new Map()));
    m.set(k, task(builtin("tessera.stored"), [k]));
  }
  const layers = [...byLayer].map(([name, tasks]) => {
    const l = original.layers.get(name);
    return new MaterializedLayer(name, l?.op ?? keyLabel(name), tasks, [], l?.meta);
  });
  return LayeredGraph.of(...layers);
}

export interface VisualizeOptions {
  /** Include every task, not only the layers. */
  tasks?: boolean;
}

/**
 * The layer graph of a collection, optionally with its tasks: data
 * (`layers`, `tasks`) that draws itself as SVG (`toSVG()`; a notebook shows
 * the drawing).
 * @example x.add(1).sum().visualize({ tasks: true }).tasks.length
 * @example writeFileSync("graph.svg", d.visualize().toSVG())
 */
export function visualize(collection: Collection<unknown>, options: VisualizeOptions = {}): GraphView {
  if (!isCollectionLike(collection)) throw Errors.badOption("visualize() argument", preview(collection), "a Tessera collection");
  const g = collection.graph();
  const layers = [...g.layers.values()].map((l) => {
    const out: LayerView = { name: l.name, op: l.op, ntasks: l.size, dependencies: [...l.dependencies] };
    if (l.meta?.collection !== undefined) out.collection = l.meta.collection;
    return out;
  });
  if (!options.tasks) return new GraphView(layers);
  return new GraphView(layers, [...g.materialize()].map(([key, t]) => ({ key, op: keyLabel(key), layer: keyName(key), dependencies: [...taskDeps(t)] })));
}

export type { Key };
