/**
 * Column pruning: a CSV read parses only the columns that something in the
 * computation uses. `readCsv(...)` followed by `groupBy("name").agg({ x:
 * "mean" })` parses name and x and jumps over the rest of each line.
 *
 * Layers say how they use their input's columns in `meta.columnUse`:
 *   { fixed: [...] }              these columns, whatever is asked of the output
 *   { through: [...], set: [...] } the output's needed columns (minus those it
 *                                  sets itself) plus these (filter, assign)
 * A layer without it uses every column. Pass-through layers that say
 * `narrow: true` (filter, assign) also drop the columns nothing below them
 * needs: their kernels get the list to keep as one more argument. A layer whose keys are outputs of
 * the computation needs every column. The pass, run once per computation
 * over all its collections together (optimize/layers.ts), computes what
 * each read must provide and swaps in a read of those columns only, under
 * the same name: every value an output sees is the same, only the
 * intermediate partitions are narrower.
 */
import { builtin, keyName, Layer, LayeredGraph, LazyLayer, task, Task, TaskGraph } from "../../graph";
import { registerLayerPass } from "../../optimize";
import type { Block, ParsePlan } from "../../io/csv/plan";

export type ColumnUse = { readonly fixed: readonly string[] } | { readonly through: readonly string[]; readonly set?: readonly string[] };

const ALL = "all" as const;
type Need = Set<string> | typeof ALL;

export class ReadCsvLayer implements Layer {
  readonly op = "read-csv";
  readonly dependencies: readonly string[] = [];
  readonly size: number;
  private cache: TaskGraph | undefined;
  constructor(readonly name: string, readonly blocks: readonly Block[], readonly plan: ParsePlan, readonly meta: Layer["meta"]) {
    this.size = blocks.length;
  }
  tasks(): TaskGraph {
    if (this.cache === undefined) {
      const m = new Map<string, Task>();
      this.blocks.forEach((b, i) => m.set(JSON.stringify([this.name, i]), task(builtin("io.readCsv"), [b, this.plan])));
      this.cache = m;
    }
    return this.cache;
  }
  /** The same read, parsing only `columns` (a subset of its output). */
  withColumns(columns: ReadonlySet<string>): ReadCsvLayer {
    const output = this.plan.output.filter((i) => columns.has(this.plan.names[i]!));
    const kinds = this.plan.kinds.map((k, i) => (output.includes(i) ? k : "skip"));
    return new ReadCsvLayer(this.name, this.blocks, { ...this.plan, output, kinds }, this.meta);
  }
}

/** The same layer whose kernels get one more argument: the output columns to keep. */
function narrowed(l: Layer, keep: string[]): Layer {
  return new LazyLayer(l.name, l.op, l.size, () => {
    const out = new Map<string, Task>();
    for (const [k, t] of l.tasks()) out.set(k, { fn: t.fn, args: [...t.args, { lit: keep }] });
    return out;
  }, l.dependencies, l.meta);
}

function useOf(layer: Layer): ColumnUse | undefined {
  return layer.meta?.["columnUse"] as ColumnUse | undefined;
}

export function pruneColumns(graph: LayeredGraph, outputs: readonly string[]): LayeredGraph {
  const layers = graph.layers;
  const reads = [...layers.values()].filter((l): l is ReadCsvLayer => l instanceof ReadCsvLayer);
  if (reads.length === 0) return graph;
  const outputLayers = new Set(outputs.map(keyName));
  const dependents = new Map<string, Layer[]>();
  for (const l of layers.values()) for (const d of l.dependencies) {
    let list = dependents.get(d);
    if (list === undefined) dependents.set(d, (list = []));
    list.push(l);
  }
  const memo = new Map<string, Need>();
  const need = (name: string): Need => {
    const known = memo.get(name);
    if (known !== undefined) return known;
    memo.set(name, ALL); // a cycle (there are none) would read everything
    let out: Need = new Set();
    if (outputLayers.has(name)) out = ALL;
    for (const d of dependents.get(name) ?? []) {
      if (out === ALL) break;
      const use = useOf(d);
      if (use === undefined) {
        out = ALL;
        break;
      }
      if ("fixed" in use) for (const c of use.fixed) out.add(c);
      else {
        const below = need(d.name);
        if (below === ALL) {
          out = ALL;
          break;
        }
        for (const c of below) if (!use.set?.includes(c)) out.add(c);
        for (const c of use.through) out.add(c);
      }
    }
    memo.set(name, out);
    return out;
  };
  const replaced: Layer[] = [];
  // Pass-through layers (filter, assign) keep only the columns something below them needs.
  for (const l of layers.values()) {
    const use = useOf(l);
    if (use === undefined || "fixed" in use || !l.meta?.["narrow"]) continue;
    const n = need(l.name);
    if (n === ALL) continue;
    replaced.push(narrowed(l, [...n]));
  }
  for (const r of reads) {
    const n = need(r.name);
    if (n === ALL) continue;
    const have = r.plan.output.map((i) => r.plan.names[i]!);
    if (have.every((c) => n.has(c))) continue;
    replaced.push(r.withColumns(n));
  }
  if (replaced.length === 0) return graph;
  const swap = new Map(replaced.map((l) => [l.name, l]));
  return LayeredGraph.of(...[...layers.values()].map((l) => swap.get(l.name) ?? l));
}

registerLayerPass(pruneColumns);
