/**
 * groupBy().apply and .transform: a hash shuffle on the keys (../shuffle.ts)
 * so that each group lives in one partition, then one task per partition
 * that calls the user function per group (chunk/apply.ts) and checks each
 * result against the meta.
 */
import { Errors } from "../../../errors";
import { builtin, fnArg, ref, task } from "../../../graph";
import { toCallable } from "../../../worker/callable";
import { ApplyMeta, Field } from "../chunk";
import { DataFrame } from "../frame";
import { layerName, layerMeta, partitionwise, taskLayer } from "../layers";
import { inferMeta, metaFields, MetaInput, parseMeta } from "../meta";
import { shuffle } from "../shuffle";
import type { GroupBy } from "./groupby";
import { LayeredGraph } from "../../../graph";

export interface ApplyOptions {
  /** What fn returns (see meta.ts); inferred from fake data when absent, with a warning. */
  meta?: MetaInput;
  /** Extra arguments passed to fn after the group. */
  args?: unknown[];
  /** Values fn reads by name (it runs on worker threads). */
  captures?: Record<string, unknown>;
  /** Partitions after the shuffle (default: as many as the input). */
  npartitions?: number;
}

export interface TransformOptions extends ApplyOptions {
  meta?: Record<string, string>;
}

function prepare(gb: GroupBy, fn: Function, options: ApplyOptions, what: string, shuffleInput = true) {
  if (typeof fn !== "function") throw Errors.badOption(`${what}(fn)`, fn, "a function of the group");
  const callable = toCallable(fn, options.captures === undefined ? {} : { captures: options.captures });
  const args = options.args ?? [];
  const nout = options.npartitions ?? gb.frame.npartitions;
  if (!Number.isInteger(nout) || nout < 1) throw Errors.badOption(`${what} option npartitions`, nout, "a positive integer");
  const shuffled = shuffleInput ? shuffle(gb.frame, { kind: "hash", keys: gb.keys }, nout, gb.frame.fields) : undefined;
  return { callable, args, shuffled: shuffled!, fnName: fn.name || "(anonymous)" };
}

export function apply(gb: GroupBy, fn: Function, options: ApplyOptions): DataFrame {
  const { callable, args, shuffled, fnName } = prepare(gb, fn, options, "groupBy().apply");
  const meta: ApplyMeta = options.meta === undefined ? inferMeta(fn, gb.frame.fields, args, "groupBy().apply") : parseMeta(options.meta);
  const body = metaFields(meta);
  const fields: Field[] = [...gb.keys.filter((k) => !body.some((f) => f.name === k)).map((k) => ({ name: k, dtype: gb.frame.dtypes[k]! })), ...body];
  const name = layerName("groupby-apply", shuffled.name, callable, meta, args);
  const n = shuffled.npartitions;
  const layer = taskLayer(name, "groupby-apply", n, (i) => task(builtin("dataframe.apply"), [ref([shuffled.name, i]), gb.keys, fnArg(callable), meta, args, fnName]), [shuffled.name], layerMeta({ npartitions: n, divisions: null, fields }));
  return new DataFrame(name, LayeredGraph.from(layer, shuffled.graph), { npartitions: n, divisions: null, fields });
}

/** The hidden column that remembers each row's place: partition * 2^31 + row. */
const ROW = "\u0001row";
const PER_PARTITION = 2 ** 31;

/**
 * transform keeps the input's rows where they were: each row is tagged
 * with its place, the groups are shuffled together and transformed, then a
 * range shuffle on the tag sends every row back to its partition, where a
 * sort restores its order and the tag is dropped. The result has the
 * input's partitions, divisions and index, as Dask's like-indexed
 * transform.
 */
export function transform(gb: GroupBy, fn: Function, options: TransformOptions): DataFrame {
  const input = gb.frame;
  const M = input.npartitions;
  const tagged = partitionwise("row-tag", [input], "dataframe.tagRows", (i) => [ROW, i * PER_PARTITION], { ...input.meta, fields: [...input.fields, { name: ROW, dtype: "float64" }] }, [ROW]);
  const taggedInput = { name: tagged.name, npartitions: M, graph: () => tagged.graph, fields: input.fields };
  const { callable, args, fnName } = prepare(gb, fn, options, "groupBy().transform", false);
  let meta: ApplyMeta = options.meta === undefined ? inferMeta(fn, input.fields, args, "groupBy().transform") : parseMeta(options.meta);
  if (meta.kind === "series") meta = { kind: "frame", fields: [{ name: meta.name, dtype: meta.dtype }] };
  const extra = metaFields(meta);
  const fields: Field[] = [...input.fields.filter((f) => !extra.some((x) => x.name === f.name)), ...extra];
  const nmid = options.npartitions ?? M;
  if (!Number.isInteger(nmid) || nmid < 1) throw Errors.badOption("groupBy().transform option npartitions", nmid, "a positive integer");
  const shuffled = shuffle(taggedInput, { kind: "hash", keys: gb.keys }, nmid, input.fields);
  const midName = layerName("groupby-transform", shuffled.name, callable, meta, args);
  const mid = taskLayer(midName, "groupby-transform", nmid, (i) => task(builtin("dataframe.transform"), [ref([shuffled.name, i]), gb.keys, fnArg(callable), extra, args, fnName]), [shuffled.name], layerMeta({ npartitions: nmid, divisions: null, fields }));
  const midGraph = LayeredGraph.from(mid, shuffled.graph);
  const back = shuffle({ name: midName, npartitions: nmid, graph: () => midGraph }, { kind: "range", col: ROW, boundaries: Array.from({ length: M - 1 }, (_, i) => (i + 1) * PER_PARTITION) }, M, fields);
  const meta2 = { npartitions: M, divisions: input.divisions, fields };
  const name = layerName("groupby-transform-restore", back.name);
  const layer = taskLayer(name, "groupby-transform", M, (i) => task(builtin("dataframe.untagRows"), [ref([back.name, i]), ROW]), [back.name], layerMeta(meta2));
  return new DataFrame(name, LayeredGraph.from(layer, back.graph), meta2, input.index);
}
