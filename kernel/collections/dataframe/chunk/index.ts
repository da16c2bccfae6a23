/**
 * The worker side of DataFrame: the partition format and every built-in
 * kernel ("dataframe.*"). Loaded in every thread by worker/kernels.ts; the
 * graph builders (../verbs, ../groupby, …) and kernel/io import what they
 * need from here. Nothing here imports a collection class.
 */
import { defineKernels } from "../../../worker/registry";
import { applyGroups, transformGroups } from "./apply";
import { isArrowTable, partFromResult } from "./build";
import { evalExpr } from "./evaluate";
import { Expr } from "./expr";
import { AggSpec, aggChunk, aggCombine, aggFinal } from "./groupagg";
import { hashJoin } from "./join";
import * as ops from "./ops";
import { concatParts, makePart, Part, selectColumns, sliceRows, takeRows, withColumn } from "./part";
import { Reduction, reduceChunk, reduceCombine, reduceFinal, State } from "./reduce";
import { concatPieces, Partitioner, Pieces, regroup, split } from "./shuffle";
import { sortIndex } from "./sort";
import { mergeSamples, quantiles, sampleValues } from "./quantiles";
import { DType, Field } from "./dtypes";
import { columnFromValues } from "./build";
import { toJsArray } from "./column";

export * from "./dtypes";
export * from "./column";
export * from "./colops";
export * from "./part";
export * from "./build";
export * from "./expr";
export * from "./view";
export { evalExpr, asFloat, cast } from "./evaluate";
export { parseTimestamp } from "./timeparse";
export { REDUCTIONS, Reduction, reduceFinal } from "./reduce";
export { AGG_FNS, AggFn, AggSpec } from "./groupagg";
export { ApplyMeta } from "./apply";
export { JoinHow, JoinSpec } from "./join";
export { Partitioner, Pieces } from "./shuffle";
export { groupRows, groupOrder } from "./groupids";
export { sortIndex } from "./sort";
export { hashString } from "./hash";

defineKernels("dataframe", {
  filter: ops.filterRows,
  assign: ops.assignColumns,
  select: ops.select,
  series: ops.evalSeries,
  rename: ops.rename,
  astype: ops.astype,
  dropna: ops.dropna,
  head: ops.head,
  tail: ops.tail,
  numRows: ops.numRows,
  mapPartitions: ops.mapPartition,
  memoryUsage: ops.memoryUsage,
  reduceChunk: (p: Part, e: Expr, how: Reduction): State => reduceChunk(evalExpr(e, p), how),
  reduceCombine: (states: State[]): State => reduceCombine(states),
  reduceFinal: (state: State, how: Reduction, ddof: number): unknown => reduceFinal(state, how, ddof),
  reduceDone: (states: State[], how: Reduction, ddof: number): unknown => reduceFinal(reduceCombine(states), how, ddof),
  /** The distinct values of unique(), sorted, back in their column type. */
  uniqueDone: (states: State[], name: string, dtype: DType): Part => {
    const values = (reduceCombine(states) as { distinct: unknown[] }).distinct;
    const vals = dtype === "object" ? values.map((v) => JSON.parse(v as string)) : values;
    if (dtype !== "object") vals.sort((a, b) => (typeof a === "number" && typeof b === "number" ? a - b : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
    return makePart([name], [columnFromValues(vals, dtype)], vals.length);
  },
  sum: (xs: number[]): number => xs.reduce((a, b) => a + b, 0),
  record: (values: Record<string, unknown>): Record<string, unknown> => values,
  memoryDone: (parts: Part[]): Record<string, number> => {
    const out: Record<string, number> = {};
    const all = concatParts(parts);
    const names = all.numRows ? (toJsArray(all.columns[0]!) as string[]) : [];
    const bytes = all.numRows ? (all.columns[1]!.values as Float64Array) : new Float64Array(0);
    names.forEach((n, i) => (out[n] = (out[n] ?? 0) + bytes[i]!));
    return out;
  },
  mergeSamples,
  quantiles,

  aggChunk,
  aggCombine,
  aggChunkSplit: (p: Part, keys: string[], specs: AggSpec[], by: Partitioner, s: number): Pieces => split(aggChunk(p, keys, specs), by, s, 1, s),
  aggPick: (inputs: Pieces[], j: number, keys: string[]): Part => aggCombine(inputs.map((x) => x.pieces[j]!), keys),
  aggFinal,
  split,
  concatPieces,
  regroup,
  apply: applyGroups,
  transform: transformGroups,
  join: hashJoin,
  concat: (parts: Part[]): Part => concatParts(parts),
  sort: (p: Part, keys: string[], ascending: boolean[]): Part => takeRows(p, sortIndex(p, keys, ascending)),
  sample: sampleValues,
  /** A value from elsewhere (a Delayed's result, an Arrow table) as a partition of the expected columns. */
  // Arrow is loaded only when an Arrow table actually arrives: worker threads start faster without it.
  fromValue: (v: unknown, fields: Field[] | null): Part => (isArrowTable(v) ? (require("./arrow") as typeof import("./arrow")).arrowToPart(v as never) : partFromResult(v, fields ?? undefined)),
  identity: (p: Part): Part => p,
  /** transform's bookkeeping: a column of each row's place (base + row), and back. */
  tagRows: (p: Part, col: string, base: number): Part => {
    const tags = new Float64Array(new SharedArrayBuffer(p.numRows * 8));
    for (let i = 0; i < p.numRows; i++) tags[i] = base + i;
    return withColumn(p, col, { dtype: "float64", length: p.numRows, values: tags });
  },
  untagRows: (p: Part, col: string): Part => {
    const sorted = takeRows(p, sortIndex(p, [col], [true]));
    return selectColumns(sorted, sorted.names.filter((n) => n !== col));
  },
  slicePiece: (p: Part, piece: number, pieces: number): Part => sliceRows(p, Math.floor((piece * p.numRows) / pieces), Math.floor(((piece + 1) * p.numRows) / pieces)),
});
