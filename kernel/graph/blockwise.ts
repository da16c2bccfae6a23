/**
 * Blockwise layers, as Dask's Blockwise: a layer whose output block
 * (i, j, …) is one task over blocks of its inputs chosen by index letters.
 *
 *   out "ij" = fn(x "ij", y "j", 2)   // y broadcast along i
 *
 * A blockwise layer is described, not listed: its tasks are generated on
 * demand from the description, so an operation over 100,000 blocks costs
 * nothing until it is scheduled, and the optimizer can reason about whole
 * layers (optimize/blockwise.ts fuses chains of them into one task per block).
 *
 * Invariants: every letter of an input's `ind` is a letter of the output's
 * `ind`, except letters whose input dimension has exactly one block (index 0
 * is used: squeezing); an input dimension with one block is read at block 0
 * whatever the output index (broadcasting). `BlockArg`s may nest (`sub`): an
 * inner call evaluated inline inside the outer task (what fusion produces).
 */
import { Callable, Inline, Task, task, ref } from "./task";
import { TaskGraph } from "./graph";
import { Layer, LayerMeta } from "./layers";

/** One argument of a blockwise call. */
export type BlockArg =
  /** A block of layer `name`; `ind` letters name its dimensions, `numblocks` its block grid. */
  | { readonly kind: "block"; readonly name: string; readonly ind: string; readonly numblocks: readonly number[] }
  /** The same literal for every block. */
  | { readonly kind: "lit"; readonly value: unknown }
  /** A literal that depends on the output block's index (chunk shapes, seeds, source slices). */
  | { readonly kind: "perBlock"; readonly value: (index: readonly number[]) => unknown }
  /** A nested call, evaluated inline in the same task. */
  | { readonly kind: "sub"; readonly fn: Callable; readonly args: readonly BlockArg[] }
  /** Every block of `name` along the letters `over` (not in the output), as a list: contractions. */
  | { readonly kind: "blocks"; readonly name: string; readonly ind: string; readonly numblocks: readonly number[]; readonly over: string };

export interface BlockwiseSpec {
  readonly name: string;
  readonly op: string;
  /** Letters of the output dimensions, e.g. "ij". */
  readonly ind: string;
  readonly numblocks: readonly number[];
  readonly fn: Callable;
  readonly args: readonly BlockArg[];
  readonly meta?: LayerMeta;
}

/** Names of the layers a blockwise description reads, in first-use order. */
export function blockArgInputs(args: readonly BlockArg[], out: Set<string> = new Set()): Set<string> {
  for (const a of args) {
    if (a.kind === "block" || a.kind === "blocks") out.add(a.name);
    else if (a.kind === "sub") blockArgInputs(a.args, out);
  }
  return out;
}

export class BlockwiseLayer implements Layer {
  readonly name: string;
  readonly op: string;
  readonly dependencies: readonly string[];
  readonly size: number;
  readonly meta?: LayerMeta;
  private cache: TaskGraph | undefined;

  constructor(readonly spec: BlockwiseSpec) {
    this.name = spec.name;
    this.op = spec.op;
    this.dependencies = [...blockArgInputs(spec.args)];
    this.size = spec.numblocks.reduce((a, b) => a * b, 1);
    if (spec.meta !== undefined) this.meta = spec.meta;
  }

  tasks(): TaskGraph {
    if (this.cache !== undefined) return this.cache;
    const { name, ind, numblocks, fn, args } = this.spec;
    const out = new Map<string, Task>();
    forEachIndex(numblocks, (idx) => {
      out.set(JSON.stringify([name, ...idx]), task(fn, args.map((a) => argValue(a, ind, idx))));
    });
    return (this.cache = out);
  }
}

/** Calls `f` with every index of a grid, in C order (last dimension fastest). */
export function forEachIndex(shape: readonly number[], f: (idx: number[]) => void): void {
  const n = shape.length;
  if (shape.some((s) => s === 0)) return;
  const idx = new Array<number>(n).fill(0);
  for (;;) {
    f(idx.slice());
    let d = n - 1;
    while (d >= 0 && ++idx[d]! === shape[d]!) idx[d--] = 0;
    if (d < 0) return;
  }
}

/** The block index of an input, given the output index: letters map, one-block dimensions read block 0. */
export function inputIndex(outInd: string, outIdx: readonly number[], ind: string, numblocks: readonly number[]): number[] {
  const idx = new Array<number>(ind.length);
  for (let d = 0; d < ind.length; d++) {
    const p = outInd.indexOf(ind[d]!);
    idx[d] = numblocks[d] === 1 || p < 0 ? 0 : outIdx[p]!;
  }
  return idx;
}

function argValue(a: BlockArg, outInd: string, outIdx: readonly number[]): unknown {
  switch (a.kind) {
    case "block":
      return ref([a.name, ...inputIndex(outInd, outIdx, a.ind, a.numblocks)]);
    case "lit":
      return a.value;
    case "perBlock":
      return a.value(outIdx);
    case "sub":
      return new Inline(task(a.fn, a.args.map((x) => argValue(x, outInd, outIdx))));
    case "blocks": {
      // Letters in `over` run through all their blocks; the rest follow the output index.
      const overDims = [...a.over].map((l) => a.numblocks[a.ind.indexOf(l)]!);
      const refs: unknown[] = [];
      forEachIndex(overDims, (o) => {
        const idx = new Array<number>(a.ind.length);
        for (let d = 0; d < a.ind.length; d++) {
          const l = a.ind[d]!;
          const k = a.over.indexOf(l);
          const p = outInd.indexOf(l);
          idx[d] = k >= 0 ? o[k]! : a.numblocks[d] === 1 || p < 0 ? 0 : outIdx[p]!;
        }
        refs.push(ref([a.name, ...idx]));
      });
      return refs;
    }
  }
}
