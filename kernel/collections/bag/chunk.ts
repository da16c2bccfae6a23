/**
 * The bag's worker-side kernels, registered as "bag.<name>". Loaded by
 * worker/kernels.ts in every thread. Imports no collection class.
 */
import { acceptsLazy } from "../../worker/lazy";
import { defineKernels } from "../../worker/registry";
import { filter, flatten, items, map, mapPartitions, pluck, range, starmap } from "./chunk-map";
import {
  countPart, distinctAgg, distinctPart, extremeAgg, extremePart, foldAgg, foldPart, frequenciesAgg, frequenciesPart,
  momentsAgg, momentsPart, reduceAgg, reducePart, sumAgg, sumPart, topkAgg, topkPart,
} from "./chunk-reduce";
import { concat, foldByAgg, foldByPart, groupCollect, groupShard, groupSplit, head, headOf, join, sampleAgg, samplePart, slicePiece } from "./chunk-group";
import { writeText } from "./chunk-io";
import { toArrowIPC } from "./chunk-arrow";

export { TEXT_ORIGIN, TextOrigin } from "./chunk-items";

const kernels = {
  items, range, map, starmap, filter, pluck, flatten, mapPartitions,
  reducePart, reduceAgg, foldPart, foldAgg, countPart, sumPart, sumAgg, extremePart, extremeAgg, momentsPart, momentsAgg,
  frequenciesPart, frequenciesAgg, distinctPart, distinctAgg, topkPart, topkAgg,
  foldByPart, foldByAgg, groupSplit, groupShard, groupCollect, join, concat, slicePiece, head, headOf, samplePart, sampleAgg,
  writeText, toArrowIPC,
};
defineKernels("bag", kernels);
// Every bag kernel takes lazy partitions (chunk-lazy.ts) as well as arrays.
for (const k of Object.values(kernels)) acceptsLazy(k);
