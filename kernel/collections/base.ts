/**
 * The one protocol every collection implements (Array, Bag, DataFrame,
 * Delayed), as Dask's collection protocol:
 *   graph()            its layered task graph;
 *   keys()             the keys of its output chunks, in finalize's order;
 *   finalize(results)  turns the chunk values into the user's result;
 *   withGraph(graph)   the same collection over another graph (persist).
 * `compute`, `persist` and `visualize` are free functions (compute.ts) that
 * also exist as methods here.
 */
import { inspect } from "node:util";
import { Key, LayeredGraph, TOKENIZE, keyStr } from "../graph";
import { MIMEBUNDLE, MimeBundle, escapeHtml } from "./repr";
import type { ComputeOptions, GraphView, VisualizeOptions } from "./compute";
import { compute, persist, visualize } from "./compute";

export abstract class Collection<R = unknown> {
  /** The layered task graph that computes this collection. */
  abstract graph(): LayeredGraph;
  /** Keys of the output chunks, in the order `finalize` expects their values. */
  abstract keys(): Key[];
  /** The user-facing result from the output chunks' values. */
  abstract finalize(results: unknown[]): R;
  /** The same collection (same keys and metadata) over another graph. */
  abstract withGraph(graph: LayeredGraph): this;

  /** The graph's layers, one per operation. */
  layers(): ReadonlyMap<string, import("../graph").Layer> {
    return this.graph().layers;
  }

  /** The keys in their string form. */
  keyStrings(): string[] {
    return this.keys().map(keyStr);
  }

  /**
   * Computes this collection and resolves with its result.
   * @example await x.sum().compute()
   * @example await d.compute({ scheduler: "sync" })
   */
  compute(options?: ComputeOptions): Promise<R> {
    return compute([this], options).then((r) => r[0] as R);
  }

  /**
   * Computes the chunks and keeps them in the cluster's memory; resolves with
   * the same collection reading from there, so later computations start from
   * the stored chunks.
   * @example const y = await x.add(1).persist(); await y.sum().compute()
   */
  persist(options?: ComputeOptions): Promise<this> {
    return persist([this], options).then((r) => r[0] as this);
  }

  /**
   * The layer graph (or, with `{ tasks: true }`, the task graph) as data.
   * @example x.add(1).sum().visualize().layers.length
   */
  visualize(options?: VisualizeOptions): GraphView {
    return visualize(this, options);
  }

  /** A one-paragraph text description (the console and text-only notebooks show it). */
  abstract reprText(): string;

  /** The notebook display; collections override it with tables and chunk drawings. */
  reprHtml(): string {
    return `<pre>${escapeHtml(this.reprText())}</pre>`;
  }

  /** What a notebook shows when a cell's last value is this collection. */
  [MIMEBUNDLE](): MimeBundle {
    return { "text/plain": this.reprText(), "text/html": this.reprHtml() };
  }

  [inspect.custom](): string {
    return this.reprText();
  }

  /** Same collection, same token: keys already say everything about it. */
  [TOKENIZE](): string {
    return this.keyStrings().join(",");
  }
}

export function isCollection(value: unknown): value is Collection<unknown> {
  return value instanceof Collection;
}
