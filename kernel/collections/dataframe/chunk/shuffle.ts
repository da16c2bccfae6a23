/**
 * Worker side of the shuffle (the graph is built in ../shuffle.ts).
 *
 * Every row has a destination partition o in [0, nout): by hash of its
 * keys, or by range of one column against sorted boundaries. A split task
 * cuts its input into `mod` pieces by one digit of o, sel(o) =
 * floor(o / div) % mod, and returns them together as one value; concat
 * tasks pick their piece out of several such values. One stage uses
 * div = 1, mod = nout; two stages use the high digit, then the low one.
 */
import { asFloat } from "./evaluate";
import { hashRows } from "./hash";
import { column, concatParts, Part, takeRows } from "./part";
import { isNull, stringValues } from "./column";

export type Partitioner =
  | { readonly kind: "hash"; readonly keys: readonly string[] }
  | { readonly kind: "range"; readonly col: string; readonly boundaries: readonly (number | string)[]; readonly descending?: boolean };

export interface Pieces {
  readonly pieces: Part[];
}

/** Destination of every row. */
export function destinations(p: Part, by: Partitioner, nout: number): Int32Array {
  const out = new Int32Array(p.numRows);
  if (by.kind === "hash") {
    const h = hashRows(p, by.keys);
    for (let i = 0; i < out.length; i++) out[i] = h[i]! % nout;
    return out;
  }
  const c = column(p, by.col), b = by.boundaries;
  const v: ArrayLike<number | string | null> = c.dtype === "string" ? stringValues(c) : asFloat(c);
  for (let i = 0; i < out.length; i++) {
    const x = v[i]!;
    if (x === null || x !== x || isNull(c, i)) {
      out[i] = by.descending ? 0 : nout - 1;
      continue;
    }
    // bisect_right over the boundaries: partition k holds [b[k-1], b[k]).
    let lo = 0, hi = b.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (b[mid]! <= x) lo = mid + 1;
      else hi = mid;
    }
    out[i] = by.descending ? nout - 1 - lo : lo;
  }
  return out;
}

export function split(p: Part, by: Partitioner, nout: number, div: number, mod: number): Pieces {
  const dest = destinations(p, by, nout);
  const counts = new Int32Array(mod);
  let sel = dest;
  if (div === 1 && mod === nout) for (let i = 0; i < dest.length; i++) counts[dest[i]!]!++;
  else {
    sel = new Int32Array(dest.length);
    for (let i = 0; i < dest.length; i++) counts[(sel[i] = Math.floor(dest[i]! / div) % mod)]!++;
  }
  const idx = Array.from(counts, (c) => new Int32Array(c));
  const fill = new Int32Array(mod);
  for (let i = 0; i < sel.length; i++) idx[sel[i]!]![fill[sel[i]!]!++] = i;
  return { pieces: idx.map((ix) => takeRows(p, ix)) };
}

export function concatPieces(inputs: readonly Pieces[], pick: number): Part {
  return concatParts(inputs.map((x) => x.pieces[pick]!));
}

/** The middle of a two-stage shuffle: gather, then cut again by the next digit. */
export function regroup(inputs: readonly Pieces[], pick: number, by: Partitioner, nout: number, div: number, mod: number): Pieces {
  return split(concatPieces(inputs, pick), by, nout, div, mod);
}
