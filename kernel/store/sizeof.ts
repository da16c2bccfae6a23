/**
 * How many bytes a chunk holds, for the store's accounting (managed memory).
 *
 * Exact for typed arrays and buffers, which are what large chunks are; an
 * estimate for plain values (V8's object layout is not observable). Other
 * modules teach it their types with `registerSizeof` (the DataFrame module
 * registers Arrow tables), so the store never imports a collection.
 */

type Sizer = (value: object) => number | undefined;
const sizers: Sizer[] = [];

/** Adds a rule; it returns a size for values it knows, undefined otherwise. */
export function registerSizeof(sizer: Sizer): void {
  sizers.push(sizer);
}

const OBJECT_OVERHEAD = 16;
const SAMPLE = 64; // large arrays: measure this many items and extrapolate

export function sizeof(value: unknown, depth = 0): number {
  switch (typeof value) {
    case "number":
    case "boolean":
    case "undefined":
      return 8;
    case "bigint":
      return 16;
    case "string":
      return 16 + value.length * 2;
    case "symbol":
    case "function":
      return 32;
  }
  if (value === null) return 8;
  if (ArrayBuffer.isView(value)) return value.byteLength + 64;
  if (value instanceof ArrayBuffer || value instanceof SharedArrayBuffer) return value.byteLength + 64;
  for (const s of sizers) {
    const n = s(value as object);
    if (n !== undefined) return n;
  }
  if (depth > 8) return OBJECT_OVERHEAD;
  if (Array.isArray(value)) return OBJECT_OVERHEAD + sampleItems(value, depth);
  if (value instanceof Map) return OBJECT_OVERHEAD + sampleItems([...value.keys(), ...value.values()], depth);
  if (value instanceof Set) return OBJECT_OVERHEAD + sampleItems([...value], depth);
  let n = OBJECT_OVERHEAD;
  for (const k in value as object) n += 8 + k.length + sizeof((value as Record<string, unknown>)[k], depth + 1);
  return n;
}

function sampleItems(items: readonly unknown[], depth: number): number {
  const len = items.length;
  if (len <= SAMPLE) {
    let n = 8 * len;
    for (const x of items) n += sizeof(x, depth + 1);
    return n;
  }
  let s = 0;
  const step = len / SAMPLE;
  for (let i = 0; i < SAMPLE; i++) s += sizeof(items[Math.floor(i * step)], depth + 1);
  return 8 * len + Math.round((s / SAMPLE) * len);
}
