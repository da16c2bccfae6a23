// The main job until the VS Code extension exists: runs every example script, then every
// example notebook on the Tessera kernel through Jupyter's nbconvert (when Jupyter is installed),
// checking each notebook's outputs against what its cells expect.
import { readdirSync, existsSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import path from "node:path";

const here = path.dirname(fileURLToPath(import.meta.url));
const dir = path.join(here, "scripts");
let failed = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
  console.log(`\n=== examples/scripts/${f} ===`);
  const r = spawnSync(process.execPath, [path.join(dir, f)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}

// The notebook runner lives with its tests (test/notebook/nbconvert.ts), compiled into dist/.
const require = createRequire(import.meta.url);
const { JUPYTER, exampleNotebooks, executeNotebook, workspace } = require("../dist/test/notebook/nbconvert.js");
const { checkNotebook } = require("../dist/test/notebook/notebook-check.js");
if (!existsSync(JUPYTER)) {
  console.log(`\n(notebooks skipped: ${JUPYTER} not found; apt-get install jupyter-nbconvert python3-ipykernel jupyter-client)`);
} else {
  const ws = await workspace();
  try {
    for (const nb of exampleNotebooks()) {
      const t0 = performance.now();
      process.stdout.write(`\n=== examples/${path.basename(nb)} (nbconvert) === `);
      try {
        const { problems, checked } = checkNotebook(await executeNotebook(ws, nb));
        console.log(problems.length === 0 ? `ok: ${checked} expectations in ${((performance.now() - t0) / 1000).toFixed(1)} s` : `FAILED\n  ${problems.join("\n  ")}`);
        if (problems.length > 0) failed++;
      } catch (e) {
        console.log(`FAILED\n${e.message}`);
        failed++;
      }
    }
  } finally {
    ws.remove();
  }
}
process.exit(failed === 0 ? 0 : 1);
