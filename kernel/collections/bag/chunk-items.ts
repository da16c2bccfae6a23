/**
 * Worker-side helpers shared by the bag kernels: calling a user function on
 * each item with errors that say which item failed (and which line of which
 * file, for partitions read from text), keys for grouping and counting, and
 * the getters behind `pluck`-style keys.
 */
import * as fs from "node:fs";
import { Errors } from "../../errors";
import { markPackable } from "../../worker/wire";

/**
 * Where a partition of lines came from. Readers set it (non-enumerable, under
 * this registered symbol) on the array of lines they return; it is lost when
 * the array crosses a thread, which is fine: it is read only by kernels fused
 * with the reader into one task (readText().map(JSON.parse) is one task).
 */
export const TEXT_ORIGIN = Symbol.for("tessera.textOrigin");

export interface TextOrigin {
  file: string;
  /** Byte offset of the first line in the (uncompressed) file. */
  start: number;
  /** 1-based line number of the first line, when known without counting. */
  firstLine?: number;
}

export function originOf(part: unknown): TextOrigin | undefined {
  return (part as { [TEXT_ORIGIN]?: TextOrigin })[TEXT_ORIGIN];
}

/** File and 1-based line number of item `index` of a partition read from text. */
export function lineOf(origin: TextOrigin, index: number): { file: string; line: number } {
  return { file: origin.file, line: firstLineOf(origin) + index };
}

function firstLineOf(origin: TextOrigin): number {
  if (origin.firstLine !== undefined) return origin.firstLine;
  // Only on the error path: count the newlines before the block's first byte.
  let lines = 1;
  const fd = fs.openSync(origin.file, "r");
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; pos < origin.start; ) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, origin.start - pos), pos);
      if (n === 0) break;
      for (let i = buf.indexOf(10, 0); i >= 0 && i < n; i = buf.indexOf(10, i + 1)) lines++;
      pos += n;
    }
  } finally {
    fs.closeSync(fd);
  }
  return lines;
}

/** The error for a user function that threw on item `index` of partition `partition`. */
export function itemError(op: string, fn: Function, partition: number, index: number, item: unknown, cause: unknown, part?: unknown): Error {
  const origin = part === undefined ? undefined : originOf(part);
  const name = fn === JSON.parse ? "JSON.parse" : fn.name || "(anonymous)";
  return Errors.itemFailed(op, name, partition, index, item, cause, origin === undefined ? undefined : lineOf(origin, index));
}

/** A partition as the array kernels return: marked to travel as msgpack (worker/wire.ts). */
export function partition<T>(items: T[]): T[] {
  return markPackable(items);
}

/** Items of an iterable as an array, with an error naming the value when it is not iterable. */
export function toArray(value: unknown, what: string): unknown[] {
  if (Array.isArray(value)) return value;
  if (value !== null && value !== undefined && typeof (value as Iterable<unknown>)[Symbol.iterator] === "function" && typeof value !== "string") {
    return Array.from(value as Iterable<unknown>);
  }
  throw Errors.badInput(`${what} must be an array or another iterable of items, got ${describe(value)} (return an array of items)`);
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? `an object ${JSON.stringify(v)?.slice(0, 60) ?? ""}` : `${typeof v} ${String(v).slice(0, 60)}`;
}

/**
 * The key under which an item is counted or grouped: primitives as they are,
 * objects and arrays by their JSON text (so [1, 2] from two partitions is the
 * same key, as a tuple is in Python). The prefix keeps the JSON text of an
 * object from colliding with an equal string item.
 */
export function keyOf(x: unknown): unknown {
  if (x === null || typeof x !== "object") return x;
  return "\u0000" + stableJson(x);
}

function stableJson(x: unknown): string {
  if (x instanceof Map) return JSON.stringify(["Map", [...x].map(([k, v]) => [stableJson(k), stableJson(v)])]);
  if (x instanceof Set) return JSON.stringify(["Set", [...x].map(stableJson)]);
  if (x instanceof Date) return JSON.stringify(["Date", x.getTime()]);
  if (Array.isArray(x)) return `[${x.map(stableJson).join(",")}]`;
  if (x !== null && typeof x === "object") {
    const keys = Object.keys(x).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson((x as Record<string, unknown>)[k])}`).join(",")}}`;
  }
  return typeof x === "bigint" ? `"${x}n"` : (JSON.stringify(x) ?? "undefined");
}

/** A deterministic 32-bit hash of an item's key (FNV-1a), the same in every thread. */
export function hashKey(x: unknown): number {
  const k = keyOf(x);
  const s = typeof k === "string" ? `s${k}` : `${typeof k}:${String(k)}`;
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A key: a function of the item, or a property name / index read from it. */
export type KeySpec = Function | string | number;

export function getter(key: KeySpec): (item: unknown) => unknown {
  if (typeof key === "function") return key as (item: unknown) => unknown;
  return (item: unknown) => (item === null || item === undefined ? undefined : (item as Record<string | number, unknown>)[key]);
}

/** `getter(key)` whose errors (from a key function) name the item, as itemError does. */
export function safeGetter(op: string, key: KeySpec, p: number): (item: unknown, index: number) => unknown {
  const get = getter(key);
  if (typeof key !== "function") return get;
  return (item, index) => {
    try {
      return get(item);
    } catch (e) {
      throw itemError(op, key, p, index, item, e);
    }
  };
}

/** Compares two keys for sorting: numbers, strings, bigints and dates in their natural order. */
export function compareKeys(a: unknown, b: unknown): number {
  const x = a instanceof Date ? a.getTime() : a;
  const y = b instanceof Date ? b.getTime() : b;
  return (x as number) < (y as number) ? -1 : (x as number) > (y as number) ? 1 : 0;
}
