/**
 * Lazy partitions: "these items, then map f, then filter g, then pluck k".
 *
 * Item-wise kernels (map, filter, pluck, flatten, starmap) do no work: they
 * return a LazyPartition with one more step. The consumer — a reduction's
 * partial, a shuffle's split, or the engine storing the task's result
 * (worker/lazy.ts) — pushes each item through all the steps at once. When
 * readText -> map(JSON.parse) -> filter -> pluck -> frequencies is fused into
 * one task, each parsed record is garbage as soon as it has been counted:
 * no array of 100,000 records is built, kept alive, and copied by the GC.
 *
 * Each step counts the items it sees, so an error names the item's index
 * in the step's input; the first step over lines read from a file also
 * names the file and line.
 */
import { Errors, preview } from "../../errors";
import { MATERIALIZE } from "../../worker/lazy";
import { itemError, partition } from "./chunk-items";

type Fn = (...args: unknown[]) => unknown;
type Sink = (x: unknown) => void;

/** Extra arguments of map and starmap: [0, value] passed as is; [1, partition] zipped item by item. */
export type Extra = readonly [0 | 1, unknown];

export type Step =
  | { kind: "map" | "starmap"; fn: Fn; p: number; extras: readonly Extra[] }
  | { kind: "filter"; fn: Fn; p: number; keep: boolean }
  | { kind: "pluck"; p: number; key: string | number | readonly (string | number)[]; hasDefault: boolean; dflt: unknown }
  | { kind: "flatten"; p: number };

/** Thrown by a sink to stop early (take); passes through every step untouched. */
export const STOP = Symbol("stop");

export class LazyPartition {
  constructor(
    readonly base: unknown[],
    readonly steps: readonly Step[],
  ) {}

  [MATERIALIZE](): unknown[] {
    return toArray(this);
  }
}

export type Part = unknown[] | LazyPartition;

/** `part` with one more step. */
export function addStep(part: Part, step: Step): LazyPartition {
  return part instanceof LazyPartition ? new LazyPartition(part.base, [...part.steps, step]) : new LazyPartition(part, [step]);
}

/** Pushes every item of `part` into `sink`, in order. A sink may throw STOP to end early. */
export function each(part: Part, sink: Sink): void {
  if (!(part instanceof LazyPartition)) {
    for (let i = 0; i < part.length; i++) sink(part[i]);
    return;
  }
  let s = sink;
  const finals: (() => void)[] = [];
  for (let k = part.steps.length - 1; k >= 0; k--) s = stage(part.steps[k]!, s, k === 0 ? part.base : undefined, finals);
  const base = part.base;
  try {
    for (let i = 0; i < base.length; i++) s(base[i]);
  } catch (e) {
    if (e !== STOP) throw e;
    return;
  }
  for (const f of finals) f();
}

export function toArray(part: Part): unknown[] {
  if (!(part instanceof LazyPartition)) return part;
  const out: unknown[] = [];
  each(part, (x) => void out.push(x));
  return partition(out);
}

/** A sink that applies `step`, then passes results on to `next`. `source` is set for the first step (for file/line in errors). */
function stage(step: Step, next: Sink, source: unknown[] | undefined, finals: (() => void)[]): Sink {
  let i = 0;
  switch (step.kind) {
    case "map":
    case "starmap": {
      const { fn, p, extras } = step;
      const op = step.kind;
      const star = op === "starmap";
      const zipped = extras.filter(([k]) => k === 1).map(([, v]) => toArray(v as Part));
      if (zipped.length > 0) {
        finals.push(() => {
          for (const z of zipped) if (z.length !== i) throw Errors.badInput(`${op}: partition ${p} has ${i} items but the bag zipped with it has ${z.length} there; bags mapped together must have partitions of equal lengths`);
        });
      }
      const extraAt = (n: number): unknown[] => {
        let z = 0;
        return extras.map(([kind, v]) => (kind === 1 ? zipped[z++]![n] : v));
      };
      return (x) => {
        let y: unknown;
        try {
          if (star) {
            if (!Array.isArray(x)) throw Errors.badInput(`starmap needs items that are arrays of arguments, got ${preview(x)} (use map for single values)`);
            y = extras.length === 0 ? fn(...x) : fn(...x, ...extraAt(i));
          } else y = extras.length === 0 ? fn(x) : fn(x, ...extraAt(i));
        } catch (e) {
          throw itemError(op, fn, p, i, x, e, source);
        }
        if (y !== null && typeof y === "object" && typeof (y as PromiseLike<unknown>).then === "function") {
          throw Errors.badInput(
            `${op}(${fn.name || "(anonymous)"}) returned a promise for item ${i} of partition ${p}: item functions must return values (for async work, use mapPartitions(async (part) => Promise.all(part.map(fn))))`,
          );
        }
        i++;
        next(y);
      };
    }
    case "filter": {
      const { fn, p, keep } = step;
      return (x) => {
        let t: unknown;
        try {
          t = fn(x);
        } catch (e) {
          throw itemError(keep ? "filter" : "remove", fn, p, i, x, e, source);
        }
        i++;
        if (Boolean(t) === keep) next(x);
      };
    }
    case "pluck": {
      const { key, p, hasDefault, dflt } = step;
      const get = (item: unknown, k: string | number): unknown => {
        if (item !== null && typeof item === "object" && k in (item as object)) return (item as Record<string | number, unknown>)[k];
        if (typeof item === "string" && typeof k === "number" && k < item.length) return item[k];
        if (hasDefault) return dflt;
        throw Errors.badInput(
          `pluck(${JSON.stringify(k)}): item ${i} of partition ${p} has no key ${JSON.stringify(k)}: ${preview(item)} (pass a default for missing keys: .pluck(${JSON.stringify(k)}, null))`,
        );
      };
      if (Array.isArray(key)) return (x) => { next(key.map((k) => get(x, k))); i++; };
      const k = key as string | number;
      return (x) => {
        // The common case first: a plain property that is there.
        const v = x !== null && typeof x === "object" ? (x as Record<string | number, unknown>)[k] : undefined;
        next(v !== undefined ? v : get(x, k));
        i++;
      };
    }
    case "flatten": {
      const { p } = step;
      return (x) => {
        if (Array.isArray(x)) for (let j = 0; j < x.length; j++) next(x[j]);
        else if (x !== null && x !== undefined && typeof (x as Iterable<unknown>)[Symbol.iterator] === "function") for (const y of x as Iterable<unknown>) next(y);
        else throw Errors.badInput(`flatten: item ${i} of partition ${p} is not iterable: ${preview(x)} (flatten needs items that are arrays)`);
        i++;
      };
    }
  }
}
