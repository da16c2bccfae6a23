/**
 * From what a user passes a reader (a path, a glob, a list of them) to the
 * list of files, in a stable order, with their sizes and modification times
 * (part of the reader's token: a changed file is a new computation).
 *
 * Globs: `*` and `?` within a name, `[abc]` classes, `{a,b}` alternatives,
 * and `**` for any number of folders. Node 20 has no fs.glob, and this is
 * a few lines.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Errors } from "../errors";

export interface FileInfo {
  /** Absolute path. */
  path: string;
  size: number;
  mtimeMs: number;
}

const MAGIC = /[*?[{]/;

export function isGlob(p: string): boolean {
  return MAGIC.test(p);
}

/** Files named by `input` (a path, glob, or array of them); `fn` names the reader in errors. */
export function expandPaths(input: string | readonly string[], fn: string): FileInfo[] {
  const list = typeof input === "string" ? [input] : input;
  if (!Array.isArray(list) || list.length === 0 || !list.every((p) => typeof p === "string" && p !== "")) {
    throw Errors.badOption(`${fn}(path)`, input, 'a path, a glob such as "data/*.jsonl", or a non-empty array of them');
  }
  const out: FileInfo[] = [];
  const seen = new Set<string>();
  for (const p of list) {
    // A file whose name has glob characters ("data[1].txt") is still that file.
    const files = isGlob(p) && !fs.existsSync(p) ? glob(p, fn) : [single(p, fn)];
    for (const f of files) {
      if (seen.has(f)) continue;
      seen.add(f);
      const st = fs.statSync(f);
      out.push({ path: f, size: st.size, mtimeMs: st.mtimeMs });
    }
  }
  return out;
}

function single(p: string, fn: string): string {
  const abs = path.resolve(p);
  let st: fs.Stats;
  try {
    st = fs.statSync(abs);
  } catch {
    throw Errors.fileNotFound(fn, p, process.cwd());
  }
  if (st.isDirectory()) throw Errors.badOption(`${fn}(path)`, p, `a file, not a folder (for every file in it, pass "${path.join(p, "*")}")`);
  return abs;
}

/** Files matching a glob, sorted. */
export function glob(pattern: string, fn: string): string[] {
  const abs = path.resolve(pattern);
  const parts = abs.split(path.sep);
  // The fixed folder before the first segment with a wildcard.
  let i = 0;
  while (i < parts.length && !isGlob(parts[i]!)) i++;
  const base = parts.slice(0, i).join(path.sep) || path.sep;
  const segments = parts.slice(i);
  const found: string[] = [];
  walk(base, segments, found);
  if (found.length === 0) throw Errors.emptyGlob(fn, pattern, base);
  return found.sort();
}

function walk(dir: string, segments: string[], out: string[]): void {
  if (segments.length === 0) return;
  const [seg, ...rest] = segments as [string, ...string[]];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (seg === "**") {
    walk(dir, rest, out); // zero folders
    for (const e of entries) if (e.isDirectory() && !e.name.startsWith(".")) walk(path.join(dir, e.name), segments, out);
    return;
  }
  const re = segmentRegExp(seg);
  for (const e of entries) {
    if (!re.test(e.name) || (e.name.startsWith(".") && !seg.startsWith("."))) continue;
    const p = path.join(dir, e.name);
    const isDir = e.isDirectory() || (e.isSymbolicLink() && fs.statSync(p, { throwIfNoEntry: false })?.isDirectory());
    if (rest.length === 0) {
      if (!isDir) out.push(p);
    } else if (isDir) walk(p, rest, out);
  }
}

/** A regular expression for one path segment of a glob. */
export function segmentRegExp(seg: string): RegExp {
  let re = "";
  let depth = 0;
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = seg.indexOf("]", i + 2);
      if (end < 0) re += "\\[";
      else {
        const body = seg.slice(i + 1, end);
        re += `[${body[0] === "!" ? "^" + body.slice(1) : body}]`;
        i = end;
      }
    } else if (c === "{") {
      depth++;
      re += "(?:";
    } else if (c === "}" && depth > 0) {
      depth--;
      re += ")";
    } else if (c === "," && depth > 0) re += "|";
    else re += c.replace(/[.+^$()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

export type Compression = "gzip" | null;

/** The compression of a file for `compression: "infer"`: gzip for .gz names. */
export function inferCompression(file: string, option: "infer" | "gzip" | null | undefined, fn: string): Compression {
  if (option === undefined || option === "infer") return file.endsWith(".gz") ? "gzip" : null;
  if (option === "gzip" || option === null) return option;
  throw Errors.badOption(`${fn}: compression`, option, '"infer" (gzip for .gz files), "gzip" or null');
}
