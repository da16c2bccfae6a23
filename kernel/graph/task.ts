/**
 * Tasks: a callable reference plus arguments.
 *
 * JavaScript functions cannot be pickled, so a task never holds a function;
 * it holds a `Callable` that a worker can resolve on its own:
 *   - builtin: a kernel registered by name ("array.add"), the fast path;
 *   - module:  an export of a module, loaded once per worker;
 *   - source:  user function text, compiled once per worker (free variables
 *              are checked before scheduling; values come in `captures`);
 *   - global:  a well-known global function by path ("JSON.parse").
 *
 * Arguments are a small tagged tree so that a literal can never be mistaken
 * for a key reference: { ref } a key's result, { lit } a literal value,
 * { list } / { dict } containers that hold references, { task } a task run
 * inline (what fusion produces; `key` names it in errors), { fn } a callable
 * handed to the task as a function value (a user function given to a
 * built-in kernel, e.g. the predicate of a filter: the worker resolves it,
 * and the closure check sees it like a task's own callable). Build them with
 * `task(fn, args)`, `ref()` and `fnArg()`.
 */
import { Key, keyStr, parseKey } from "./key";

export type Callable =
  | { readonly kind: "builtin"; readonly name: string }
  | { readonly kind: "module"; readonly module: string; readonly export: string }
  | {
      readonly kind: "source";
      readonly source: string;
      readonly name: string;
      /** sha1 of source and captures: workers compile once per hash. */
      readonly hash: string;
      readonly captures?: Readonly<Record<string, unknown>>;
      /** Identifiers the function reads from outside its body that are neither globals nor captures. */
      readonly freeVars: readonly string[];
    }
  | { readonly kind: "global"; readonly path: string };

export type Arg =
  | { readonly ref: string }
  | { readonly lit: unknown }
  | { readonly list: readonly Arg[] }
  | { readonly dict: Readonly<Record<string, Arg>> }
  | { readonly task: Task; readonly key?: string }
  | { readonly fn: Callable };

export interface Task {
  readonly fn: Callable;
  readonly args: readonly Arg[];
}

/** A reference to another task's result, used while building task arguments. */
export class Ref {
  readonly key: string;
  /** `key` may also be a tuple key's string form (Delayed.key): no string key starts with "[". */
  constructor(key: Key) {
    this.key = typeof key === "string" && key[0] === "[" ? keyStr(parseKey(key)) : keyStr(key);
  }
}

export function ref(key: Key): Ref {
  return new Ref(key);
}

/** A task to run inline as the argument of another (see `task`). */
export class Inline {
  constructor(readonly task: Task) {}
}

/** A callable passed to a task as a function value (see `fnArg`). */
export class FnArg {
  constructor(readonly callable: Callable) {}
}

/**
 * A function argument: the task receives the function `c` resolves to, in
 * whichever thread runs it.
 * @example task(builtin("bag.map"), [fnArg(toCallable(f)), ref(["x-1a2b", 0])])
 */
export function fnArg(c: Callable): FnArg {
  return new FnArg(c);
}

export function builtin(name: string): Callable {
  return { kind: "builtin", name };
}

/**
 * Builds a task. Arguments are plain values in which `Ref`s (and `Inline`
 * tasks) may appear at any depth inside arrays and plain objects.
 *
 * @example task(builtin("array.add"), [ref(["x-1a2b", 0]), 1])
 */
export function task(fn: Callable, args: readonly unknown[]): Task {
  return { fn, args: args.map(toArg) };
}

export function toArg(value: unknown): Arg {
  if (value instanceof Ref) return { ref: value.key };
  if (value instanceof Inline) return { task: value.task };
  if (value instanceof FnArg) return { fn: value.callable };
  if (!hasRefs(value)) return { lit: value };
  if (Array.isArray(value)) return { list: value.map(toArg) };
  const dict: Record<string, Arg> = {};
  for (const [k, v] of Object.entries(value as object)) dict[k] = toArg(v);
  return { dict };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== "object") return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasRefs(value: unknown): boolean {
  if (value instanceof Ref || value instanceof Inline || value instanceof FnArg) return true;
  if (Array.isArray(value)) {
    for (const v of value) if (v !== null && typeof v === "object" && hasRefs(v)) return true;
    return false;
  }
  if (isPlainObject(value)) {
    for (const k in value) {
      const v = value[k];
      if (v !== null && typeof v === "object" && hasRefs(v)) return true;
    }
  }
  return false;
}

const depsCache = new WeakMap<Task, readonly string[]>();

/** The keys a task reads, without repeats, in first-use order. */
export function taskDeps(t: Task): readonly string[] {
  let deps = depsCache.get(t);
  if (deps === undefined) {
    const seen = new Set<string>();
    for (const a of t.args) collectRefs(a, seen);
    deps = [...seen];
    depsCache.set(t, deps);
  }
  return deps;
}

function collectRefs(a: Arg, out: Set<string>): void {
  if ("ref" in a) out.add(a.ref);
  else if ("list" in a) for (const x of a.list) collectRefs(x, out);
  else if ("dict" in a) for (const k in a.dict) collectRefs(a.dict[k]!, out);
  else if ("task" in a) for (const x of a.task.args) collectRefs(x, out);
}

/** Returns a copy of the task with references renamed by `rename` (key -> Arg). */
export function substitute(t: Task, replace: (key: string) => Arg | undefined): Task {
  const sub = (a: Arg): Arg => {
    if ("ref" in a) return replace(a.ref) ?? a;
    if ("list" in a) return { list: a.list.map(sub) };
    if ("dict" in a) {
      const d: Record<string, Arg> = {};
      for (const k in a.dict) d[k] = sub(a.dict[k]!);
      return { dict: d };
    }
    if ("task" in a) return a.key === undefined ? { task: substitute(a.task, replace) } : { task: substitute(a.task, replace), key: a.key };
    return a;
  };
  return { fn: t.fn, args: t.args.map(sub) };
}

/** A short name for the callable, for labels and error messages. */
export function callableName(fn: Callable): string {
  switch (fn.kind) {
    case "builtin":
      return fn.name;
    case "module":
      return `${fn.module}#${fn.export}`;
    case "source":
      return fn.name;
    case "global":
      return fn.path;
  }
}
