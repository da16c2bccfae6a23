// The main job until the VS Code extension exists: runs every example script in turn.
import { readdirSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "scripts");
let failed = 0;
for (const f of readdirSync(dir).filter((f) => f.endsWith(".mjs")).sort()) {
  console.log(`\n=== examples/scripts/${f} ===`);
  const r = spawnSync(process.execPath, [path.join(dir, f)], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
