/**
 * Leaving the bag: text files (one item per line, one file per partition)
 * and Delayed values (one per partition).
 */
import * as path from "node:path";
import { Errors } from "../../errors";
import { keyStr } from "../../graph";
import { ComputeOptions } from "../compute";
import { Delayed } from "../delayed";
import type { Bag } from "./bag";
import { bagTask, newBag, partKey } from "./build";

export interface ToTextFilesOptions extends ComputeOptions {
  /** "infer" (default: gzip for names ending in .gz), "gzip", or null. */
  compression?: "infer" | "gzip" | null;
  encoding?: BufferEncoding;
  /** The name of partition i's file, replacing "*" in the pattern (default: String(i)). */
  nameFunction?: (i: number) => string;
}

/** File names for a pattern: "*" replaced by the partition's name, or files "i.part" in a folder. */
export function textFileNames(pattern: string, n: number, nameFunction: (i: number) => string = String): string[] {
  if (typeof pattern !== "string" || pattern === "") throw Errors.badOption("toTextFiles(pattern)", pattern, 'a path with "*" (e.g. "out/part-*.jsonl") or a folder');
  const stars = pattern.split("*").length - 1;
  if (stars > 1) throw Errors.badOption("toTextFiles(pattern)", pattern, 'a path with at most one "*"');
  const abs = path.resolve(pattern);
  return Array.from({ length: n }, (_, i) => (stars === 1 ? abs.replace("*", nameFunction(i)) : path.join(abs, `${nameFunction(i)}.part`)));
}

export async function toTextFiles<T>(bag: Bag<T>, pattern: string, options: ToTextFilesOptions = {}): Promise<string[]> {
  const { compression = "infer", encoding = "utf8", nameFunction, ...computeOptions } = options;
  if (compression !== "infer" && compression !== "gzip" && compression !== null) {
    throw Errors.badOption("toTextFiles: compression", compression, '"infer", "gzip" or null');
  }
  if (!Buffer.isEncoding(encoding)) throw Errors.badOption("toTextFiles: encoding", encoding, 'a Node encoding such as "utf8" or "latin1"');
  const files = textFileNames(pattern, bag.npartitions, nameFunction);
  if (new Set(files).size !== files.length) throw Errors.badOption("toTextFiles: nameFunction", "names that repeat", "a distinct name per partition");
  const gzip = (f: string) => compression === "gzip" || (compression === "infer" && f.endsWith(".gz"));
  const written = newBag<string>("to-textfiles", [bag.name, files, compression, encoding], bag.npartitions, [bag], (i) =>
    bagTask("writeText", [partKey(bag, i), i, files[i]!, gzip(files[i]!), encoding]),
  );
  return written.compute(computeOptions);
}

export function toDelayed<T>(bag: Bag<T>): Delayed<T[]>[] {
  const g = bag.graph();
  return Array.from({ length: bag.npartitions }, (_, i) => new Delayed<T[]>(keyStr([bag.name, i]), g));
}
