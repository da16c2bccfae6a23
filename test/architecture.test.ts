/**
 * The layer order, enforced: graph -> optimize -> schedule -> collections;
 * worker-side code imports no collection classes; kernel/ never imports
 * vscode, extension/ or webview/.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";

const root = path.join(__dirname, "..", "..");

/** What each folder of kernel/ may import from kernel/ (besides itself and top-level files listed). */
const ALLOWED: Record<string, string[]> = {
  graph: [],
  optimize: ["graph"],
  store: [],
  // worker/kernels.ts loads io's kernels (CSV and Parquet reading run in workers).
  worker: ["graph", "store", "collections/*/chunk", "io"],
  schedule: ["graph", "optimize", "store", "worker"],
  // Collections may use io: formats (x.toZarr, da.fromZarr) and readers (dd.readCsv, dd.readParquet)
  // build on io's planning and parsing; io knows no collection but chunk kernels.
  collections: ["graph", "optimize", "store", "worker", "schedule", "io"],
  io: ["graph", "store", "worker", "collections/*/chunk"],
  diagnostics: ["graph", "optimize", "store", "worker", "schedule", "collections", "io"],
  // The notebook kernel sits on top of everything: it also shows clusters as they start.
  notebook: ["graph", "optimize", "store", "worker", "schedule", "collections", "io", "diagnostics", "cluster"],
};
/** Top-level kernel files anyone may import. */
const LEAVES = ["errors", "events", "protocol"];

function tsFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? tsFiles(p) : e.name.endsWith(".ts") ? [p] : [];
  });
}

function imports(file: string): string[] {
  const src = fs.readFileSync(file, "utf8");
  const out: string[] = [];
  for (const m of src.matchAll(/(?:import|export)[^;]*?from\s+["']([^"']+)["']|import\s+["']([^"']+)["']|require\(\s*["']([^"']+)["']\s*\)|import\(\s*["']([^"']+)["']\s*\)/g)) {
    out.push((m[1] ?? m[2] ?? m[3] ?? m[4])!);
  }
  return out;
}

function area(rel: string): string {
  const parts = rel.split("/");
  // Browser code (the status page) imports with the ".js" an ES module needs.
  return parts.length === 1 ? parts[0]!.replace(/\.(ts|js)$/, "") : parts[0]!;
}

function allowed(fromArea: string, target: string): boolean {
  const targetArea = area(target);
  if (targetArea === fromArea || LEAVES.includes(targetArea)) return true;
  for (const rule of ALLOWED[fromArea] ?? []) {
    if (rule === targetArea) return true;
    if (rule === "collections/*/chunk" && /^collections\/[^/]+\/chunk(\.ts)?$/.test(target)) return true;
  }
  return false;
}

test("kernel folders import only the layers below them", () => {
  const kernel = path.join(root, "kernel");
  const problems: string[] = [];
  for (const file of tsFiles(kernel)) {
    const rel = path.relative(kernel, file).split(path.sep).join("/");
    const from = area(rel);
    if (!(from in ALLOWED)) continue; // top-level files (index, cluster, errors, …) may import anything below
    for (const spec of imports(file)) {
      if (!spec.startsWith(".")) continue;
      const target = path.relative(kernel, path.resolve(path.dirname(file), spec)).split(path.sep).join("/");
      if (target.startsWith("..")) problems.push(`${rel} imports ${spec}, outside kernel/`);
      else if (!allowed(from, target)) problems.push(`${rel} imports ${target} (${from} may import: ${[...(ALLOWED[from] ?? []), ...LEAVES].join(", ")})`);
    }
  }
  assert.deepEqual(problems, []);
});

test("kernel/ never imports vscode, and webview/ imports only protocol.ts from kernel/", () => {
  const problems: string[] = [];
  for (const file of tsFiles(path.join(root, "kernel"))) {
    for (const spec of imports(file)) {
      if (spec === "vscode" || /(^|\/)(extension|webview)\//.test(spec)) problems.push(`${path.relative(root, file)} imports ${spec}`);
    }
  }
  for (const file of tsFiles(path.join(root, "webview"))) {
    for (const spec of imports(file)) {
      if (spec === "vscode") problems.push(`${path.relative(root, file)} imports vscode`);
      if (spec.includes("kernel/") && !/kernel\/protocol(\.js)?$/.test(spec)) problems.push(`${path.relative(root, file)} imports ${spec}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("protocol.ts imports nothing, so webviews and the status page can load it as it is", () => {
  assert.deepEqual(imports(path.join(root, "kernel", "protocol.ts")), []);
});

test("the checker itself catches a violation", () => {
  assert.equal(allowed("graph", "schedule/loop"), false);
  assert.equal(allowed("schedule", "collections/delayed/delayed"), false);
  assert.equal(allowed("worker", "collections/delayed/chunk"), true);
  assert.equal(allowed("worker", "collections/delayed/delayed"), false);
  assert.equal(allowed("optimize", "graph"), true);
  assert.equal(allowed("diagnostics", "protocol.js"), true);
  assert.equal(allowed("schedule", "diagnostics/server"), false);
});
