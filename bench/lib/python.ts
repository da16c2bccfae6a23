/**
 * Runs the Python side of a benchmark (Dask, pandas, NumPy from Debian's
 * packages) in its own process and returns the JSON record it prints last.
 * Always /usr/bin/python3: the python first on PATH may lack Dask.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const PYTHON = "/usr/bin/python3";
/** The anchor scripts shipped beside the project: shared/anchors in the nearest folder above it that has one (or $TESSERA_ANCHORS). */
export const ANCHORS = process.env.TESSERA_ANCHORS ?? findAnchors();

function findAnchors(): string {
  for (let dir = path.resolve(__dirname, "..", "..", ".."); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "shared", "anchors");
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return path.resolve(__dirname, "..", "..", "..", "..", "shared", "anchors");
  }
}
/** This project's own Python scripts (bench/dask). */
export const DASK_SCRIPTS = path.resolve(__dirname, "..", "..", "..", "bench", "dask");

export function havePythonDask(): boolean {
  if (!fs.existsSync(PYTHON)) return false;
  try {
    require("node:child_process").execFileSync(PYTHON, ["-c", "import dask, numpy"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

export function runPython(script: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Record<string, unknown>> {
  return runRecord(PYTHON, script, args, options);
}

/** Runs `executable script args…` and resolves with the last JSON record it prints. */
export function runRecord(executable: string, script: string, args: string[], options: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(executable, [script, ...args], { timeout: options.timeoutMs ?? 600_000, maxBuffer: 64 << 20, env: { ...process.env, ...options.env } }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${path.basename(script)} ${args.join(" ")} failed: ${err.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
      if (line === undefined) return reject(new Error(`${path.basename(script)} printed no JSON record:\n${stdout.slice(-2000)}`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}
