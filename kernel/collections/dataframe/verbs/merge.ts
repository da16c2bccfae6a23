/**
 * merge and join: hash joins. When one side is small (few partitions) and
 * the join keeps only the other side's unmatched rows (inner, or left with
 * a small right, or right with a small left), the small side is gathered
 * into one partition and broadcast to every partition of the big side: no
 * shuffle. Otherwise both sides are hash-shuffled on their keys into the
 * same number of partitions, and partition i of each is joined.
 */
import { Errors } from "../../../errors";
import { builtin, LayeredGraph, ref, task } from "../../../graph";
import { Field, isNumeric, JoinHow, JoinSpec } from "../chunk";
import { DataFrame } from "../frame";
import { Input, layerMeta, layerName, taskLayer } from "../layers";
import { shuffle } from "../shuffle";
import { checkColumns } from "./columns";

export interface MergeOptions {
  /** Key column(s) both sides have. */
  on?: string | string[];
  leftOn?: string | string[];
  rightOn?: string | string[];
  /** "inner" (default), "left", "right" or "outer". */
  how?: JoinHow;
  /** For columns both sides have (default ["_x", "_y"], as pandas). */
  suffixes?: [string, string];
  /** Broadcast the smaller side instead of shuffling (default: when it has at most 4 partitions and the join allows). */
  broadcast?: boolean;
  /** Partitions after a shuffle join (default: the larger side's). */
  npartitions?: number;
}

const HOWS: JoinHow[] = ["inner", "left", "right", "outer"];
const BROADCAST_PARTS = 4;
const list = (v: string | string[] | undefined): string[] | undefined => (v === undefined ? undefined : typeof v === "string" ? [v] : v);

function outputFields(left: DataFrame, right: DataFrame, spec: JoinSpec): Field[] {
  const shared = spec.leftOn.filter((k, i) => spec.rightOn[i] === k);
  const out: Field[] = shared.map((k) => ({ name: k, dtype: left.dtypes[k]! }));
  const ln = left.columns.filter((c) => !shared.includes(c)), rn = right.columns.filter((c) => !shared.includes(c));
  for (const c of ln) out.push({ name: rn.includes(c) ? c + spec.suffixes[0] : c, dtype: left.dtypes[c]! });
  for (const c of rn) out.push({ name: ln.includes(c) ? c + spec.suffixes[1] : c, dtype: right.dtypes[c]! });
  return out;
}

/** All partitions of a frame gathered into one. */
function gather(df: DataFrame): Input {
  if (df.npartitions === 1) return df;
  const name = layerName("gather", df.name);
  const layer = taskLayer(name, "gather", 1, () => task(builtin("dataframe.concat"), [Array.from({ length: df.npartitions }, (_, i) => ref([df.name, i]))]), [df.name], layerMeta({ ...df.meta, npartitions: 1, divisions: null }));
  const g = LayeredGraph.from(layer, df.graph());
  return { name, npartitions: 1, graph: () => g };
}

export function merge(left: DataFrame, right: DataFrame, options: MergeOptions): DataFrame {
  if (!(right instanceof DataFrame)) throw Errors.badOption("merge(right)", right, "a Tessera DataFrame");
  const how = options.how ?? "inner";
  if (!HOWS.includes(how)) throw Errors.badOption("merge option how", how, HOWS.map((h) => `"${h}"`).join(", "));
  const leftOn = list(options.leftOn) ?? list(options.on);
  const rightOn = list(options.rightOn) ?? list(options.on);
  if (leftOn === undefined || rightOn === undefined) throw Errors.badOption("merge options", options, "on (a column both sides have), or leftOn and rightOn");
  if (leftOn.length !== rightOn.length) throw Errors.badInput(`merge: leftOn has ${leftOn.length} columns and rightOn ${rightOn.length}; they pair up one to one`);
  checkColumns(left, leftOn, "merge (left side)");
  checkColumns(right, rightOn, "merge (right side)");
  leftOn.forEach((k, i) => {
    const a = left.dtypes[k]!, b = right.dtypes[rightOn[i]!]!;
    if (a !== b && !(isNumeric(a) && isNumeric(b))) throw Errors.badInput(`merge: key ${JSON.stringify(k)} is ${a} on the left and ${JSON.stringify(rightOn[i])} is ${b} on the right; cast one with astype so they compare`);
  });
  const spec: JoinSpec = { leftOn, rightOn, how, suffixes: options.suffixes ?? ["_x", "_y"] };
  const fields = outputFields(left, right, spec);
  const smallRight = right.npartitions <= left.npartitions && (how === "inner" || how === "left");
  const smallLeft = left.npartitions < right.npartitions && (how === "inner" || how === "right");
  const wantBroadcast = options.broadcast ?? (smallRight ? right.npartitions <= BROADCAST_PARTS : smallLeft ? left.npartitions <= BROADCAST_PARTS : false);
  if (options.broadcast === true && !smallRight && !smallLeft && !(left.npartitions === 1 && right.npartitions === 1)) {
    throw Errors.badInput(`merge: a ${how} join cannot broadcast (it must see every row of both sides together); leave broadcast unset`);
  }
  const name = layerName("merge", left.name, right.name, spec);
  if (wantBroadcast && (smallRight || smallLeft)) {
    const big = smallRight ? left : right;
    const small = gather(smallRight ? right : left);
    const n = big.npartitions;
    const meta = { npartitions: n, divisions: smallRight ? left.divisions : null, fields };
    const layer = taskLayer(name, "merge-broadcast", n, (i) => task(builtin("dataframe.join"), smallRight ? [ref([big.name, i]), ref([small.name, 0]), spec] : [ref([small.name, 0]), ref([big.name, i]), spec]), [big.name, small.name], layerMeta(meta));
    return new DataFrame(name, LayeredGraph.from(layer, big.graph(), small.graph()), meta, smallRight ? left.index : undefined);
  }
  const n = options.npartitions ?? Math.max(left.npartitions, right.npartitions);
  const ls = shuffle(left, { kind: "hash", keys: leftOn }, n, left.fields);
  const rs = shuffle(right, { kind: "hash", keys: rightOn }, n, right.fields);
  const meta = { npartitions: n, divisions: null, fields };
  const layer = taskLayer(name, "merge", n, (i) => task(builtin("dataframe.join"), [ref([ls.name, i]), ref([rs.name, i]), spec]), [ls.name, rs.name], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.from(layer, ls.graph, rs.graph), meta);
}

export function join(left: DataFrame, right: DataFrame, options: Partial<MergeOptions>): DataFrame {
  const on = options.on ?? left.index;
  if (on === undefined) throw Errors.badInput(`join: this DataFrame has no index to join on; pass { on: "column" } or use merge`);
  return merge(left, right, { ...options, on, how: options.how ?? "left" });
}
