/**
 * Worker-side kernels of the item-wise bag operations: map, starmap,
 * filter, pluck, flatten (lazy steps, see chunk-lazy.ts), mapPartitions,
 * and making partitions.
 */
import { Errors, preview } from "../../errors";
import { partition, toArray as iterableToArray } from "./chunk-items";
import { Extra, LazyPartition, Part, addStep, toArray } from "./chunk-lazy";

export type { Extra };

type Fn = (...args: unknown[]) => unknown;

export function map(fn: Fn, part: Part, p: number, extras: readonly Extra[] = []): LazyPartition {
  return addStep(part, { kind: "map", fn, p, extras });
}

export function starmap(fn: Fn, part: Part, p: number, extras: readonly Extra[] = []): LazyPartition {
  return addStep(part, { kind: "starmap", fn, p, extras });
}

/** Items for which `fn` is truthy (`keep`) or falsy (remove). */
export function filter(fn: Fn, part: Part, p: number, keep: boolean): LazyPartition {
  return addStep(part, { kind: "filter", fn, p, keep });
}

/** One key of each item, or a tuple of several keys; `hasDefault` says whether a missing key gives `dflt` or fails. */
export function pluck(part: Part, p: number, key: string | number | readonly (string | number)[], hasDefault: boolean, dflt: unknown): LazyPartition {
  return addStep(part, { kind: "pluck", p, key, hasDefault, dflt });
}

/** The items of every item (arrays, strings, sets … anything iterable). */
export function flatten(part: Part, p: number): LazyPartition {
  return addStep(part, { kind: "flatten", p });
}

/** `fn` on the whole partition (an array); it returns an array or any iterable, or a promise of one. */
export function mapPartitions(fn: Fn, part: Part, p: number, extras: readonly Extra[] = []): unknown[] | Promise<unknown[]> {
  const items = toArray(part);
  const name = fn.name || "(anonymous)";
  const failed = (e: unknown) => Errors.badInput(`mapPartitions(${name}) failed on partition ${p} (${items.length} items): ${e instanceof Error ? `${e.name}: ${e.message}` : preview(e)}`);
  const done = (result: unknown) => {
    const out = iterableToArray(result, `mapPartitions: what ${fn.name || "the function"} returned for partition ${p}`);
    return partition(out === items ? out.slice() : out);
  };
  let result: unknown;
  try {
    result = fn(items, ...extras.map(([kind, v]) => (kind === 1 ? toArray(v as Part) : v)));
  } catch (e) {
    throw failed(e);
  }
  if (result !== null && typeof result === "object" && typeof (result as PromiseLike<unknown>).then === "function") {
    return Promise.resolve(result).then(done, (e: unknown) => Promise.reject(failed(e)));
  }
  return done(result);
}

/** Integers start, start+1, …, stop-1. */
export function range(start: number, stop: number): number[] {
  const out = new Array<number>(Math.max(0, stop - start));
  for (let i = start; i < stop; i++) out[i - start] = i;
  return partition(out);
}

/** A value that must be a partition: an array or another iterable (fromSequence, fromDelayed). */
export function items(value: unknown, what: string): unknown[] {
  return partition(iterableToArray(value, what).slice());
}
