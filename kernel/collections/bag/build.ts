/**
 * Graph building shared by the bag's verbs: a new layer of one task per
 * partition, user functions as task arguments, extra arguments of map, and
 * tree reductions ending in one value (a Delayed) or one partition (a Bag).
 *
 * Layer names are `${op}-${token}`, the token covering the input layers'
 * names, the functions and every parameter: the same expression built twice
 * has the same keys.
 */
import { Errors } from "../../errors";
import { Callable, FnArg, Key, LayeredGraph, LazyLayer, Ref, Task, builtin, fnArg, keyName, keyStr, parseKey, ref, task, tokenize } from "../../graph";
import { ModuleFunction, toCallable } from "../../worker/callable";
import { Collection } from "../base";
import { Delayed } from "../delayed";
import { Bag } from "./bag";

/** A function with the values it reads from outside, for worker threads. */
export class WithCaptures {
  constructor(
    readonly fn: Function,
    readonly captures: Record<string, unknown>,
  ) {}
}

/**
 * A function that reads outside values, made shippable by passing them.
 * @example bag.map(withCaptures((x) => x * k, { k }))
 */
export function withCaptures(fn: Function, captures: Record<string, unknown>): WithCaptures {
  if (typeof fn !== "function") throw Errors.badOption("withCaptures(fn, captures) fn", fn, "a function");
  return new WithCaptures(fn, captures);
}

/** What bag verbs accept as a user function. */
export type UserFn = Function | WithCaptures | ModuleFunction;

/** The callable a worker will resolve for `f`; `what` names the argument in errors. */
export function userCallable(f: unknown, what: string): Callable {
  if (f instanceof WithCaptures) return toCallable(f.fn, { captures: f.captures });
  if (typeof f === "function" || (typeof f === "object" && f !== null && typeof (f as ModuleFunction).module === "string")) {
    return toCallable(f as Function | ModuleFunction);
  }
  throw Errors.badOption(what, f, "a function (or withCaptures(fn, { … }), or a module reference { module, export })");
}

/** A key argument: a function of the item (shipped), or a property name or index (a literal). */
export function keyArg(key: unknown, what: string): { arg: FnArg | string | number; token: unknown } {
  if (typeof key === "string" || typeof key === "number") return { arg: key, token: key };
  const c = userCallable(key, what);
  return { arg: fnArg(c), token: c };
}

export function partKey(bag: { name: string }, i: number): Ref {
  return ref([bag.name, i]);
}

/** A bag of `npartitions` partitions, partition i computed by `taskFor(i)`. */
export function newBag<U>(op: string, token: readonly unknown[], npartitions: number, inputs: readonly Collection<unknown>[], taskFor: (i: number) => Task): Bag<U> {
  const name = `${op}-${tokenize(op, ...token)}`;
  return layerBag<U>(name, op, npartitions, inputs, taskFor);
}

/** A bag over a new layer named `name` on top of the inputs' graphs. */
export function layerBag<U>(name: string, op: string, npartitions: number, inputs: readonly Collection<unknown>[], taskFor: (i: number) => Task): Bag<U> {
  const deps = [...new Set(inputs.flatMap(outputLayers))];
  const layer = new LazyLayer(name, op, npartitions, () => {
    const tasks = new Map<string, Task>();
    for (let i = 0; i < npartitions; i++) tasks.set(keyStr([name, i]), taskFor(i));
    return tasks;
  }, deps, { collection: "bag", npartitions });
  return new Bag<U>(name, npartitions, LayeredGraph.from(layer, ...inputs.map((c) => c.graph())));
}

function outputLayers(c: Collection<unknown>): string[] {
  return [...new Set(c.keyStrings().map(keyName))];
}

/** The name part of a collection's token (its output layers), for building new tokens. */
export function tokenOf(c: Collection<unknown>): string {
  return c instanceof Bag ? c.name : c.keyStrings().join(",");
}

/** Extra arguments of map / starmap / mapPartitions: bags zip, Delayed values broadcast, the rest are constants. */
export function extraArgs(op: string, bag: Bag<unknown>, args: readonly unknown[]): { inputs: Collection<unknown>[]; token: unknown[]; at: (i: number) => unknown[] } {
  const inputs: Collection<unknown>[] = [];
  const token: unknown[] = [];
  const makers: ((i: number) => unknown)[] = [];
  args.forEach((a, n) => {
    if (a instanceof Bag) {
      if (a.npartitions !== bag.npartitions) {
        throw Errors.badOption(`${op}() argument ${n + 2}`, `a bag of ${a.npartitions} partitions`, `a bag of ${bag.npartitions} partitions like the one mapped over (repartition it first: .repartition(${bag.npartitions}))`);
      }
      inputs.push(a);
      token.push(["bag", a.name]);
      makers.push((i) => [1, partKey(a, i)]);
    } else if (a instanceof Delayed) {
      inputs.push(a);
      token.push(["delayed", a.key]);
      const r = ref(parseKey(a.key));
      makers.push(() => [0, r]);
    } else if (a instanceof Collection) {
      throw Errors.badOption(`${op}() argument ${n + 2}`, `a ${a.constructor.name}`, "a Bag, a Delayed or a plain value");
    } else {
      token.push(["value", a]);
      makers.push(() => [0, a]);
    }
  });
  return { inputs, token, at: (i) => makers.map((m) => m(i)) };
}

export interface TreeReduction {
  op: string;
  token: readonly unknown[];
  /** The partial of partition i. */
  part: (i: number) => Task;
  /** Combines partials; `final` at the root. */
  agg: (partials: Ref[], final: boolean) => Task;
  /** Partials combined per task (default 8, as Dask's split_every). */
  splitEvery?: number;
}

/**
 * A reduction tree over a bag: one partial per partition (fused with the
 * partition's own work), combined `splitEvery` at a time up to one root.
 * The root is a Delayed (`out: "value"`) or a bag of one partition.
 */
export function reduceTree(bag: Bag<unknown>, r: TreeReduction, out: "value"): Delayed<unknown>;
export function reduceTree(bag: Bag<unknown>, r: TreeReduction, out: "bag"): Bag<unknown>;
export function reduceTree(bag: Bag<unknown>, r: TreeReduction, out: "value" | "bag"): Delayed<unknown> | Bag<unknown> {
  const split = r.splitEvery ?? 8;
  if (!Number.isInteger(split) || split < 2) throw Errors.badOption(`${r.op}: splitEvery`, split, "an integer of at least 2");
  const tok = tokenize(r.op, bag.name, ...r.token, split);
  const partName = `${r.op}-part-${tok}`;
  const rootName = `${r.op}-${tok}`;
  const combineName = `${r.op}-combine-${tok}`;
  const n = bag.npartitions;
  const partLayer = new LazyLayer(partName, `${r.op}-part`, n, () => {
    const m = new Map<string, Task>();
    for (let i = 0; i < n; i++) m.set(keyStr([partName, i]), r.part(i));
    return m;
  }, [bag.name], { collection: "bag", npartitions: n });

  // Levels of the tree below the root: [combineName, level, j].
  let current: Key[] = Array.from({ length: n }, (_, i) => [partName, i] as Key);
  const combineTasks = new Map<string, Task>();
  for (let level = 0; current.length > split; level++) {
    const next: Key[] = [];
    for (let j = 0; j * split < current.length; j++) {
      const k: Key = [combineName, level, j];
      combineTasks.set(keyStr(k), r.agg(current.slice(j * split, (j + 1) * split).map((c) => ref(c)), false));
      next.push(k);
    }
    current = next;
  }
  const rootKey: Key = out === "bag" ? [rootName, 0] : rootName;
  const rootTask = r.agg(current.map((c) => ref(c)), true);
  const layers = [partLayer];
  let below = partName;
  if (combineTasks.size > 0) {
    layers.push(new LazyLayer(combineName, `${r.op}-combine`, combineTasks.size, () => combineTasks, [partName], { collection: "delayed" }));
    below = combineName;
  }
  const rootLayer = new LazyLayer(rootName, r.op, 1, () => new Map([[keyStr(rootKey), rootTask]]), [below], out === "bag" ? { collection: "bag", npartitions: 1 } : { collection: "delayed" });
  let g = LayeredGraph.from(partLayer, bag.graph());
  if (layers.length > 1) g = LayeredGraph.from(layers[1]!, g);
  g = LayeredGraph.from(rootLayer, g);
  return out === "bag" ? new Bag(rootName, 1, g) : new Delayed(rootName, g);
}

/** A task calling kernel `bag.<name>`. */
export function bagTask(name: string, args: readonly unknown[]): Task {
  return task(builtin(`bag.${name}`), args);
}

export function checkCount(what: string, n: unknown, min = 0): number {
  if (typeof n !== "number" || !Number.isInteger(n) || n < min) throw Errors.badOption(what, n, `an integer of at least ${min}`);
  return n;
}

