/**
 * Turning what a user hands us (a function, a module reference, a kernel
 * name) into a `Callable` that a worker can resolve on its own, and checking
 * before any scheduling that it can be shipped at all.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { Errors, preview } from "../errors";
import { Callable, tokenize, TOKENIZE, objectId } from "../graph";
import { analyzeFunction } from "./analyze";
import { SHIPPABLE } from "./globals";

/** A function exported by a module, loaded once per worker. */
export interface ModuleFunction {
  module: string;
  export?: string;
}

export type UserFunction = Function | ModuleFunction;

export interface CallableOptions {
  /** Values the function reads by name, passed to every worker (structured-cloneable). */
  captures?: Record<string, unknown>;
}

/**
 * The name a worker gives a user function's compiled code (`//# sourceURL`),
 * so that stack frames read `at train (tessera-fn/train-9f2c….js:5:14)` and
 * tools (the notebook kernel) can map them back to the source: the line is
 * relative to the function's text, plus `lineOffset`.
 */
export const SOURCE_URL = {
  prefix: "tessera-fn/",
  /** Lines the worker's wrapper adds before the function's first line. */
  lineOffset: 2,
  /** Columns the wrapper adds before the function's text on its first line. */
  firstLineColumnOffset: "return (".length,
  of(name: string, hash: string): string {
    return `${this.prefix}${name.replace(/[^\w$.-]/g, "_")}-${hash}.js`;
  },
  /** The hash in a frame's file name, or undefined for other files. */
  hashOf(file: string): string | undefined {
    const m = /tessera-fn\/.*-([0-9a-f]{20})\.js$/.exec(file);
    return m?.[1];
  },
} as const;

let sourceTransform: ((source: string) => string) | undefined;

/**
 * Lets the environment that compiled the user's code rewrite a function's
 * source before it is analyzed and shipped. The notebook kernel uses it:
 * tslab compiles a reference to an earlier cell's variable `k` as
 * `exports.k`, which must read `k` again so that the closure check names
 * `k` and `{ captures: { k } }` works. Line breaks must be kept (error
 * reports map worker lines back to the original text).
 * @example setSourceTransform((src) => src.replace(/\bexports\.(\w+)/g, "$1"))
 */
export function setSourceTransform(transform: ((source: string) => string) | undefined): void {
  sourceTransform = transform;
}

const MAX_SOURCES = 1000;
const sources = new Map<string, string>();

/**
 * The source text of a user function this thread turned into a callable
 * (as written, before any transform), by its hash (the most recent
 * MAX_SOURCES): how error reports find the function a worker's stack frame
 * names.
 */
export function sourceForHash(hash: string): string | undefined {
  return sources.get(hash);
}

function rememberSource(hash: string, source: string): void {
  sources.delete(hash);
  sources.set(hash, source);
  if (sources.size > MAX_SOURCES) sources.delete(sources.keys().next().value!);
}

/** The live function behind a source callable: the sync scheduler runs it as is. */
const localFunctions = new WeakMap<Callable, Function>();

export function localFunction(c: Callable): Function | undefined {
  return localFunctions.get(c);
}

function isModuleFunction(f: unknown): f is ModuleFunction {
  return typeof f === "object" && f !== null && typeof (f as ModuleFunction).module === "string";
}

/**
 * A Callable for `f`. Closures are accepted here and remembered: a source
 * callable lists its free variables, and `checkShippable` rejects it when a
 * computation is about to run anywhere but in this thread.
 */
export function toCallable(f: UserFunction, options: CallableOptions = {}): Callable {
  if (isModuleFunction(f)) return moduleCallable(f);
  if (typeof f !== "function") {
    throw Errors.badOption("function", f, "a function or a module reference { module, export }");
  }
  const global = SHIPPABLE.get(f);
  if (global !== undefined && options.captures === undefined) return { kind: "global", path: global };
  const fn = analyzeFunction(f, sourceTransform);
  const captures = options.captures;
  let freeVars = fn.freeVars;
  if (captures !== undefined) {
    checkCaptures(fn.name, captures);
    freeVars = freeVars.filter((v) => !Object.prototype.hasOwnProperty.call(captures, v));
  }
  const hash = createHash("sha1").update(fn.source).update("\0").update(tokenize(captures ?? null)).digest("hex").slice(0, 20);
  const c: Callable = captures === undefined
    ? { kind: "source", source: fn.source, name: fn.name, hash, freeVars }
    : { kind: "source", source: fn.source, name: fn.name, hash, freeVars, captures };
  // The sync scheduler runs the live function, closures and all; a function given captures
  // reads them as variables that only the compiled form defines, so it always runs compiled.
  if (captures === undefined) localFunctions.set(c, f);
  rememberSource(hash, Function.prototype.toString.call(f));
  // Two closures with the same text over different variables must not share keys.
  if (freeVars.length > 0) Object.defineProperty(c, TOKENIZE, { value: () => `${hash}#${objectId(f)}` });
  return c;
}

function checkCaptures(fnName: string, captures: Record<string, unknown>): void {
  if (typeof captures !== "object" || captures === null || Array.isArray(captures)) {
    throw Errors.badOption("captures", captures, "an object mapping names to values, e.g. { captures: { k: 2 } }");
  }
  for (const [name, value] of Object.entries(captures)) {
    if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw Errors.badOption(`captures["${name}"]`, name, "a valid identifier");
    try {
      structuredClone(value);
    } catch {
      throw Errors.notShippable(
        `capture "${name}" of function ${fnName} (${preview(value)})`,
        "it is not structured-cloneable (functions, class instances with methods, sockets … are not)",
        "pass plain data, typed arrays or Maps; for a helper function, use a module reference { module, export }",
      );
    }
  }
}

function moduleCallable(f: ModuleFunction): Callable {
  const exportName = f.export ?? "default";
  let resolved: string;
  try {
    const spec = f.module.startsWith(".") ? path.resolve(f.module) : f.module;
    resolved = require.resolve(spec, { paths: [process.cwd()] });
  } catch {
    throw Errors.badOption("module", f.module, "a module path or package name that resolves from the current folder");
  }
  return { kind: "module", module: resolved, export: exportName };
}

/**
 * Throws unless every callable in `callables` can run in another thread:
 * the first closure found is reported with its free variables and the fix.
 */
export function checkShippable(callables: Iterable<Callable>): void {
  for (const c of callables) {
    if (c.kind === "source" && c.freeVars.length > 0) throw Errors.closure(c.name, [...c.freeVars]);
  }
}
