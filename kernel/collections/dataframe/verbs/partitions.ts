/**
 * Partition verbs: mapPartitions (a user function per partition) and
 * repartition (merging neighbouring partitions, or slicing them).
 */
import { Errors } from "../../../errors";
import { builtin, fnArg, LayeredGraph, ref, task } from "../../../graph";
import { toCallable } from "../../../worker/callable";
import { compute } from "../../compute";
import { parseBytes } from "../../../store/bytes";
import { DataFrame } from "../frame";
import { Division, layerMeta, layerName, taskLayer } from "../layers";
import { inferMeta, metaFields, MetaInput, parseMeta } from "../meta";
import { Scalar } from "../scalar";

export interface MapOptions {
  /** The columns fn returns (see meta.ts); inferred from fake data when absent, with a warning. */
  meta?: MetaInput;
  /** Extra arguments passed to fn after the partition. */
  args?: unknown[];
  /** Values fn reads by name (it runs on worker threads). */
  captures?: Record<string, unknown>;
}

export function mapPartitions(df: DataFrame, fn: Function, options: MapOptions): DataFrame {
  if (typeof fn !== "function") throw Errors.badOption("mapPartitions(fn)", fn, "a function of the partition");
  const callable = toCallable(fn, options.captures === undefined ? {} : { captures: options.captures });
  const args = options.args ?? [];
  const meta = options.meta === undefined ? inferMeta(fn, df.fields, args, "mapPartitions") : parseMeta(options.meta);
  const fields = metaFields(meta);
  const fnName = fn.name || "(anonymous)";
  const m = { ...df.meta, fields };
  const name = layerName("map-partitions", df.name, callable, fields, args);
  const layer = taskLayer(name, "map-partitions", df.npartitions, (i) => task(builtin("dataframe.mapPartitions"), [ref([df.name, i]), fnArg(callable), fields, args, fnName, i]), [df.name], layerMeta(m));
  return new DataFrame(name, LayeredGraph.from(layer, df.graph()), m);
}

/** Output partitions as lists of [input, piece, pieces]: a slice of an input, or whole inputs merged. */
function plan(m: number, n: number): [number, number, number][][] {
  if (n <= m) {
    return Array.from({ length: n }, (_, j) => {
      const a = Math.floor((j * m) / n), b = Math.floor(((j + 1) * m) / n);
      return Array.from({ length: b - a }, (_, k) => [a + k, 0, 1] as [number, number, number]);
    });
  }
  const out: [number, number, number][][] = [];
  for (let i = 0; i < m; i++) {
    const pieces = Math.floor(((i + 1) * n) / m) - Math.floor((i * n) / m);
    for (let p = 0; p < pieces; p++) out.push([[i, p, pieces]]);
  }
  return out;
}

function byCount(df: DataFrame, n: number): DataFrame {
  if (!Number.isInteger(n) || n < 1) throw Errors.badOption("repartition option npartitions", n, "a positive integer");
  if (n === df.npartitions) return df;
  const groups = plan(df.npartitions, n);
  let divisions: Division[] | null = null;
  if (df.divisions !== null && n < df.npartitions) divisions = [...groups.map((g) => df.divisions![g[0]![0]]!), df.divisions[df.npartitions]!];
  const meta = { npartitions: n, divisions, fields: df.fields };
  const name = layerName("repartition", df.name, n);
  const layer = taskLayer(name, "repartition", n, (j) => {
    const g = groups[j]!;
    if (g.length === 1 && g[0]![2] > 1) return task(builtin("dataframe.slicePiece"), [ref([df.name, g[0]![0]]), g[0]![1], g[0]![2]]);
    return task(builtin("dataframe.concat"), [g.map(([i]) => ref([df.name, i]))]);
  }, [df.name], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.from(layer, df.graph()), meta, divisions ? df.index : undefined);
}

export function repartition(df: DataFrame, options: { npartitions: number } | { partitionSize: number | string }): DataFrame | Promise<DataFrame> {
  if ("npartitions" in options) return byCount(df, options.npartitions);
  if ("partitionSize" in options) {
    const target = parseBytes(options.partitionSize, "repartition option partitionSize");
    return (async () => {
      const mem = new Scalar<Record<string, number>>(df.memoryUsage().key, df.memoryUsage().graph(), "memoryUsage");
      const [bytes] = await compute([mem]);
      const total = Object.values(bytes as Record<string, number>).reduce((a, b) => a + b, 0);
      return byCount(df, Math.max(1, Math.ceil(total / target)));
    })();
  }
  throw Errors.badOption("repartition(options)", options, "{ npartitions: n } or { partitionSize: \"100MB\" }");
}
