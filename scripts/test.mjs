// Runs node's test runner over the built tests: `unit` (default) is every file under dist/test/
// except dist/test/e2e/; `e2e` is dist/test/e2e/ alone (the status page in headless Chromium,
// which needs Debian's chromium: npm run test:browser).
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { join } from "node:path";

const which = process.argv[2] ?? "unit";
const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..", "dist", "test");
const e2e = join(root, "e2e");

function files(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return which === "unit" && p === e2e ? [] : files(p);
    return e.name.endsWith(".test.js") ? [p] : [];
  });
}

const list = files(which === "e2e" ? e2e : root);
if (list.length === 0) {
  console.error(`no ${which} test files under ${which === "e2e" ? e2e : root} (did npm run build run?)`);
  process.exit(1);
}
const r = spawnSync(process.execPath, ["--test", "--test-reporter=spec", ...list], { stdio: "inherit" });
process.exit(r.status ?? 1);
