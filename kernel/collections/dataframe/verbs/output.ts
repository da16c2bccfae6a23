/**
 * Writing a frame out: one file per partition, written by the task that
 * computes the partition (in parallel, never gathered in one place).
 */
import * as path from "node:path";
import { Errors } from "../../../errors";
import { builtin, Key, LayeredGraph, ref, task } from "../../../graph";
import { compute, ComputeOptions } from "../../compute";
import { DataFrame } from "../frame";
import { layerName, taskLayer } from "../layers";

async function writeAll(df: DataFrame, op: string, kernel: string, files: string[], extra: unknown[], options: ComputeOptions): Promise<string[]> {
  const name = layerName(op, df.name, files, extra);
  const layer = taskLayer(name, op, df.npartitions, (i) => task(builtin(kernel), [ref([df.name, i]), files[i], ...extra]), [df.name], { collection: "files" });
  const g = LayeredGraph.from(layer, df.graph());
  const keys: Key[] = files.map((_, i) => [name, i]);
  const written = { graph: () => g, keys: () => keys, finalize: (r: unknown[]) => r as string[] };
  const [out] = await compute([written as never], options);
  return out as string[];
}

/** The compute options among toCsv's options. */
function computeOptions(options: ComputeOptions & { sep?: string }): ComputeOptions {
  const out: ComputeOptions = {};
  if (options.scheduler !== undefined) out.scheduler = options.scheduler;
  if (options.signal !== undefined) out.signal = options.signal;
  if (options.cluster !== undefined) out.cluster = options.cluster;
  return out;
}

export function toCsv(df: DataFrame, pattern: string, options: { sep?: string } & ComputeOptions): Promise<string[]> {
  if (typeof pattern !== "string" || pattern === "") throw Errors.badOption("toCsv(pattern)", pattern, 'a path, with "*" where the partition number goes, e.g. "out/part-*.csv"');
  const files = Array.from({ length: df.npartitions }, (_, i) => path.resolve(pattern.includes("*") ? pattern.replace("*", String(i)) : df.npartitions === 1 ? pattern : pattern.replace(/(\.csv)?$/, `-${i}$1`)));
  return writeAll(df, "to-csv", "io.writeCsv", files, [options.sep ?? ","], computeOptions(options));
}

export function toParquet(df: DataFrame, dir: string, options: ComputeOptions): Promise<string[]> {
  if (typeof dir !== "string" || dir === "") throw Errors.badOption("toParquet(dir)", dir, "a folder to write part.0.parquet, part.1.parquet, … into");
  const files = Array.from({ length: df.npartitions }, (_, i) => path.resolve(dir, `part.${i}.parquet`));
  return writeAll(df, "to-parquet", "io.writeParquet", files, [], options);
}
