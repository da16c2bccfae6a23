/**
 * Building DataFrame graphs: partition-wise layers (task i reads partition
 * i of its inputs) and tree reductions (many partitions -> one value, in
 * rounds of at most SPLIT_EVERY inputs per task, as Dask's split_every).
 *
 * Layer names are `${op}-${token}` with the token over the op's inputs and
 * arguments, so the same expression built twice makes the same keys. Every
 * layer carries `meta` for the UI's Chunks panel: collection "dataframe",
 * npartitions, divisions (null when unknown), columns.
 */
import { Key, LayeredGraph, LazyLayer, Task, builtin, ref, task, tokenize } from "../../graph";
import { Field } from "./chunk";
import type { ColumnUse } from "./prune";

export const SPLIT_EVERY = 8;

export type Division = number | string | null;
export type Divisions = readonly Division[];

export interface FrameMeta {
  readonly npartitions: number;
  readonly divisions: Divisions | null;
  readonly fields: readonly Field[];
}

export function layerMeta(m: FrameMeta): { collection: "dataframe"; npartitions: number; divisions: Divisions | null; columns: string[]; dtypes: string[] } {
  return { collection: "dataframe", npartitions: m.npartitions, divisions: m.divisions, columns: m.fields.map((f) => f.name), dtypes: m.fields.map((f) => f.dtype) };
}

export function layerName(op: string, ...inputs: unknown[]): string {
  return `${op}-${tokenize(op, ...inputs)}`;
}

/** A layer of `n` tasks keyed [name, i], made by `make(i)` when first scheduled. */
export function taskLayer(name: string, op: string, n: number, make: (i: number) => Task, deps: readonly string[], meta?: Record<string, unknown> & { collection: string }): LazyLayer {
  return new LazyLayer(name, op, n, () => {
    const m = new Map<string, Task>();
    for (let i = 0; i < n; i++) m.set(JSON.stringify([name, i]), make(i));
    return m;
  }, [...new Set(deps)], meta);
}

/** A one-task layer keyed by the name itself (a scalar). */
export function singleLayer(name: string, op: string, t: Task, deps: readonly string[]): LazyLayer {
  return new LazyLayer(name, op, 1, () => new Map([[name, t]]), [...new Set(deps)], { collection: "scalar" });
}

export interface Input {
  readonly name: string;
  readonly npartitions: number;
  graph(): LayeredGraph;
}

/** A layer whose task i runs `kernel(partition i of each input, ...args(i))`. */
export function partitionwise(op: string, inputs: readonly Input[], kernel: string, args: (i: number) => unknown[], meta: FrameMeta, token: unknown[], use?: ColumnUse, narrow = false): { name: string; graph: LayeredGraph } {
  const name = layerName(op, inputs.map((x) => x.name), token);
  const n = meta.npartitions;
  const m = use === undefined ? layerMeta(meta) : { ...layerMeta(meta), columnUse: use, ...(narrow ? { narrow } : {}) };
  const layer = taskLayer(name, op, n, (i) => task(builtin(kernel), [...inputs.map((x) => ref([x.name, i])), ...args(i)]), inputs.map((x) => x.name), m);
  return { name, graph: LayeredGraph.from(layer, ...inputs.map((x) => x.graph())) };
}

/**
 * A tree reduction: chunk(i) for every partition, then `combine(list)`
 * rounds of at most SPLIT_EVERY, then `final(list)` once. Returns the key
 * of the final task (a string key: a scalar) or [name, 0].
 */
export function treeReduce(op: string, input: Input, chunk: (partition: Key) => Task, combine: (inputs: unknown[]) => Task, final: (inputs: unknown[]) => Task, token: unknown[], finalMeta?: Record<string, unknown> & { collection: string }, use?: ColumnUse): { key: Key; name: string; graph: LayeredGraph } {
  const tok = tokenize(op, input.name, token);
  const chunkName = `${op}-chunk-${tok}`;
  const layers: LazyLayer[] = [taskLayer(chunkName, `${op}-chunk`, input.npartitions, (i) => chunk([input.name, i]), [input.name], use === undefined ? { collection: "dataframe-reduction" } : { collection: "dataframe-reduction", columnUse: use })];
  let level: Key[] = Array.from({ length: input.npartitions }, (_, i) => [chunkName, i] as Key);
  let prev = chunkName;
  let depth = 0;
  while (level.length > SPLIT_EVERY) {
    const name = `${op}-combine${depth}-${tok}`;
    const groups: Key[][] = [];
    for (let i = 0; i < level.length; i += SPLIT_EVERY) groups.push(level.slice(i, i + SPLIT_EVERY));
    layers.push(taskLayer(name, `${op}-combine`, groups.length, (i) => combine(groups[i]!.map((k) => ref(k))), [prev], { collection: "dataframe-reduction" }));
    level = groups.map((_, i) => [name, i] as Key);
    prev = name;
    depth++;
  }
  const finalName = `${op}-${tok}`;
  const refs = level.map((k) => ref(k));
  const last = finalMeta ? taskLayer(finalName, op, 1, () => final(refs), [prev], finalMeta) : singleLayer(finalName, op, final(refs), [prev]);
  layers.push(last);
  let g = input.graph();
  for (const l of layers) g = LayeredGraph.from(l, g);
  return { key: finalMeta ? [finalName, 0] : finalName, name: finalName, graph: g };
}
