/**
 * A lazy single value: what reductions return (`ddf.col("y").mean()`,
 * `ddf.numRows()`). `await s.compute()` gives the value.
 */
import { Key, LayeredGraph } from "../../graph";
import { Collection } from "../base";
import { infoTable } from "../repr";

export class Scalar<T = unknown> extends Collection<T> {
  /** @internal built by reductions */
  constructor(
    readonly key: string,
    private readonly g: LayeredGraph,
    private readonly what: string,
    private readonly convert: (v: unknown) => T = (v) => v as T,
  ) {
    super();
  }

  graph(): LayeredGraph {
    return this.g;
  }

  keys(): Key[] {
    return [this.key];
  }

  finalize(results: unknown[]): T {
    return this.convert(results[0]);
  }

  withGraph(graph: LayeredGraph): this {
    return new Scalar<T>(this.key, graph, this.what, this.convert) as this;
  }

  reprText(): string {
    return `Scalar<${this.what}>('${this.key}'): ${this.g.layers.size} layers, ${this.g.taskCount} tasks`;
  }

  override reprHtml(): string {
    return infoTable(`Scalar<${this.what}>`, [["key", this.key], ["layers", String(this.g.layers.size)], ["tasks", String(this.g.taskCount)]]);
  }
}
