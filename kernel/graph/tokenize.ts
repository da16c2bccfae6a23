/**
 * Deterministic tokens for task keys: `${op}-${tokenize(inputs)}`.
 *
 * The same inputs give the same token in every run of the same program (so
 * the same expression built twice has the same keys, which persist and
 * caching rely on); different inputs give different tokens. The token is a
 * SHA-1 over a typed, length-prefixed encoding of the value, so `"1"` and `1`,
 * or `["ab"]` and `["a", "b"]`, never collide.
 *
 *   - typed arrays and buffers: element type, length and raw bytes (no copy);
 *   - plain objects: keys sorted, so { a, b } and { b, a } tokenize alike;
 *   - Arrow tables (duck-typed, no import): schema text and every buffer;
 *   - functions: their source text; native functions by name and identity;
 *   - anything with a `[TOKENIZE]()` method (collections, Delayed): its result.
 */
import { createHash, Hash } from "node:crypto";

/** Objects may define `[TOKENIZE](): string` to control their token. */
export const TOKENIZE = Symbol.for("tessera.tokenize");

const TOKEN_HEX = 20;

export function tokenize(...values: unknown[]): string {
  const h = createHash("sha1");
  const seen = new Set<object>();
  for (const v of values) feed(h, v, seen);
  return h.digest("hex").slice(0, TOKEN_HEX);
}

let nextId = 0;
const identities = new WeakMap<object, number>();
/** A number unique to an object for the life of the process (not across runs). */
export function objectId(o: object): number {
  let id = identities.get(o);
  if (id === undefined) identities.set(o, (id = ++nextId));
  return id;
}

function str(h: Hash, tag: string, s: string): void {
  h.update(`${tag}${s.length}:`);
  h.update(s);
}

function feed(h: Hash, v: unknown, seen: Set<object>): void {
  switch (typeof v) {
    case "undefined":
      h.update("u;");
      return;
    case "boolean":
      h.update(v ? "T;" : "F;");
      return;
    case "number":
      h.update(Object.is(v, -0) ? "n-0;" : `n${v};`);
      return;
    case "bigint":
      h.update(`b${v};`);
      return;
    case "string":
      str(h, "s", v);
      return;
    case "symbol":
      str(h, "y", v.description ?? "");
      return;
    case "function":
      feedFunction(h, v);
      return;
  }
  if (v === null) {
    h.update("N;");
    return;
  }
  const o = v as object;
  const custom = (o as { [TOKENIZE]?: () => string })[TOKENIZE];
  if (typeof custom === "function") {
    str(h, "k", custom.call(o));
    return;
  }
  if (ArrayBuffer.isView(o)) {
    str(h, "v", o.constructor.name);
    h.update(`${o.byteLength}:`);
    h.update(new Uint8Array(o.buffer, o.byteOffset, o.byteLength));
    return;
  }
  if (o instanceof ArrayBuffer || o instanceof SharedArrayBuffer) {
    h.update(`a${o.byteLength}:`);
    h.update(new Uint8Array(o));
    return;
  }
  if (seen.has(o)) {
    h.update("cycle;");
    return;
  }
  seen.add(o);
  try {
    if (Array.isArray(o)) {
      h.update(`[${o.length}:`);
      for (const x of o) feed(h, x, seen);
      h.update("]");
    } else if (o instanceof Date) {
      h.update(`d${o.getTime()};`);
    } else if (o instanceof RegExp) {
      str(h, "r", `${o.source}/${o.flags}`);
    } else if (o instanceof Map) {
      feedUnordered(h, "M", [...o].map(([k, val]) => tokenize(k) + tokenize(val)));
    } else if (o instanceof Set) {
      feedUnordered(h, "S", [...o].map((x) => tokenize(x)));
    } else if (isArrowTable(o)) {
      feedArrowTable(h, o, seen);
    } else {
      const proto = Object.getPrototypeOf(o);
      const cls = proto === Object.prototype || proto === null ? "" : (o.constructor?.name ?? "?");
      const keys = Object.keys(o).sort();
      h.update(`{${cls}:${keys.length}:`);
      for (const k of keys) {
        str(h, "", k);
        feed(h, (o as Record<string, unknown>)[k], seen);
      }
      h.update("}");
    }
  } finally {
    seen.delete(o);
  }
}

function feedUnordered(h: Hash, tag: string, tokens: string[]): void {
  tokens.sort();
  h.update(`${tag}${tokens.length}:${tokens.join(",")};`);
}

function feedFunction(h: Hash, fn: Function): void {
  const custom = (fn as { [TOKENIZE]?: () => string })[TOKENIZE];
  if (typeof custom === "function") {
    str(h, "k", custom.call(fn));
    return;
  }
  const src = Function.prototype.toString.call(fn);
  // Native functions all print alike ("function parse() { [native code] }").
  if (src.endsWith("{ [native code] }")) str(h, "fnative", `${fn.name}#${objectId(fn)}`);
  else str(h, "f", src);
}

interface ArrowDataLike {
  length: number;
  offset: number;
  values?: ArrayBufferView;
  valueOffsets?: ArrayBufferView;
  nullBitmap?: ArrayBufferView;
  typeIds?: ArrayBufferView;
  children?: ArrowDataLike[];
  dictionary?: { data: ArrowDataLike[] };
}
interface ArrowTableLike {
  schema: { fields: { name: string; type: unknown }[] };
  batches: { data: ArrowDataLike }[];
}

function isArrowTable(o: object): o is ArrowTableLike {
  const t = o as Partial<ArrowTableLike>;
  return Array.isArray(t.batches) && typeof t.schema === "object" && Array.isArray(t.schema?.fields);
}

function feedArrowTable(h: Hash, t: ArrowTableLike, seen: Set<object>): void {
  str(h, "arrow", t.schema.fields.map((f) => `${f.name}:${String(f.type)}`).join(","));
  for (const b of t.batches) feedArrowData(h, b.data, seen);
}

function feedArrowData(h: Hash, d: ArrowDataLike, seen: Set<object>): void {
  h.update(`D${d.length}@${d.offset}:`);
  for (const buf of [d.values, d.valueOffsets, d.nullBitmap, d.typeIds]) {
    if (buf && buf.byteLength > 0) feed(h, buf, seen);
    else h.update("_");
  }
  for (const c of d.children ?? []) feedArrowData(h, c, seen);
  for (const c of d.dictionary?.data ?? []) feedArrowData(h, c, seen);
}
