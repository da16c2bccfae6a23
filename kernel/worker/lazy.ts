/**
 * Lazy task values. A kernel may return an object that stands for a value
 * not computed yet (a bag partition as "these items, then map, then
 * filter"): kernels that know the object consume it item by item when it is
 * the argument of a task fused with its producer, so no intermediate array
 * is ever made (as Dask's bag passes lazy iterators between fused tasks).
 * Anything else sees only real values: a task's result is materialized
 * before it is stored or sent, and the arguments of a function that has not
 * declared itself lazy-aware are materialized before it is called.
 */

/** The method a lazy value implements: compute the real value. */
export const MATERIALIZE = Symbol.for("tessera.materialize");

export interface Lazy {
  [MATERIALIZE](): unknown;
}

export function isLazy(v: unknown): v is Lazy {
  return v !== null && typeof v === "object" && typeof (v as Partial<Lazy>)[MATERIALIZE] === "function";
}

export function materialize(v: unknown): unknown {
  return isLazy(v) ? v[MATERIALIZE]() : v;
}

const aware = new WeakSet<Function>();

/** Declares that `fn` accepts lazy values among its arguments. */
export function acceptsLazy(fn: Function): void {
  aware.add(fn);
}

/**
 * The arguments `fn` may see: lazy ones materialized unless `fn` accepts
 * them. Only a task's direct arguments can be lazy (worker/execute.ts
 * materializes inline results inside lists and objects).
 */
export function argsFor(fn: Function, args: unknown[]): unknown[] {
  if (aware.has(fn)) return args;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (isLazy(a)) args[i] = a[MATERIALIZE]();
  }
  return args;
}
