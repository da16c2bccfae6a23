/**
 * Delayed: lazy function calls and values, as dask.delayed.
 *
 *   const inc = delayed((x: number) => x + 1);
 *   const add = delayed((a: number, b: number) => a + b);
 *   const total = add(inc(1), inc(2));      // nothing has run yet
 *   await total.compute();                  // 5
 *
 * Each call is one task in a layer of its own, keyed `${fn name}-${token}`,
 * the token covering the function (its source, or its identity if it is a
 * closure) and every argument: the same call built twice is the same key.
 * Delayed values may appear anywhere inside arguments (arrays, plain objects).
 */
import { Errors } from "../../errors";
import { Key, LayeredGraph, MaterializedLayer, Ref, Task, builtin, keyName, parseKey, task, tokenize } from "../../graph";
import { CallableOptions, ModuleFunction, toCallable } from "../../worker/callable";
import { Collection } from "../base";
import { infoTable } from "../repr";

/** A value, or a Delayed of it, at any depth of arrays and plain objects. */
export type MaybeDelayed<T> =
  | Delayed<T>
  | (T extends (infer U)[]
      ? MaybeDelayed<U>[]
      : T extends ArrayBufferView | Date | Map<unknown, unknown> | Set<unknown> | Function
        ? T
        : T extends object
          ? { [K in keyof T]: MaybeDelayed<T[K]> }
          : T);
type DelayedArgs<P extends readonly unknown[]> = { [K in keyof P]: MaybeDelayed<P[K]> };

export interface DelayedOptions extends CallableOptions {
  /** Name used in keys and labels (default: the function's name). */
  name?: string;
}

export class Delayed<T = unknown> extends Collection<T> {
  /**
   * @internal use delayed(). `key` is a key's string form: a tuple key (a
   * bag partition, from bag.toDelayed()) is its JSON text.
   */
  constructor(
    readonly key: string,
    private readonly g: LayeredGraph,
  ) {
    super();
  }

  graph(): LayeredGraph {
    return this.g;
  }

  keys(): Key[] {
    return [parseKey(this.key)];
  }

  finalize(results: unknown[]): T {
    return results[0] as T;
  }

  withGraph(graph: LayeredGraph): this {
    return new Delayed<T>(this.key, graph) as this;
  }

  /**
   * A property or element of the value, lazily.
   * @example const name = delayed(loadUser)(7).get("name")
   * @example const first = pair.get(0)
   */
  get<K extends keyof T & (string | number)>(prop: K): Delayed<T[K]> {
    if (typeof prop !== "string" && typeof prop !== "number") {
      throw Errors.badOption("Delayed.get(prop)", prop, "a property name or an index");
    }
    return makeCall<T[K]>("getitem", builtin("delayed.get"), [this, prop]);
  }

  override toString(): string {
    return `Delayed('${this.key}')`;
  }

  reprText(): string {
    const g = this.g;
    return `Delayed('${this.key}'): ${g.layers.size} layer${g.layers.size === 1 ? "" : "s"}, ${g.taskCount} task${g.taskCount === 1 ? "" : "s"}`;
  }

  override reprHtml(): string {
    const g = this.g;
    return infoTable("Delayed", [["key", this.key], ["layers", String(g.layers.size)], ["tasks", String(g.taskCount)]]);
  }
}

/** A function whose calls build Delayed values. */
export type DelayedFunction<F extends (...args: never[]) => unknown> = (
  ...args: DelayedArgs<Parameters<F>>
) => Delayed<Awaited<ReturnType<F>>>;

/**
 * Wraps a function so that calling it builds a task instead of running it,
 * or wraps a value as a Delayed.
 *
 * Functions run on worker threads, so they must be self-contained: values
 * they need from outside come in `captures` (the sync scheduler runs real
 * closures, for debugging).
 *
 * @example const inc = delayed((x: number) => x + 1); await inc(41).compute() // 42
 * @example const scale = delayed((x: number) => x * k, { captures: { k: 2 } })
 * @example const data = delayed([1, 2, 3])
 */
export function delayed<F extends (...args: never[]) => unknown>(fn: F, options?: DelayedOptions): DelayedFunction<F>;
export function delayed<T>(value: T, options?: { name?: string }): Delayed<T extends Delayed<infer U> ? U : T>;
export function delayed(value: unknown, options: DelayedOptions = {}): unknown {
  if (typeof value === "function") return delayedFunction(value as Function, options);
  if (value instanceof Delayed) return value;
  const name = options.name ?? "literal";
  return makeCall(name, builtin("delayed.identity"), [value]);
}

/**
 * A delayed function from a module export, loaded once per worker: for code
 * that lives in files rather than in notebook cells.
 * @example const parse = delayedModule("./parsers.js", "parseLog")
 */
export function delayedModule<R = unknown>(module: string, exportName = "default", options: { name?: string } = {}): (...args: unknown[]) => Delayed<R> {
  const ref: ModuleFunction = { module, export: exportName };
  const callable = toCallable(ref);
  const name = options.name ?? exportName;
  return (...args: unknown[]) => makeCall<R>(name, callable, args);
}

function delayedFunction(fn: Function, options: DelayedOptions): Function {
  const callable = toCallable(fn, options.captures === undefined ? {} : { captures: options.captures });
  const name = options.name ?? (fn.name || "delayed");
  const wrapper = (...args: unknown[]) => makeCall(name, callable, args);
  Object.defineProperty(wrapper, "name", { value: name });
  return wrapper;
}

const SAFE_NAME = /[^A-Za-z0-9_.]+/g;

function makeCall<R>(name: string, fn: Task["fn"], args: readonly unknown[]): Delayed<R> {
  const inputs: LayeredGraph[] = [];
  const inputKeys = new Set<string>();
  const converted = args.map((a) => replaceDelayed(a, inputs, inputKeys));
  const label = name.replace(SAFE_NAME, "_") || "delayed";
  const key = `${label}-${tokenize(callableToken(fn), args)}`;
  const t = task(fn, converted);
  const layer = new MaterializedLayer(key, label, new Map([[key, t]]), [...inputKeys], { collection: "delayed" });
  return new Delayed<R>(key, LayeredGraph.from(layer, ...inputs));
}

const callableTokens = new WeakMap<Task["fn"], string>();
/** A callable's token, computed once per callable (calls of one function share it). */
function callableToken(fn: Task["fn"]): string {
  let t = callableTokens.get(fn);
  if (t === undefined) callableTokens.set(fn, (t = tokenize(fn)));
  return t;
}

/** Delayed values (at any depth of arrays and plain objects) become references. */
function replaceDelayed(v: unknown, graphs: LayeredGraph[], keys: Set<string>): unknown {
  if (v instanceof Delayed) {
    // Layers are named by the key's name part (a bag partition's key is a tuple).
    if (!keys.has(keyName(v.key))) {
      keys.add(keyName(v.key));
      graphs.push(v.graph());
    }
    return new Ref(parseKey(v.key));
  }
  if (v instanceof Collection) {
    throw Errors.badOption(
      "a delayed call's argument",
      `a ${v.constructor.name}`,
      "a plain value or a Delayed (convert collections with .toDelayed())",
    );
  }
  if (Array.isArray(v)) return v.map((x) => replaceDelayed(x, graphs, keys));
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = replaceDelayed(x, graphs, keys);
    return out;
  }
  return v;
}
