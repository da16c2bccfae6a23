/**
 * Layer-level passes: rewrites of a whole layered graph that need to see
 * every collection computed together before any task exists (DataFrame
 * column pruning: a CSV read parses only the columns some output needs).
 *
 * Collections register their passes when they load; the runtime runs them
 * all, in registration order, on the graph of each computation. A pass
 * returns the graph itself when it has nothing to change, and must never
 * change what the output keys compute — only how.
 */
import { LayeredGraph } from "../graph";

export type LayerPass = (graph: LayeredGraph, outputs: readonly string[]) => LayeredGraph;

const passes: LayerPass[] = [];

export function registerLayerPass(pass: LayerPass): void {
  if (!passes.includes(pass)) passes.push(pass);
}

export function optimizeLayers(graph: LayeredGraph, outputs: readonly string[]): LayeredGraph {
  let g = graph;
  for (const p of passes) g = p(g, outputs);
  return g;
}
