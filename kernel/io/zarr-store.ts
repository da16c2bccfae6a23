/**
 * The filesystem store Tessera gives zarrita: keys are paths under the
 * array's folder. Unlike @zarrita/storage's store, it reads a chunk file
 * straight into a SharedArrayBuffer, in one read: for raw chunks (the
 * `bytes` codec, little-endian, no compression) zarrita's decoding is then a
 * view of those bytes, so a chunk goes from disk to a block that crosses
 * threads without a copy. It is synchronous underneath (promises on top for
 * zarrita's interface): a worker runs one task at a time, and Node's
 * promise-based readFile reads a 32 MiB chunk in 512 KiB pieces.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { FileStore } from "./zarrita";

function read(file: string): Uint8Array | undefined {
  let fd: number;
  try {
    fd = fs.openSync(file, "r");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined; // a missing chunk is the fill value
    throw e;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const out = new Uint8Array(new SharedArrayBuffer(size));
    for (let at = 0; at < size; ) {
      const n = fs.readSync(fd, out, at, size - at, at);
      if (n === 0) throw new Error(`${file} is shorter than its size said (${at} of ${size} bytes): was it written while being read?`);
      at += n;
    }
    return out;
  } finally {
    fs.closeSync(fd);
  }
}

/** A zarrita store over the folder `root`. */
export function sharedFileStore(root: string): FileStore {
  const file = (key: string) => path.join(root, ...key.split("/").filter((p) => p !== ""));
  return {
    async get(key) {
      return read(file(key));
    },
    async set(key, value) {
      const f = file(key);
      fs.mkdirSync(path.dirname(f), { recursive: true });
      fs.writeFileSync(f, value);
    },
  };
}
