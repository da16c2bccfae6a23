/**
 * Shared setup of the Jupyter suites (kernel protocol, notebooks): they start
 * real kernels and take seconds, so `npm test` skips them and
 * `npm run test:kernel` (TESSERA_KERNEL_TESTS=1) runs them.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const ROOT = path.resolve(__dirname, "..", "..", "..");
export const TESSERA_BIN = path.join(ROOT, "bin", "tessera.js");
export const KERNEL_ARGV = [process.execPath, TESSERA_BIN, "kernel", "start", "--connection-file", "{connection_file}"];

/** `skip` option for node:test: a reason unless the Jupyter suites were asked for. */
export const kernelSuite: { skip: string | false } = {
  skip: process.env["TESSERA_KERNEL_TESTS"] === "1" ? false : "a Jupyter suite: run it with npm run test:kernel",
};

/** A fresh temporary folder, removed by the returned function. */
export function tempDir(prefix: string): { dir: string; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `tessera-${prefix}-`));
  return { dir, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
