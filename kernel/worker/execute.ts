/**
 * Running tasks: arguments are resolved (references looked up, containers
 * rebuilt, inline tasks run first), then the callable is called. A task whose
 * function returns a promise is awaited; everything else stays synchronous,
 * so a batch of tiny tasks never pays for a microtask each.
 */
import { Arg, Task } from "../graph";
import { resolveCallable, ResolveOptions } from "./resolve";

export type Lookup = (key: string) => unknown;

/** Set on an error thrown inside an inline (fused) task: the key of that task. */
export const FAILED_KEY = Symbol("tessera.failedKey");

function tagFailure(e: unknown, key: string | undefined): unknown {
  if (key !== undefined && e !== null && typeof e === "object" && !(FAILED_KEY in e)) {
    try {
      (e as Record<symbol, unknown>)[FAILED_KEY] = key;
    } catch {
      // frozen error objects keep the outer key
    }
  }
  return e;
}

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as PromiseLike<unknown>).then === "function";
}

/** Runs one task. Returns its value, or a promise of it when something in it is async. */
export function runTask(t: Task, lookup: Lookup, options: ResolveOptions = {}): unknown {
  const fn = resolveCallable(t.fn, options);
  const args = new Array<unknown>(t.args.length);
  let pending = false;
  for (let i = 0; i < args.length; i++) {
    const v = evalArg(t.args[i]!, lookup, options);
    if (isThenable(v)) pending = true;
    args[i] = v;
  }
  if (!pending) return fn(...args);
  return Promise.all(args).then((resolved) => fn(...resolved));
}

function evalArg(a: Arg, lookup: Lookup, options: ResolveOptions): unknown {
  if ("ref" in a) return lookup(a.ref);
  if ("lit" in a) return a.lit;
  if ("fn" in a) return resolveCallable(a.fn, options);
  if ("task" in a) {
    let v: unknown;
    try {
      v = runTask(a.task, lookup, options);
    } catch (e) {
      throw tagFailure(e, a.key);
    }
    return isThenable(v) ? Promise.resolve(v).catch((e: unknown) => Promise.reject(tagFailure(e, a.key))) : v;
  }
  if ("list" in a) {
    const out = a.list.map((x) => evalArg(x, lookup, options));
    return out.some(isThenable) ? Promise.all(out) : out;
  }
  const out: Record<string, unknown> = {};
  const waits: Promise<void>[] = [];
  for (const k in a.dict) {
    const v = evalArg(a.dict[k]!, lookup, options);
    if (isThenable(v)) waits.push(Promise.resolve(v).then((r) => void (out[k] = r)));
    else out[k] = v;
  }
  return waits.length > 0 ? Promise.all(waits).then(() => out) : out;
}

export { isThenable };
