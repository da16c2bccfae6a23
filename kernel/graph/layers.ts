/**
 * Layered graphs, as Dask's HighLevelGraph: one layer per operation.
 *
 * Collections keep their work as layers so that the UI can draw a graph of
 * operations (a few nodes) for a computation of 100,000 tasks, and so that
 * layer-level optimizations (blockwise fusion) can run before any task
 * exists. A layer turns into tasks only when it is scheduled (`tasks()`).
 *
 * Invariants: layer names are unique and deterministic (they come from
 * tokens, so the same layer built twice has the same name and the same
 * tasks); every key a layer's tasks produce belongs to that layer alone;
 * a layer's `dependencies` name every layer whose keys its tasks read.
 */
import { keyName } from "./key";
import { Task } from "./task";
import { TaskGraph } from "./graph";

/** What the UI shows about a layer's output: which collection, how it is cut. */
export interface LayerMeta {
  /** "array" | "dataframe" | "bag" | "delayed" | … */
  readonly collection: string;
  /** Array: chunk sizes per dimension. */
  readonly chunks?: readonly (readonly number[])[];
  /** DataFrame / Bag: number of partitions. */
  readonly npartitions?: number;
  readonly [extra: string]: unknown;
}

export interface Layer {
  /** Unique name; the name part of every key the layer produces. */
  readonly name: string;
  /** The operation, for labels ("add", "sum-aggregate", "read-csv"). */
  readonly op: string;
  /** Names of the layers this one reads from. */
  readonly dependencies: readonly string[];
  /** Number of tasks, known without materialising them. */
  readonly size: number;
  readonly meta?: LayerMeta;
  /** The layer's tasks (implementations cache them). */
  tasks(): TaskGraph;
}

/** A layer whose tasks already exist. */
export class MaterializedLayer implements Layer {
  readonly size: number;
  constructor(
    readonly name: string,
    readonly op: string,
    private readonly graph: TaskGraph,
    readonly dependencies: readonly string[] = [],
    readonly meta?: LayerMeta,
  ) {
    this.size = graph.size;
  }
  tasks(): TaskGraph {
    return this.graph;
  }
}

/** A layer whose tasks are generated on first use. */
export class LazyLayer implements Layer {
  private cache: TaskGraph | undefined;
  constructor(
    readonly name: string,
    readonly op: string,
    readonly size: number,
    private readonly generate: () => TaskGraph,
    readonly dependencies: readonly string[] = [],
    readonly meta?: LayerMeta,
  ) {}
  tasks(): TaskGraph {
    return (this.cache ??= this.generate());
  }
}

/**
 * An immutable graph of layers. Building is O(1) per operation: a graph is
 * its own top layers plus references to its input graphs, so a chain of
 * 100,000 delayed calls never copies a layer map; the flat map of layers is
 * made once, on first use, by one walk over the structure.
 */
export class LayeredGraph {
  private flat: Map<string, Layer> | undefined;

  private constructor(
    private readonly top: readonly Layer[],
    private readonly inputs: readonly LayeredGraph[],
  ) {}

  static empty(): LayeredGraph {
    return new LayeredGraph([], []);
  }

  /** A graph of the given layers alone. */
  static of(...layers: Layer[]): LayeredGraph {
    return new LayeredGraph(layers, []);
  }

  /** The union of several graphs (layers with the same name are the same layer). */
  static merge(...graphs: LayeredGraph[]): LayeredGraph {
    if (graphs.length === 1) return graphs[0]!;
    return new LayeredGraph([], graphs);
  }

  /** A graph with `layer` on top of `inputs`. */
  static from(layer: Layer, ...inputs: LayeredGraph[]): LayeredGraph {
    return new LayeredGraph([layer], inputs);
  }

  /** Every layer, by name. */
  get layers(): ReadonlyMap<string, Layer> {
    if (this.flat === undefined) {
      const out = new Map<string, Layer>();
      const seen = new Set<LayeredGraph>();
      const stack: LayeredGraph[] = [this];
      while (stack.length > 0) {
        const g = stack.pop()!;
        if (seen.has(g)) continue;
        seen.add(g);
        if (g.flat !== undefined && g !== this) {
          for (const [n, l] of g.flat) if (!out.has(n)) out.set(n, l);
          continue;
        }
        for (const l of g.top) if (!out.has(l.name)) out.set(l.name, l);
        for (const i of g.inputs) stack.push(i);
      }
      this.flat = out;
    }
    return this.flat;
  }

  get taskCount(): number {
    let n = 0;
    for (const l of this.layers.values()) n += l.size;
    return n;
  }

  /** The layers needed to compute the given layers (themselves included). */
  cullLayers(names: Iterable<string>): LayeredGraph {
    const all = this.layers;
    const keep: Layer[] = [];
    const seen = new Set<string>();
    const stack = [...names];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (seen.has(n)) continue;
      seen.add(n);
      const l = all.get(n);
      if (l === undefined) continue;
      keep.push(l);
      stack.push(...l.dependencies);
    }
    return LayeredGraph.of(...keep);
  }

  /** Every task of every layer, as one task graph. */
  materialize(): Map<string, Task> {
    const out = new Map<string, Task>();
    for (const l of this.layers.values()) for (const [k, t] of l.tasks()) out.set(k, t);
    return out;
  }

  /** The layer that produces `key` (by the key's name part). */
  layerOf(key: string): Layer | undefined {
    return this.layers.get(keyName(key));
  }
}
