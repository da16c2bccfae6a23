/**
 * Runs a plain-Node anchor script (shared/anchors/*.mjs) in its own process
 * and returns the JSON record it prints last, as runPython does for Python.
 */
import { execFile, execFileSync } from "node:child_process";
import * as path from "node:path";
import { ANCHORS } from "./python";

export function runNode(script: string, args: string[], options: { timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${path.basename(script)} ${args.join(" ")} failed: ${err.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
      if (line === undefined) return reject(new Error(`${path.basename(script)} printed no JSON record:\n${stdout.slice(-2000)}`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

/** The path of an anchor data set, generated once by shared/anchors/gen_data.mjs (a no-op when it exists). */
export function ensureAnchorData(name: string): string {
  const out = execFileSync(process.execPath, [path.join(ANCHORS, "gen_data.mjs"), name], { encoding: "utf8" }).trim().split("\n");
  return out[out.length - 1]!;
}
