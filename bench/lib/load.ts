/** Reads a raw little-endian float64 file into shared memory (outside any timed section). */
import * as fs from "node:fs";

export function loadF64(file: string): Float64Array {
  const size = fs.statSync(file).size;
  const u8 = new Uint8Array(new SharedArrayBuffer(size));
  const fd = fs.openSync(file, "r");
  try {
    let off = 0;
    while (off < size) off += fs.readSync(fd, u8, off, Math.min(1 << 28, size - off), off);
  } finally {
    fs.closeSync(fd);
  }
  return new Float64Array(u8.buffer);
}
