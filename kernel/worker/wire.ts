/**
 * How arrays of plain objects (bag partitions) cross threads: as msgpack
 * bytes on shared memory instead of structured clones.
 *
 * Why: a partition that goes worker -> store -> worker by structured clone
 * is deserialized and serialized again on the main thread, one partition
 * after another, while msgpack bytes on shared memory pass through it
 * untouched. `npm run bench -- wire` measures it (bench/RESULTS.md) on a
 * partition of 98,189 W4 records (16 MB of JSON lines):
 *
 *                         worker -> main -> worker   main thread, send
 *   structured clone      436-1066 ms                80-190 ms (+ the receive)
 *   msgpack (this file)   173-364 ms                 0-5 ms
 *
 * (10.3 MB of msgpack against 15.6 MB of V8 serialization.) The main
 * thread never parses a partition it does not have to, the store accounts
 * exact byte sizes, and a spilled partition is one flat segment.
 *
 * Opt-in: a worker-side kernel marks a result with `markPackable` (bag
 * kernels mark every partition they return); the worker entry packs marked
 * results that leave the batch, and whoever reads a value (a batch's
 * inputs, the runtime's outputs) unpacks it with `unpackValue`. Values the
 * encoder cannot represent (cycles, functions) travel as structured clones,
 * as before. msgpackr with `moreTypes` round-trips what structured clone
 * does for data (Date, Map, Set, BigInt, typed arrays, RegExp, Error,
 * undefined), except -0 (becomes 0), array holes (become undefined) and
 * null-prototype objects (become plain objects).
 */
import { Packr } from "./msgpack";

/** Tag of a packed value; a plain-data key so that it survives a structured clone. */
const TAG = "tessera.packed";
/** Partitions shorter than this are cheaper to clone than to pack. */
const MIN_ITEMS = 32;

export interface Packed {
  readonly [TAG]: "msgpack";
  /** The encoded value, on a SharedArrayBuffer: it reaches the next worker without a copy. */
  readonly bytes: Uint8Array;
  readonly items: number;
}

// Records: one key list per object shape, not per object; bundled strings:
// one string decode per message. Both are per message, so every message
// decodes on its own in any thread.
const packr = new Packr({ useRecords: true, bundleStrings: true, moreTypes: true });

const packable = new WeakSet<object>();

/** Marks `value` (a partition) as one that may leave its thread as msgpack. */
export function markPackable<T extends object>(value: T): T {
  packable.add(value);
  return value;
}

export function isPacked(value: unknown): value is Packed {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[TAG] === "msgpack";
}

/** The packed form of a marked array, or the value itself. */
export function packValue(value: unknown): unknown {
  if (!Array.isArray(value) || value.length < MIN_ITEMS || !packable.has(value)) return value;
  let encoded: Uint8Array;
  try {
    encoded = packr.pack(value);
  } catch {
    return value; // cycles, functions, symbols: structured clone says what is wrong
  }
  const bytes = new Uint8Array(new SharedArrayBuffer(encoded.byteLength));
  bytes.set(encoded);
  const out: Packed = { [TAG]: "msgpack", bytes, items: value.length };
  return out;
}

/** The value a packed value stands for (marked again, so it can travel on packed); anything else as it is. */
export function unpackValue(value: unknown): unknown {
  if (!isPacked(value)) return value;
  const b = value.bytes;
  const decoded = packr.unpack(Buffer.from(b.buffer, b.byteOffset, b.byteLength)) as unknown[];
  return markPackable(decoded);
}
