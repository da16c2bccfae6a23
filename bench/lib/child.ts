/**
 * One measured run per process, so that every run's peak RSS is its own:
 * the parent runs `node <script> --child <impl>` and reads the JSON record
 * it prints last. Children time their work with `measured`, which also
 * reports the CPU that other processes used meanwhile (a busy machine).
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";

export function runChild(script: string, args: string[], timeoutMs = 600_000): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, ...args], { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`${script} ${args.join(" ")} failed: ${err.message}\n${stderr.slice(-2000)}`));
      const line = stdout.trim().split("\n").reverse().find((l) => l.startsWith("{"));
      if (line === undefined) return reject(new Error(`${script} printed no JSON record:\n${stdout.slice(-2000)}`));
      resolve(JSON.parse(line) as Record<string, unknown>);
    });
  });
}

function machineBusyS(): number {
  const v = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const idle = v[3]! + (v[4] ?? 0);
  return (v.slice(0, 8).reduce((a, b) => a + b, 0) - idle) / 100;
}

/** Runs fn and returns its value with wall time, CPU, other processes' CPU meanwhile, and peak RSS. */
export async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; wall_s: number; cpu_s: number; foreign_cpu_s: number; peak_rss_mb: number }> {
  const b0 = machineBusyS();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6;
  return { value, wall_s: +wall.toFixed(3), cpu_s: +cpu.toFixed(2), foreign_cpu_s: +Math.max(0, machineBusyS() - b0 - cpu).toFixed(2), peak_rss_mb: +(process.resourceUsage().maxRSS / 1024).toFixed(0) };
}
