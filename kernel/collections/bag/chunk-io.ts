/**
 * Worker-side writing of bag partitions as text files (toTextFiles): one
 * item per line, each item a string; gzip when the file name ends in .gz.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { Errors, preview } from "../../errors";
import { Part, toArray } from "./chunk-lazy";

/** Writes one partition; returns [the file's name] (a partition of the bag of written names). */
export function writeText(lazyPart: Part, p: number, file: string, gzip: boolean, encoding: BufferEncoding): string[] {
  const part = toArray(lazyPart);
  for (let i = 0; i < part.length; i++) {
    if (typeof part[i] !== "string") {
      throw Errors.badInput(
        `toTextFiles: item ${i} of partition ${p} is not a string: ${preview(part[i])} (turn items into lines first, e.g. .map(JSON.stringify))`,
      );
    }
  }
  const text = part.length === 0 ? "" : `${(part as string[]).join("\n")}\n`;
  const bytes = Buffer.from(text, encoding);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
  return [file];
}
