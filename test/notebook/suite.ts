/**
 * Shared setup of the Jupyter suites (kernel protocol, notebooks): they start
 * real kernels and take seconds, so they are named *.slow.test.ts: `npm test`
 * leaves them out and `npm run test:kernel` runs them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const TESSERA_BIN = path.join(ROOT, "bin", "tessera.js");
export const KERNEL_ARGV = [process.execPath, TESSERA_BIN, "kernel", "start", "--connection-file", "{connection_file}"];

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tessera-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
