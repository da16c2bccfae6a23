/**
 * The tslab internals the kernel reaches into (tslab.ts, typescript-host.ts),
 * each exercised: an upgrade of tslab that moves one of them fails here.
 * Runs in a folder with no node_modules above it, as a notebook may.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CellRegistry, withScriptName } from "../../kernel/notebook/cells";
import { kernelPaths } from "../../kernel/notebook/resolution";
import { TSLAB_VERSION, loadTslab, tslabDir } from "../../kernel/notebook/tslab";

const ROOT = path.resolve(__dirname, "..", "..", "..");
const paths = kernelPaths(ROOT);
const cells = new CellRegistry();
const notebookDir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-tslab-"));
process.chdir(notebookDir); // tslab's converter works from the current folder
process.on("exit", () => fs.rmSync(notebookDir, { recursive: true, force: true }));

const tslab = loadTslab({
  typeRoots: paths.typeRoots,
  modulesDirs: paths.moduleDirs,
  fallbackFrom: path.join(ROOT, "package.json"),
  aliases: { tessera: paths.engineTypes },
  onTranspile: (esm, cjs, map) => cells.onTranspile(esm, cjs, map),
});
const converter = tslab.createConverter({ isJS: false, isBrowser: false });
test.after(() => converter.close());
/** The converter as the kernel's session wraps it: each cell's code is recorded with its maps. */
let nextCount = 12;
const wrapped = {
  ...converter,
  convert(prev: string, src: string) {
    const r = converter.convert(prev, src);
    if (r.output !== undefined) cells.record(nextCount, src, r.output);
    return r;
  },
  close() {},
};

test("the installed tslab is the pinned one, and package.json pins it exactly", () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));
  assert.equal(pkg.dependencies.tslab, TSLAB_VERSION);
  assert.equal(tslab.version, TSLAB_VERSION);
  assert.equal(JSON.parse(fs.readFileSync(path.join(tslabDir(), "package.json"), "utf8")).version, TSLAB_VERSION);
});

test("every internal the kernel uses is there", () => {
  for (const m of ["handleShellMessage", "handleExecute", "init", "close"]) assert.equal(typeof (tslab.jupyter.ZmqServer.prototype as unknown as Record<string, unknown>)[m], "function", m);
  for (const m of ["handleExecute", "handleExecuteImpl"]) assert.equal(typeof (tslab.jupyter.JupyterHandlerImpl.prototype as unknown as Record<string, unknown>)[m], "function", m);
  assert.ok("lastWriteDisplayData" in tslab.jupyter);
  const executor = tslab.createExecutor(notebookDir, { node: converter, browser: converter, close() {} }, { log() {}, error() {} });
  for (const m of ["execute", "interrupt", "close"]) assert.equal(typeof (executor as unknown as Record<string, unknown>)[m], "function", m);
  assert.equal(typeof executor.locals, "object");
});

test("'tessera' and the kernel's own dependencies type-check from a folder without node_modules", () => {
  const ok = converter.convert("", `import { delayed } from "tessera";\nimport { tableFromArrays } from "apache-arrow";\nconst t = tableFromArrays({ x: Float64Array.of(1) });\nconst d = delayed((x: number) => x + 1)(1);`);
  assert.deepEqual(ok.diagnostics, []);
  // the declarations name the packages, so the next cell sees both variables with their types
  assert.match(ok.declOutput!, /declare const t: import\("apache-arrow(\/table)?"\)\.Table</);
  const next = converter.convert(ok.declOutput!, `const n: number = t.numRows;\nconst s: string = d;`);
  assert.deepEqual(next.diagnostics.map((d) => d.code), [2322], "only the deliberate error: Delayed<number> is not a string");
  const missing = converter.convert("", `import { x } from "no-such-package-anywhere";`);
  assert.deepEqual(missing.diagnostics.map((d) => d.code), [2307]);
});

test("a cell compiles with source maps through both steps, so lines map back", () => {
  const src = `interface P { x: number }\n\nfunction f(p: P): number {\n  // a comment\n\n  if (p.x > 1)\n    throw new Error("x");\n  return p.x;\n}\nf({ x: 0 })`;
  const r = converter.convert("", src);
  assert.deepEqual(r.diagnostics, []);
  cells.record(41, src, r.output!);
  const code = r.output!.split("\n");
  const at = code.findIndex((l) => l.includes("throw new Error"));
  assert.ok(at >= 0);
  assert.deepEqual(cells.toSource(41, at, code[at]!.indexOf("throw")), { count: 41, line: 6, column: 4 });
  assert.ok(!r.output!.includes("sourceMappingURL"), "the map comments are removed from the code that runs");
});

test("withScriptName names the vm script that tslab compiles a cell into", async () => {
  const executor = tslab.createExecutor(notebookDir, { node: converter, browser: converter, close() {} }, { log() {}, error() {} });
  const errors: unknown[] = [];
  const ex2 = tslab.createExecutor(notebookDir, { node: converter, browser: converter, close() {} }, { log() {}, error: (e) => errors.push(e) });
  assert.equal(await withScriptName("In[7]", () => executor.execute(`const a = 1;`)), true);
  assert.equal(await withScriptName("In[8]", () => ex2.execute(`\nthrow new Error("here")`)), false);
  assert.match((errors[0] as Error).stack!, /at In\[8\]:\d+:\d+/);
});

test("a worker's stack frame of a function written in a cell is reported at that cell's line", async () => {
  const { TaskError, serializeError } = await import("../../kernel/errors");
  const { toCallable } = await import("../../kernel/worker/callable");
  const { resolveCallable } = await import("../../kernel/worker/resolve");
  const { errorReport } = await import("../../kernel/notebook/error-report");
  const src = `function explode(x: number): number {\n  // types and comments move lines in the compiled code\n\n  const y: number = x * 2;\n  if (y > 3) throw new RangeError("too big");\n  return y;\n}`;
  const ran: unknown[] = [];
  nextCount = 12;
  const executor = tslab.createExecutor(notebookDir, { node: wrapped, browser: converter, close() {} }, { log() {}, error: (e) => ran.push(e) });
  assert.equal(await withScriptName("In[12]", () => executor.execute(src)), true, String(ran[0]));
  const fn = (executor.locals as Record<string, Function>)["explode"]!;
  const workerFn = resolveCallable(toCallable(fn)); // compiled as a worker compiles it, with its sourceURL
  let thrown: unknown;
  try {
    workerFn(5);
  } catch (e) {
    thrown = e;
  }
  assert.match((thrown as Error).stack!, /tessera-fn\/explode-[0-9a-f]{20}\.js:\d+:\d+/);
  const report = errorReport(new TaskError("explode-1234567890", "explode", serializeError(thrown), "thread-1"), cells, { internalDirs: [ROOT] });
  assert.equal(report.ename, "TaskError");
  assert.ok(report.traceback.includes("    at explode (In[12]:5:20)"), report.traceback.join("\n"));
  assert.ok(report.traceback.includes("--> 5 |   if (y > 3) throw new RangeError(\"too big\");"), report.traceback.join("\n"));
});
