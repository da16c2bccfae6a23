// Runs compiled test files with node's test runner.
//   node scripts/run-tests.mjs            every dist/test/**/*.test.js except *.slow.test.js (npm test)
//   node scripts/run-tests.mjs --slow DIR  the *.slow.test.js suites under dist/test/DIR, one at a time
// Node's runner, given a folder, would treat every .js under test/ (fixtures too) as a test file
// and could not leave the slow suites out; listing the files here does both.
import { readdirSync, statSync } from "node:fs";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "dist", "test");
const args = process.argv.slice(2);
const slow = args[0] === "--slow";
const base = slow ? path.join(root, args[1] ?? "") : root;

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const files = walk(base)
  .filter((f) => (slow ? f.endsWith(".slow.test.js") : f.endsWith(".test.js") && !f.endsWith(".slow.test.js")))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${base}`);
  process.exit(1);
}
const runner = ["--test", "--test-reporter=spec", ...(slow ? ["--test-concurrency=1"] : []), ...files];
const r = spawnSync(process.execPath, runner, { stdio: "inherit" });
process.exit(r.status ?? 1);
