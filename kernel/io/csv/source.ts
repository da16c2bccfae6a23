/**
 * Reading one block of a CSV file: the bytes of the lines that start in
 * [start, end), whole — the last line is read past `end` to its newline.
 * A block that starts inside a line skips to the next one (the previous
 * block owns it). gzip files are decompressed whole, as one block.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { Errors } from "../../errors";
import { Part } from "../../collections/dataframe/chunk";
import { parseLines } from "./parse";
import { Block, ParsePlan } from "./plan";

const NL = 10;
const TAIL = 1 << 16;

function openFile(file: string): number {
  try {
    return fs.openSync(file, "r");
  } catch (e) {
    throw Errors.badInput(`readCsv: cannot open ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (check the path; it may have been moved since the graph was built)`);
  }
}

function readAt(fd: number, buf: Buffer, at: number, len: number, pos: number): number {
  let got = 0;
  while (got < len) {
    const n = fs.readSync(fd, buf, at + got, len - got, pos + got);
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** 1-based line number of the line starting at byte `offset` (counted only for error messages). */
function lineAt(fd: number, offset: number): number {
  const buf = Buffer.allocUnsafe(1 << 20);
  let lines = 1;
  for (let pos = 0; pos < offset; ) {
    const n = readAt(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
    if (n === 0) break;
    for (let i = buf.indexOf(NL, 0); i >= 0 && i < n; i = buf.indexOf(NL, i + 1)) lines++;
    pos += n;
  }
  return lines;
}

/**
 * The read buffer, reused by every block this thread reads: blocks are
 * parsed one at a time per thread, and the parser copies out everything it
 * keeps, so one buffer per thread serves them all (no 64 MB allocation per
 * task for the garbage collector to catch up with).
 */
let scratchBuf: Buffer | undefined;
function scratch(n: number): Buffer {
  if (scratchBuf === undefined || scratchBuf.length < n) scratchBuf = Buffer.allocUnsafeSlow(n);
  return scratchBuf;
}

export function readCsvBlock(block: Block, plan: ParsePlan): Part {
  if (block.gzip) return readGzip(block, plan);
  const fd = openFile(block.file);
  try {
    let begin = block.start;
    if (begin > 0) {
      // The line that starts before the block belongs to the previous block.
      const probe = Buffer.allocUnsafe(TAIL);
      for (let pos = begin - 1; ; pos += TAIL) {
        const n = readAt(fd, probe, 0, TAIL, pos);
        const nl = probe.indexOf(NL);
        if (nl >= 0 && nl < n) {
          begin = pos + nl + 1;
          break;
        }
        if (n < TAIL) return parseLines(Buffer.alloc(0), 0, 0, 0, plan, { file: block.file, firstLine: () => 0 });
      }
    }
    if (begin >= block.end) return parseLines(Buffer.alloc(0), 0, 0, 0, plan, { file: block.file, firstLine: () => 0 });
    // Eight bytes more than is read: the parser puts a sentinel newline after the data, and
    // reads it back as part of a four-byte word.
    let buf = scratch(block.end - begin + TAIL + 8);
    let room = block.end - begin + TAIL;
    let have = readAt(fd, buf, 0, room, begin);
    // Read on until the line that starts before `end` is whole.
    for (;;) {
      const from = Math.max(0, block.end - begin - 1);
      const nl = buf.indexOf(NL, from);
      if ((nl >= 0 && nl < have) || have < room) break;
      const bigger = Buffer.allocUnsafeSlow(room * 2 + 8);
      buf.copy(bigger, 0, 0, have);
      buf = bigger;
      room *= 2;
      have += readAt(fd, buf, have, room - have, begin + have);
    }
    // A UTF-8 byte order mark at the start of the file is not data.
    let from = block.start === 0 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
    if (block.start === 0 && plan.header) {
      const nl = buf.indexOf(NL);
      from = nl < 0 || nl >= have ? have : nl + 1;
    }
    const stop = Math.min(have, block.end - begin);
    const firstLine = () => lineAt(fd, begin) + (from > 0 ? 1 : 0);
    let counted: number | undefined;
    return parseLines(buf, from, stop, have, plan, { file: block.file, firstLine: () => (counted ??= firstLine()) });
  } finally {
    fs.closeSync(fd);
  }
}

function readGzip(block: Block, plan: ParsePlan): Part {
  let bytes: Buffer;
  try {
    bytes = zlib.gunzipSync(fs.readFileSync(block.file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw Errors.badInput(`readCsv: cannot read ${block.file}: ${code === "ENOENT" ? "no such file" : (e as Error).message} (${code === "ENOENT" ? "check the path" : "is it a gzip file?"})`);
  }
  let from = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (plan.header) {
    const nl = bytes.indexOf(NL);
    from = nl < 0 ? bytes.length : nl + 1;
  }
  return parseLines(bytes, from, bytes.length, bytes.length, plan, { file: block.file, firstLine: () => (from > 0 ? 2 : 1) });
}
