/**
 * Keys name tasks and their results.
 *
 * A key is a non-empty string ("sum-1f3a") or a tuple whose first element is a
 * name and the rest integer indices (["add-9f2c", 3, 1]: block (3, 1) of the
 * layer "add-9f2c"). Inside the engine every key travels as its string form,
 * `keyStr(key)`: strings stay as they are, tuples become their JSON text. A
 * string key may therefore not start with "[", so the two forms never collide.
 */
import { Errors } from "../errors";

export type KeyTuple = readonly [string, ...number[]];
export type Key = string | KeyTuple;

export function isKey(value: unknown): value is Key {
  if (typeof value === "string") return value.length > 0 && value[0] !== "[";
  if (!Array.isArray(value) || value.length === 0) return false;
  if (typeof value[0] !== "string" || value[0].length === 0) return false;
  for (let i = 1; i < value.length; i++) if (!Number.isInteger(value[i])) return false;
  return true;
}

/** The string form of a key, used in every map, message and event. */
export function keyStr(key: Key): string {
  if (typeof key === "string") {
    if (key.length === 0 || key[0] === "[") throw Errors.badKey(key);
    return key;
  }
  if (!isKey(key)) throw Errors.badKey(key);
  return JSON.stringify(key);
}

/** Inverse of `keyStr`. */
export function parseKey(s: string): Key {
  if (s[0] !== "[") return s;
  const k = JSON.parse(s) as unknown;
  if (!isKey(k)) throw Errors.badKey(s);
  return k;
}

/** The name part of a key: the string itself, or a tuple's first element. */
export function keyName(s: string): string {
  if (s[0] !== "[") return s;
  // Fast path for the common case, a name without escapes: ["name",1,2]
  const end = s.indexOf('"', 2);
  if (end > 2 && s.charCodeAt(1) === 34 && s.lastIndexOf("\\", end) < 0) return s.slice(2, end);
  return (JSON.parse(s) as KeyTuple)[0];
}

/** The block indices of a tuple key ([] for a string key). */
export function keyIndices(s: string): number[] {
  if (s[0] !== "[") return [];
  return (JSON.parse(s) as KeyTuple).slice(1) as number[];
}

/**
 * A readable label for a key, as Dask's `key_split`: the name without its
 * token (a final "-" and 8 or more lowercase hex digits).
 * "add-9f2c0b1de4" -> "add", ["sum-aggregate-77aa01bc", 0] -> "sum-aggregate".
 */
export function keyLabel(s: string): string {
  const name = keyName(s);
  // A scan rather than a regular expression: the dashboard labels every task that runs.
  const dash = name.lastIndexOf("-");
  if (dash < 0 || name.length - dash - 1 < 8) return name;
  for (let i = dash + 1; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return name;
  }
  return name.slice(0, dash);
}
