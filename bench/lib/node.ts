/**
 * Plain-Node anchor scripts (shared/anchors/*.mjs), each run in its own
 * process, and the anchors' data sets.
 */
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { ANCHORS, runRecord } from "./python";

/** Runs a Node anchor script and resolves with the JSON record it prints last. */
export function runNode(script: string, args: string[], options: { timeoutMs?: number } = {}): Promise<Record<string, unknown>> {
  return runRecord(process.execPath, script, args, options);
}

/** The path of an anchor data set, generated once by shared/anchors/gen_data.mjs (a no-op when it exists). */
export function ensureAnchorData(name: string): string {
  const out = execFileSync(process.execPath, [path.join(ANCHORS, "gen_data.mjs"), name], { encoding: "utf8" }).trim().split("\n");
  return out[out.length - 1]!;
}
