/**
 * Order: setIndex and sortValues (a range shuffle with boundaries from
 * sampled quantiles, then a sort inside each partition), loc (rows in an
 * index range, reading only the partitions the divisions allow), and
 * sortWithin (each partition sorted on its own).
 *
 * The sample is computed when setIndex is called (Dask does the same): the
 * boundaries decide the graph. Pass `divisions` to skip it.
 */
import { Errors } from "../../../errors";
import { builtin, LayeredGraph, ref, task } from "../../../graph";
import { compute, ComputeOptions } from "../../compute";
import { Expr, isNumeric } from "../chunk";
import { DataFrame } from "../frame";
import { Division, layerMeta, layerName, partitionwise, taskLayer, treeReduce } from "../layers";
import { Scalar } from "../scalar";
import { shuffle } from "../shuffle";
import { checkColumns } from "./columns";

export interface SortOptions extends ComputeOptions {
  /** Partitions of the result (default: as many as the input). */
  npartitions?: number;
  /** Sorted boundaries between partitions (npartitions - 1 values); skips the sample. */
  boundaries?: (number | string)[];
  ascending?: boolean;
}

export function sortWithin(df: DataFrame, keys: string[], ascending: boolean[]): DataFrame {
  checkColumns(df, keys, "sort");
  const { name, graph } = partitionwise("sort", [df], "dataframe.sort", () => [keys, ascending], df.meta, [keys, ascending]);
  return new DataFrame(name, graph, df.meta, df.index);
}

async function boundariesFor(df: DataFrame, col: string, nout: number, options: ComputeOptions): Promise<{ boundaries: (number | string)[]; min: number | string; max: number | string }> {
  const q = treeReduce("sample-quantiles", df,
    (p) => task(builtin("dataframe.sample"), [ref(p), col, 200 * nout]),
    (xs) => task(builtin("dataframe.mergeSamples"), [xs, 200 * nout]),
    (xs) => task(builtin("dataframe.quantiles"), [xs, Array.from({ length: nout - 1 }, (_, i) => (i + 1) / nout)]),
    [col, nout]);
  const quant = new Scalar<(number | string)[]>(q.key as string, q.graph, "quantiles");
  const s = df.dtypes[col] === "string" ? df.col(col) : df.col(col).astype("float64");
  const [qs, min, max] = await compute([quant, s.min(), s.max()], { ...(options.scheduler ? { scheduler: options.scheduler } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const boundaries = [...new Set((qs as (number | string)[]).filter((x) => typeof x === "string" || Number.isFinite(x)))];
  return { boundaries, min: min as number | string, max: max as number | string };
}

async function rangeSort(df: DataFrame, col: string, options: SortOptions, op: string): Promise<{ out: DataFrame; divisions: Division[] | null }> {
  checkColumns(df, [col], op);
  const dtype = df.dtypes[col]!;
  if (!isNumeric(dtype) && dtype !== "string") throw Errors.badInput(`${op}: column ${JSON.stringify(col)} is ${dtype}; ${op} orders numbers, timestamps and strings (cast it with astype first)`);
  const nout = options.npartitions ?? df.npartitions;
  if (!Number.isInteger(nout) || nout < 1) throw Errors.badOption(`${op} option npartitions`, nout, "a positive integer");
  const ascending = options.ascending ?? true;
  let boundaries: (number | string)[], min: number | string | null = null, max: number | string | null = null;
  if (options.boundaries !== undefined) {
    boundaries = options.boundaries;
    if (boundaries.some((b, i) => i > 0 && b < boundaries[i - 1]!)) throw Errors.badOption(`${op} option boundaries`, boundaries, "sorted values");
  } else if (nout === 1) boundaries = [];
  else ({ boundaries, min, max } = await boundariesFor(df, col, nout, options));
  const parts = boundaries.length + 1;
  const by = { kind: "range" as const, col, boundaries, descending: !ascending };
  const shuffled = shuffle(df, by, parts, df.fields);
  const sortedName = layerName(op, shuffled.name, col, ascending);
  const divisions: Division[] | null = ascending && min !== null && max !== null ? [min, ...boundaries, max] : null;
  const meta = { npartitions: parts, divisions, fields: df.fields };
  const layer = taskLayer(sortedName, op, parts, (i) => task(builtin("dataframe.sort"), [ref([shuffled.name, i]), [col], [ascending]]), [shuffled.name], layerMeta(meta));
  return { out: new DataFrame(sortedName, LayeredGraph.from(layer, shuffled.graph), meta, ascending ? col : undefined), divisions };
}

export async function setIndex(df: DataFrame, col: string, options: SortOptions): Promise<DataFrame> {
  if (options.ascending === false) throw Errors.badOption("setIndex option ascending", false, "true (an index is ascending; use sortValues for descending order)");
  return (await rangeSort(df, col, options, "set-index")).out;
}

export async function sortValues(df: DataFrame, col: string, options: SortOptions): Promise<DataFrame> {
  return (await rangeSort(df, col, options, "sort-values")).out;
}

export function loc(df: DataFrame, lo: number | string | null, hi: number | string | null): DataFrame {
  if (df.index === undefined || df.divisions === null) {
    throw Errors.badInput(`loc: this DataFrame has no sorted index with known divisions (call await ddf.setIndex("column") first, or filter with ddf.filter(...))`);
  }
  const d = df.divisions;
  const keep: number[] = [];
  for (let i = 0; i < df.npartitions; i++) {
    const a = d[i] as number, b = d[i + 1] as number;
    const last = i === df.npartitions - 1;
    if ((hi === null || a <= (hi as number)) && (lo === null || (last ? b >= (lo as number) : b > (lo as number)))) keep.push(i);
  }
  const col: Expr = { op: "col", name: df.index };
  const conds: Expr[] = [];
  if (lo !== null) conds.push({ op: "bin", fn: "ge", a: col, b: { op: "lit", value: lo } });
  if (hi !== null) conds.push({ op: "bin", fn: "le", a: col, b: { op: "lit", value: hi } });
  const mask: Expr = conds.length === 0 ? { op: "lit", value: true } : conds.length === 1 ? conds[0]! : { op: "bin", fn: "and", a: conds[0]!, b: conds[1]! };
  const divisions: Division[] = keep.length === 0 ? [] : [...keep.map((i) => d[i]!), d[keep[keep.length - 1]! + 1]!];
  if (keep.length > 0) {
    if (lo !== null && (divisions[0] as number) < (lo as number)) divisions[0] = lo;
    if (hi !== null && (divisions[divisions.length - 1] as number) > (hi as number)) divisions[divisions.length - 1] = hi;
  }
  const meta = { npartitions: Math.max(1, keep.length), divisions: keep.length ? divisions : null, fields: df.fields };
  const name = layerName("loc", df.name, lo, hi);
  const layer = keep.length === 0
    ? taskLayer(name, "loc", 1, () => task(builtin("dataframe.filter"), [ref([df.name, 0]), { op: "lit", value: false }]), [df.name], layerMeta(meta))
    : taskLayer(name, "loc", keep.length, (k) => task(builtin("dataframe.filter"), [ref([df.name, keep[k]!]), mask]), [df.name], layerMeta(meta));
  return new DataFrame(name, LayeredGraph.from(layer, df.graph()), meta, df.index);
}
