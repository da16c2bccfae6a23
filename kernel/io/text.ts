/**
 * readText: the plan of a bag of lines — which byte ranges of which files
 * each partition reads. Planning reads only file sizes (in the main
 * thread); the bytes are read by the tasks, in the workers (read-text.ts).
 */
import { Errors } from "../errors";
import { Task, task, tokenize } from "../graph";
import { parseBytes } from "../store/bytes";
import { toCallable } from "../worker/callable";
import { expandPaths, inferCompression } from "./files";
import type { TextBlock } from "./read-text";

export interface ReadTextOptions {
  /**
   * Bytes per partition: files larger than this are cut into blocks on line
   * boundaries (default "16MiB"); null reads each file whole.
   */
  blocksize?: number | string | null;
  /** "infer" (default: gzip for .gz files), "gzip" or null. Gzip files are never cut. */
  compression?: "infer" | "gzip" | null;
  /** A Node encoding (default "utf8"). */
  encoding?: BufferEncoding;
  /** Items are [line, file path] instead of lines. */
  includePath?: boolean;
}

export const DEFAULT_BLOCKSIZE = 16 * 2 ** 20;
/** Encodings in which "\n" is one byte that is never part of another character, so blocks may start anywhere. */
const SPLITTABLE = new Set(["utf8", "utf-8", "ascii", "latin1", "binary"]);
const OPTIONS = new Set(["blocksize", "compression", "encoding", "includePath"]);

export interface TextPlan {
  name: string;
  blocks: TextBlock[];
  taskFor: (i: number) => Task;
}

export function planText(input: string | readonly string[], options: ReadTextOptions = {}): TextPlan {
  const fn = "readText";
  if (typeof options !== "object" || options === null) throw Errors.badOption(`${fn}(path, options)`, options, "an options object");
  for (const k of Object.keys(options)) if (!OPTIONS.has(k)) throw Errors.badOption(`${fn} option "${k}"`, (options as Record<string, unknown>)[k], `one of ${[...OPTIONS].join(", ")}`);
  const encoding = options.encoding ?? "utf8";
  if (!Buffer.isEncoding(encoding)) throw Errors.badOption(`${fn}: encoding`, encoding, 'a Node encoding such as "utf8", "latin1" or "utf16le"');
  const blocksize = options.blocksize === null ? null : options.blocksize === undefined ? DEFAULT_BLOCKSIZE : parseBytes(options.blocksize, `${fn}: blocksize`);
  const files = expandPaths(input, fn);
  const blocks: TextBlock[] = [];
  for (const f of files) {
    const gzip = inferCompression(f.path, options.compression, fn) === "gzip";
    const whole = gzip || blocksize === null || !SPLITTABLE.has(encoding.toLowerCase()) || f.size <= blocksize;
    const base = { file: f.path, size: f.size, gzip, encoding, includePath: options.includePath === true };
    if (whole) blocks.push({ ...base, start: 0, end: f.size });
    else for (let s = 0; s < f.size; s += blocksize) blocks.push({ ...base, start: s, end: Math.min(f.size, s + blocksize) });
  }
  const name = `read-text-${tokenize(files, blocks)}`;
  const read = toCallable({ module: require.resolve("./read-text"), export: "readTextBlock" });
  return { name, blocks, taskFor: (i) => task(read, [blocks[i]!]) };
}
