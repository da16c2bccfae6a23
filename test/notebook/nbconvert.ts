/**
 * Executes notebooks with a real Jupyter client — Debian's
 * `jupyter nbconvert --to notebook --execute` — on the "tessera" kernelspec,
 * installed by our own CLI into a throwaway prefix, so nothing is written to
 * the user's Jupyter folders. Each notebook runs in a scratch folder (the
 * data it generates lands there).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { ROOT, TESSERA_BIN, tempDir } from "./suite";

export const JUPYTER = process.env["TESSERA_JUPYTER"] ?? "/usr/bin/jupyter";
const MISSING = `${JUPYTER} not found: install Debian's jupyter-nbconvert python3-ipykernel jupyter-client (apt-get install jupyter-nbconvert python3-ipykernel jupyter-client)`;

export interface Workspace {
  dir: string;
  env: NodeJS.ProcessEnv;
  remove(): void;
}

function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    p.stdout.on("data", (d) => (output += d));
    p.stderr.on("data", (d) => (output += d));
    p.on("error", reject);
    p.on("close", (code) => resolve({ code, output }));
  });
}

/** A scratch Jupyter setup with the kernelspec installed by `tessera kernel install --prefix`. */
export async function workspace(): Promise<Workspace> {
  if (!fs.existsSync(JUPYTER)) throw new Error(MISSING);
  const tmp = tempDir("notebooks");
  const prefix = path.join(tmp.dir, "prefix");
  fs.mkdirSync(prefix);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: path.join(tmp.dir, "home"),
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_CONFIG_DIR: path.join(tmp.dir, "config"),
    JUPYTER_RUNTIME_DIR: path.join(tmp.dir, "runtime"),
    IPYTHONDIR: path.join(tmp.dir, "ipython"),
    PYDEVD_DISABLE_FILE_VALIDATION: "1",
  };
  delete env["JUPYTER_DATA_DIR"];
  delete env["XDG_DATA_HOME"];
  for (const d of ["home", "config", "runtime", "ipython"]) fs.mkdirSync(path.join(tmp.dir, d));
  const install = await run(process.execPath, [TESSERA_BIN, "kernel", "install", "--prefix", prefix], { env });
  if (install.code !== 0) throw new Error(`tessera kernel install failed:\n${install.output}`);
  return { dir: tmp.dir, env, remove: tmp.remove };
}

/**
 * Runs `notebook` to the end in a scratch folder of `ws`; resolves with the
 * executed copy's path, or rejects with nbconvert's output.
 * @example const out = await executeNotebook(ws, "examples/02-delayed.ipynb")
 */
export async function executeNotebook(ws: Workspace, notebook: string): Promise<string> {
  const name = path.basename(notebook, ".ipynb");
  const work = path.join(ws.dir, "work", name);
  fs.mkdirSync(work, { recursive: true });
  const input = path.join(work, `${name}.ipynb`);
  fs.copyFileSync(notebook, input);
  const r = await run(JUPYTER, ["nbconvert", "--to", "notebook", "--execute", "--ExecutePreprocessor.timeout=600", "--output-dir", path.join(work, "out"), input], { env: ws.env, cwd: work });
  const out = path.join(work, "out", `${name}.ipynb`);
  if (r.code !== 0 || !fs.existsSync(out)) throw new Error(`nbconvert failed on ${notebook} (exit ${r.code}):\n${r.output.split("\n").slice(-60).join("\n")}`);
  return out;
}

/** Every example notebook, in teaching order. */
export function exampleNotebooks(): string[] {
  const dir = path.join(ROOT, "examples");
  return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f));
}
