/**
 * Rechunking, planned so that no task holds much more than a chunk.
 *
 * A direct rechunk makes each new chunk from the pieces of the old chunks
 * it overlaps. When new chunks are thin across old chunks that are thick
 * (cutting rows into columns), a task would receive many whole old chunks
 * to keep a sliver of each; then the plan goes through an intermediate
 * layout, in two stages: first split the old chunks along the dimensions
 * where the new chunks are finer (every intermediate chunk is a piece of
 * one old chunk), then merge along the others (every new chunk is built from
 * intermediate pieces that are already thin). Each task's input stays within
 * a few chunks' worth of memory; `plan()` is exported so tests check it.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, ref, task } from "../../graph";
import { ChunkSpec, Chunks, normalizeChunks, offsets, refine, requireKnown, sameChunks } from "./chunks";
import { dtypeInfo } from "./dtype";
import { arrayMeta, fromLayer, layerName } from "./core";
import { forEachIndex } from "../../graph/blockwise";
import type { TArray } from "./array";

/** For one dimension: for each new chunk, the old chunks it takes pieces of: [old index, start in old, length, at in new]. */
function overlaps(old: readonly number[], neu: readonly number[]): [number, number, number, number][][] {
  const oo = offsets(old), no = offsets(neu);
  const out: [number, number, number, number][][] = [];
  let i = 0;
  for (let j = 0; j < neu.length; j++) {
    const [lo, hi] = [no[j]!, no[j + 1]!];
    const list: [number, number, number, number][] = [];
    while (i < old.length && oo[i + 1]! <= lo && !(old[i] === 0 && oo[i] === lo)) i++;
    for (let k = i; k < old.length && oo[k]! < hi; k++) {
      const s = Math.max(lo, oo[k]!), e = Math.min(hi, oo[k + 1]!);
      if (e > s) list.push([k, s - oo[k]!, e - s, s - lo]);
    }
    if (list.length === 0) list.push([Math.min(i, old.length - 1), 0, 0, 0]);
    out.push(list);
  }
  return out;
}

/** Largest number of bytes a direct rechunk task receives (whole old chunks it touches). */
function directInputBytes(old: Chunks, neu: Chunks, itemsize: number): number {
  let total = itemsize;
  for (let d = 0; d < old.length; d++) {
    let worst = 0;
    for (const list of overlaps(old[d]!, neu[d]!)) worst = Math.max(worst, list.reduce((s, [k]) => s + old[d]![k]!, 0));
    total *= worst;
  }
  return total;
}

const maxChunkBytes = (c: Chunks, itemsize: number) => c.reduce((p, s) => p * Math.max(0, ...s), itemsize);

/** The layouts a rechunk goes through, old and new included. */
export function plan(old: Chunks, neu: Chunks, itemsize: number): Chunks[] {
  const bound = 4 * Math.max(maxChunkBytes(old, itemsize), maxChunkBytes(neu, itemsize));
  if (directInputBytes(old, neu, itemsize) <= bound) return [old, neu];
  const mid = old.map((o, d) => {
    const n = neu[d]!;
    const finer = Math.max(...n) < Math.max(...o);
    return finer ? refine(o, n) : [...o];
  });
  if (sameChunks(mid, old) || sameChunks(mid, neu)) return [old, neu];
  return [old, mid, neu];
}

/**
 * The same array cut into other chunks.
 * @example x.rechunk([1000, 1000])
 * @example x.rechunk("auto")
 */
export function rechunk(x: TArray, spec: ChunkSpec): TArray {
  requireKnown(x.chunks, "rechunk");
  const itemsize = dtypeInfo(x.dtype).itemsize;
  const target = normalizeChunks(spec, x.shape, itemsize);
  if (sameChunks(target, x.chunks)) return x;
  const stages = plan(x.chunks, target, itemsize);
  let cur = x;
  for (let s = 1; s < stages.length; s++) cur = direct(cur, stages[s]!, s === stages.length - 1 ? "rechunk-merge" : "rechunk-split");
  return cur;
}

function direct(x: TArray, neu: Chunks, op: string): TArray {
  if (neu.length !== x.ndim) throw Errors.badInput(`internal: rechunk to ${neu.length} dimensions of a ${x.ndim}-d array`);
  const per = x.chunks.map((o, d) => overlaps(o, neu[d]!));
  const name = layerName(op, x.name, neu);
  const nb = neu.map((c) => c.length);
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex(nb, (idx) => {
      const lists = idx.map((j, d) => per[d]![j]!);
      const pieces: unknown[] = [];
      forEachIndex(lists.map((l) => l.length), (pick) => {
        const parts = pick.map((p, d) => lists[d]![p]!);
        pieces.push({ src: ref([x.name, ...parts.map((p) => p[0])]), start: parts.map((p) => p[1]), shape: parts.map((p) => p[2]), at: parts.map((p) => p[3]) });
      });
      out.set(JSON.stringify([name, ...idx]), task(builtin("array.assemble"), [x.dtype, idx.map((j, d) => neu[d]![j]!), pieces]));
    });
    return out;
  };
  const layer = new LazyLayer(name, op, nb.reduce((a, b) => a * b, 1), generate, [x.name], arrayMeta(neu, x.dtype));
  return fromLayer(layer, neu, x.dtype, [x]);
}

export { offsets };
