/**
 * Globals a worker has as well as the main thread.
 *
 * `SHIPPABLE` maps well-known global functions to their paths, so that
 * `bag.map(JSON.parse)` or `x.map(Math.sqrt)` ships "JSON.parse" by name:
 * native functions have no source to send. `GLOBAL_NAMES` lists identifiers
 * a user function may read without passing them as captures.
 */

const NAMESPACES = ["JSON", "Math", "Number", "String", "Object", "Array", "Date", "BigInt", "Boolean", "Reflect", "Atomics", "Symbol"] as const;
const TOP_LEVEL = [
  "parseFloat", "parseInt", "isNaN", "isFinite", "encodeURI", "encodeURIComponent", "decodeURI", "decodeURIComponent",
  "structuredClone", "atob", "btoa", "String", "Number", "Boolean", "BigInt", "Object", "Array", "Date", "Symbol",
] as const;

function buildShippable(): Map<Function, string> {
  const out = new Map<Function, string>();
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of TOP_LEVEL) if (typeof g[name] === "function") out.set(g[name] as Function, name);
  for (const ns of NAMESPACES) {
    const obj = g[ns] as Record<string, unknown> | undefined;
    if (obj === undefined) continue;
    for (const prop of Object.getOwnPropertyNames(obj)) {
      if (prop === "prototype" || prop === "constructor") continue;
      const d = Object.getOwnPropertyDescriptor(obj, prop);
      if (d && typeof d.value === "function" && !out.has(d.value)) out.set(d.value as Function, `${ns}.${prop}`);
    }
  }
  return out;
}

/** Global function -> its path ("JSON.parse"). */
export const SHIPPABLE: ReadonlyMap<Function, string> = buildShippable();

/** The function at a path of SHIPPABLE, looked up in this thread's globals. */
export function globalFunction(path: string): Function | undefined {
  let v: unknown = globalThis;
  for (const part of path.split(".")) {
    if (v === null || (typeof v !== "object" && typeof v !== "function")) return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return typeof v === "function" && SHIPPABLE.get(v as Function) === path ? (v as Function) : undefined;
}

/** Identifiers every worker thread has: ECMAScript globals plus the Node and web ones Node provides. */
export const GLOBAL_NAMES: ReadonlySet<string> = new Set([
  // ECMAScript
  "globalThis", "Infinity", "NaN", "undefined", "isFinite", "isNaN", "parseFloat", "parseInt",
  "decodeURI", "decodeURIComponent", "encodeURI", "encodeURIComponent", "escape", "unescape",
  "AggregateError", "Array", "ArrayBuffer", "Atomics", "BigInt", "BigInt64Array", "BigUint64Array", "Boolean",
  "DataView", "Date", "Error", "EvalError", "FinalizationRegistry", "Float32Array", "Float64Array", "Function",
  "Int8Array", "Int16Array", "Int32Array", "Intl", "JSON", "Map", "Math", "Number", "Object", "Promise", "Proxy",
  "RangeError", "ReferenceError", "Reflect", "RegExp", "Set", "SharedArrayBuffer", "String", "Symbol",
  "SyntaxError", "TypeError", "Uint8Array", "Uint8ClampedArray", "Uint16Array", "Uint32Array", "URIError",
  "WeakMap", "WeakRef", "WeakSet",
  // Node and web platform
  "console", "Buffer", "TextEncoder", "TextDecoder", "URL", "URLSearchParams", "structuredClone", "atob", "btoa",
  "queueMicrotask", "setTimeout", "clearTimeout", "setInterval", "clearInterval", "setImmediate", "clearImmediate",
  "performance", "AbortController", "AbortSignal", "crypto", "Blob", "process",
]);
