/**
 * Worker-side reading of one block of a text file: the lines whose first
 * byte lies in [start, end), without their line endings. Runs in the worker
 * threads (tasks name this module and export; workers load it once), so the
 * main thread never touches the file's bytes.
 *
 * A block boundary falls anywhere in a line: the block that holds a line's
 * first byte reads it to its end, past `end` if it must, and the next block
 * skips the rest of it. Gzip files are read whole (gzip cannot be entered in
 * the middle).
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";
import { TEXT_ORIGIN } from "../collections/bag/chunk";

const NL = 10;
const MORE = 1 << 16;

export interface TextBlock {
  file: string;
  start: number;
  end: number;
  /** The file's size when planned: a block reaching it reads the file whole. */
  size: number;
  gzip: boolean;
  encoding: BufferEncoding;
  /** Items are [line, file] instead of lines. */
  includePath: boolean;
}

export function readTextBlock(b: TextBlock): unknown[] {
  let buf: Buffer;
  let from = 0;
  let to: number;
  let firstByte = b.start;
  if (b.gzip || (b.start === 0 && b.end >= b.size)) {
    buf = fs.readFileSync(b.file);
    if (b.gzip) buf = zlib.gunzipSync(buf);
    to = buf.length;
  } else {
    ({ buf, from, to } = readRange(b.file, b.start, b.end));
    firstByte = b.start + from - (b.start > 0 ? 1 : 0);
  }
  const lines = splitLines(buf.toString(b.encoding, from, to));
  const items: unknown[] = b.includePath ? lines.map((l) => [l, b.file]) : lines;
  Object.defineProperty(items, TEXT_ORIGIN, { value: { file: b.file, start: firstByte, firstLine: firstByte === 0 ? 1 : undefined } });
  return items;
}

/** Bytes of the lines starting in [start, end): buf[from, to). */
function readRange(file: string, start: number, end: number): { buf: Buffer; from: number; to: number } {
  const fd = fs.openSync(file, "r");
  try {
    // One byte before the block tells whether its first byte starts a line.
    const pre = start > 0 ? 1 : 0;
    const want = end - start + pre;
    let buf = Buffer.allocUnsafe(want + MORE);
    let len = fs.readSync(fd, buf, 0, want, start - pre);
    let from = 0;
    if (pre === 1) {
      const nl = buf.indexOf(NL);
      from = nl < 0 || nl >= len ? len : nl + 1;
    }
    if (from >= want) return { buf, from: 0, to: 0 }; // no line starts in this block
    // Finish the last line: read on to the next newline (or the end of the file).
    if (len > 0 && buf[len - 1] !== NL) {
      for (;;) {
        if (buf.length - len < MORE) {
          const bigger = Buffer.allocUnsafe(buf.length * 2);
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
        const n = fs.readSync(fd, buf, len, MORE, start - pre + len);
        if (n === 0) break;
        const nl = buf.indexOf(NL, len);
        len += n;
        if (nl >= 0 && nl < len) {
          len = nl + 1;
          break;
        }
      }
    }
    return { buf, from, to: len };
  } finally {
    fs.closeSync(fd);
  }
}

/** Lines without "\n" or "\r\n"; no empty item after a final newline. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split("\n");
  if (lines[lines.length - 1] === "") lines.pop();
  if (text.includes("\r")) {
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
    }
  }
  return lines;
}
