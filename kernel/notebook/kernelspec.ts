/**
 * The Jupyter kernelspec "tessera" ("Tessera (TypeScript)"): where Jupyter
 * looks for kernels, and writing, removing and listing ours there — without
 * Python (no `jupyter kernelspec` needed).
 *
 * Folders follow jupyter_core: the user's data folder ($JUPYTER_DATA_DIR, or
 * ~/Library/Jupyter on macOS, %APPDATA%\jupyter on Windows,
 * $XDG_DATA_HOME/jupyter or ~/.local/share/jupyter elsewhere), a prefix's
 * share/jupyter (`--prefix DIR`, as `jupyter kernelspec install --prefix`),
 * the folders in $JUPYTER_PATH, and the system folders.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const KERNEL_NAME = "tessera";
export const DISPLAY_NAME = "Tessera (TypeScript)";

export type SpecTarget = { user: true } | { prefix: string };

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: "signal" | "message";
  metadata: Record<string, unknown>;
}

export interface FoundSpec {
  dir: string;
  spec: KernelSpec | undefined;
  /** Why kernel.json could not be read, when it could not. */
  problem?: string;
}

export class KernelspecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "KernelspecError";
  }
}

/**
 * The user's Jupyter data folder, as jupyter_core computes it.
 * @example userDataDir({ JUPYTER_DATA_DIR: "/tmp/j" }) // "/tmp/j"
 */
export function userDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env["JUPYTER_DATA_DIR"]) return env["JUPYTER_DATA_DIR"];
  if (platform === "darwin") return path.join(home, "Library", "Jupyter");
  if (platform === "win32") return env["APPDATA"] ? path.join(env["APPDATA"], "jupyter") : path.join(home, ".jupyter", "data");
  return path.join(env["XDG_DATA_HOME"] || path.join(home, ".local", "share"), "jupyter");
}

/** The folder the kernelspec goes in for a target; a prefix must exist. */
export function specDir(target: SpecTarget, env: NodeJS.ProcessEnv = process.env): string {
  if ("user" in target) return path.join(userDataDir(env), "kernels", KERNEL_NAME);
  const prefix = path.resolve(target.prefix);
  if (!fs.existsSync(prefix) || !fs.statSync(prefix).isDirectory()) {
    throw new KernelspecError(
      `--prefix ${JSON.stringify(target.prefix)}: no such folder. Pass the prefix of the Python environment Jupyter runs in ` +
        `(it prints with: python3 -c "import sys; print(sys.prefix)"), or use --user`,
    );
  }
  return path.join(prefix, "share", "jupyter", "kernels", KERNEL_NAME);
}

/**
 * The kernelspec that starts this installation's kernel. Paths are absolute:
 * Jupyter servers often run with a PATH that lacks the user's node.
 * @example kernelSpec("/app/node_modules/tessera").argv[2] // "kernel"
 */
export function kernelSpec(root: string, node: string = process.execPath): KernelSpec {
  return {
    argv: [node, path.join(root, "bin", "tessera.js"), "kernel", "start", "--connection-file", "{connection_file}"],
    display_name: DISPLAY_NAME,
    language: "typescript",
    // Jupyter's default; the kernel also answers interrupt_request, for clients that send it.
    interrupt_mode: "signal",
    metadata: { debugger: false },
  };
}

/**
 * Writes the kernelspec; returns its folder.
 * @example installSpec({ user: true }, "/app/node_modules/tessera")
 */
export function installSpec(target: SpecTarget, root: string, env: NodeJS.ProcessEnv = process.env): string {
  const built = path.join(root, "dist", "kernel", "notebook", "kernel.js");
  if (!fs.existsSync(built)) throw new KernelspecError(`${built} is missing: build Tessera first (npm run build in ${root})`);
  const dir = specDir(target, env);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(kernelSpec(root), null, 2) + "\n");
  return dir;
}

/**
 * Removes the kernelspec; returns the folder removed. Throws, naming where it
 * looked, when there is none there.
 */
export function uninstallSpec(target: SpecTarget, env: NodeJS.ProcessEnv = process.env): string {
  const dir = specDir(target, env);
  if (!fs.existsSync(path.join(dir, "kernel.json"))) {
    const found = listSpecs(env, "prefix" in target ? [target.prefix] : []).map((f) => f.dir);
    const where = found.length > 0 ? `; installed ones: ${found.join(", ")}` : "; none is installed in the folders Jupyter searches";
    throw new KernelspecError(`no "${KERNEL_NAME}" kernelspec in ${dir}${where}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return dir;
}

/** Every folder Jupyter searches for kernels, in its order (user first). */
export function searchDirs(env: NodeJS.ProcessEnv = process.env, extraPrefixes: readonly string[] = []): string[] {
  const dirs = [
    userDataDir(env),
    ...(env["JUPYTER_PATH"] ?? "").split(path.delimiter).filter(Boolean),
    ...extraPrefixes.map((p) => path.join(path.resolve(p), "share", "jupyter")),
    "/usr/local/share/jupyter",
    "/usr/share/jupyter",
  ];
  return [...new Set(dirs.map((d) => path.join(d, "kernels")))];
}

/**
 * The "tessera" kernelspecs Jupyter would find, first one first (that is the one it uses).
 * @example listSpecs().map((s) => s.dir)
 */
export function listSpecs(env: NodeJS.ProcessEnv = process.env, extraPrefixes: readonly string[] = []): FoundSpec[] {
  const out: FoundSpec[] = [];
  for (const kernels of searchDirs(env, extraPrefixes)) {
    const dir = path.join(kernels, KERNEL_NAME);
    const file = path.join(dir, "kernel.json");
    if (!fs.existsSync(file)) continue;
    try {
      out.push({ dir, spec: JSON.parse(fs.readFileSync(file, "utf8")) as KernelSpec });
    } catch (e) {
      out.push({ dir, spec: undefined, problem: `unreadable kernel.json: ${(e as Error).message}` });
    }
  }
  return out;
}
