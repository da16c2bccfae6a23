/**
 * groupBy().agg by tree reduction (chunk/groupagg.ts does the work):
 * per-partition partial states, merged SPLIT_EVERY at a time, finished
 * once. With splitOut = s > 1, every partial is cut by key hash into s
 * pieces and each output partition reduces its own piece, so the groups
 * of a high-cardinality key never meet in one task.
 */
import { Errors } from "../../../errors";
import { builtin, Key, LayeredGraph, ref, task, tokenize } from "../../../graph";
import { AGG_FNS, AggFn, AggSpec, DType, Field, isNumeric } from "../chunk";
import { DataFrame } from "../frame";
import { layerMeta, SPLIT_EVERY, taskLayer, treeReduce } from "../layers";
import type { GroupBy } from "./groupby";

export type AggSpecInput = Record<string, AggFn | AggFn[] | { col: string; how: AggFn }>;

const NUMERIC: ReadonlySet<AggFn> = new Set(["sum", "mean", "std", "var", "prod", "min", "max"]);

export function parseSpec(gb: GroupBy, spec: AggSpecInput): AggSpec[] {
  if (spec === null || typeof spec !== "object" || Object.keys(spec).length === 0) {
    throw Errors.badOption("agg(spec)", spec, 'an object like { x: "mean", y: ["sum", "count"] }');
  }
  const out: AggSpec[] = [];
  for (const [k, v] of Object.entries(spec)) {
    if (typeof v === "string") out.push({ col: k, how: v, out: k });
    else if (Array.isArray(v)) for (const how of v) out.push({ col: k, how, out: `${k}_${how}` });
    else if (v !== null && typeof v === "object") out.push({ col: v.col, how: v.how, out: k });
    else throw Errors.badOption(`agg({ ${k} })`, v, 'a function name ("mean"), a list of them, or { col, how }');
  }
  const dtypes = gb.frame.dtypes;
  for (const s of out) {
    if (!(AGG_FNS as readonly string[]).includes(s.how)) throw Errors.badOption(`agg function for ${JSON.stringify(s.col)}`, s.how, `one of ${AGG_FNS.join(", ")}`);
    if (!(s.col in dtypes)) throw Errors.badInput(`agg: unknown column ${JSON.stringify(s.col)} (columns are: ${gb.frame.columns.join(", ")})`);
    if (NUMERIC.has(s.how) && !isNumeric(dtypes[s.col]!)) throw Errors.badInput(`agg: ${s.how} of column ${JSON.stringify(s.col)} (${dtypes[s.col]}) needs numbers (use count, nunique, first or last, or cast with astype)`);
    if (gb.keys.includes(s.out)) throw Errors.badInput(`agg: output column ${JSON.stringify(s.out)} has the name of a group key; name it with { ${s.out}_${s.how}: { col: ${JSON.stringify(s.col)}, how: "${s.how}" } }`);
  }
  if (new Set(out.map((s) => s.out)).size !== out.length) throw Errors.badInput(`agg: two outputs have the same name (${out.map((s) => s.out).join(", ")})`);
  return out;
}

function outputType(s: AggSpec, dtypes: Record<string, DType>): DType {
  if (s.how === "count" || s.how === "size" || s.how === "nunique") return "int32";
  if (s.how === "first" || s.how === "last") return dtypes[s.col]!;
  return "float64";
}

export function agg(gb: GroupBy, spec: AggSpecInput, options: { splitOut?: number; splitEvery?: number }): DataFrame {
  const specs = parseSpec(gb, spec);
  const { frame, keys } = gb;
  const sort = gb.options.sort ?? true;
  const dtypes = frame.dtypes;
  const fields: Field[] = [...keys.map((k) => ({ name: k, dtype: dtypes[k]! })), ...specs.map((s) => ({ name: s.out, dtype: outputType(s, dtypes) }))];
  const splitOut = options.splitOut ?? 1;
  if (!Number.isInteger(splitOut) || splitOut < 1) throw Errors.badOption("agg option splitOut", splitOut, "a positive integer");
  if (splitOut === 1) {
    const r = treeReduce("groupby-agg", frame,
      (p) => task(builtin("dataframe.aggChunk"), [ref(p), keys, specs]),
      (xs) => task(builtin("dataframe.aggCombine"), [xs, keys]),
      (xs) => task(builtin("dataframe.aggFinal"), [xs, keys, specs, sort, 1]),
      [keys, specs, sort], layerMeta({ npartitions: 1, divisions: null, fields }), { fixed: [...keys, ...specs.map((s) => s.col)] });
    return new DataFrame(r.name, r.graph, { npartitions: 1, divisions: null, fields });
  }
  return aggSplitOut(frame, keys, specs, sort, splitOut, fields);
}

function aggSplitOut(frame: DataFrame, keys: string[], specs: AggSpec[], sort: boolean, s: number, fields: Field[]): DataFrame {
  const tok = tokenize("groupby-agg", frame.name, keys, specs, sort, s);
  const by = { kind: "hash" as const, keys };
  const chunkName = `groupby-agg-chunk-${tok}`;
  const M = frame.npartitions;
  const chunk = taskLayer(chunkName, "groupby-agg-chunk", M, (i) => task(builtin("dataframe.aggChunkSplit"), [ref([frame.name, i]), keys, specs, by, s]), [frame.name], { collection: "dataframe-reduction", columnUse: { fixed: [...keys, ...specs.map((sp) => sp.col)] } });
  let g = LayeredGraph.from(chunk, frame.graph());
  // Level 0 picks output j's piece from a group of chunks; later levels merge SPLIT_EVERY at a time.
  // Layers make their tasks later, when scheduled: their closures read only constants.
  const first = Math.ceil(M / SPLIT_EVERY);
  let groups = first;
  let level: Key[][] = Array.from({ length: s }, () => []);
  const pickName = `groupby-agg-pick-${tok}`;
  const pick = taskLayer(pickName, "groupby-agg-combine", s * first, (t) => {
    const j = Math.floor(t / first), gi = t % first;
    const refs = [];
    for (let i = gi * SPLIT_EVERY; i < Math.min(M, (gi + 1) * SPLIT_EVERY); i++) refs.push(ref([chunkName, i]));
    return task(builtin("dataframe.aggPick"), [refs, j, keys]);
  }, [chunkName], { collection: "dataframe-reduction" });
  g = LayeredGraph.from(pick, g);
  for (let j = 0; j < s; j++) level[j] = Array.from({ length: first }, (_, gi) => [pickName, j * first + gi] as Key);
  let prev = pickName, depth = 0;
  while (groups > SPLIT_EVERY) {
    const next = Math.ceil(groups / SPLIT_EVERY);
    const name = `groupby-agg-combine${depth}-${tok}`;
    const cur = level;
    const layer = taskLayer(name, "groupby-agg-combine", s * next, (t) => {
      const j = Math.floor(t / next), gi = t % next;
      return task(builtin("dataframe.aggCombine"), [cur[j]!.slice(gi * SPLIT_EVERY, (gi + 1) * SPLIT_EVERY).map((k) => ref(k)), keys]);
    }, [prev], { collection: "dataframe-reduction" });
    g = LayeredGraph.from(layer, g);
    level = Array.from({ length: s }, (_, j) => Array.from({ length: next }, (_, gi) => [name, j * next + gi] as Key));
    groups = next;
    prev = name;
    depth++;
  }
  const name = `groupby-agg-${tok}`;
  const last = level;
  const final = taskLayer(name, "groupby-agg", s, (j) => task(builtin("dataframe.aggFinal"), [last[j]!.map((k) => ref(k)), keys, specs, sort, 1]), [prev], layerMeta({ npartitions: s, divisions: null, fields }));
  return new DataFrame(name, LayeredGraph.from(final, g), { npartitions: s, divisions: null, fields });
}
