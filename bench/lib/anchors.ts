/**
 * Running the shared anchor scripts (../shared/anchors) beside Tessera: the
 * Node ones with this Node, the Python ones with /usr/bin/python3. Each prints
 * one JSON record; data comes from gen_data.mjs, the same bytes for everyone.
 */
import { execFile, execFileSync } from "node:child_process";
import * as path from "node:path";
import { ANCHORS } from "./python";

/** Generates (once) a data set with the anchors' generator; returns its path. */
export function ensureData(name: string): string {
  const out = execFileSync(process.execPath, [path.join(ANCHORS, "gen_data.mjs"), name], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"], maxBuffer: 1 << 20 });
  return out.trim().split("\n").pop()!;
}

export function runNodeAnchor(script: string, args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [path.join(ANCHORS, script), ...args], { timeout: 600_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} ${args.join(" ")} failed: ${err.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
      if (line === undefined) return reject(new Error(`${script} printed no JSON record`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}
