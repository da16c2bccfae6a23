/**
 * Imports from a notebook in any folder: `import { delayed } from "tessera"`
 * must work whether or not the notebook's folder has a node_modules.
 *
 * - "tessera" always means the engine this kernel runs (its display,
 *   progress and interrupt hooks are installed on that copy); a notebook
 *   folder's own copy would be a second engine the kernel cannot see.
 * - Other packages resolve from the notebook's folder first, then from the
 *   folders that hold the kernel's own dependencies (the engine's
 *   node_modules, and the project node_modules it is installed in). Not the
 *   global node_modules: a global install must not expose every package.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import Module from "node:module";

export interface KernelPaths {
  /** The engine's package folder (holds package.json and dist/). */
  root: string;
  /** node_modules folders searched after the notebook's own. */
  moduleDirs: string[];
  /** `@types` folders of those. */
  typeRoots: string[];
  /** The engine's entry points, runtime and types. */
  engineMain: string;
  engineTypes: string;
}

/**
 * The folders the kernel falls back to, for the engine installed at `root`.
 * @example kernelPaths("/app/node_modules/tessera").moduleDirs // ["/app/node_modules/tessera/node_modules", "/app/node_modules"]
 */
export function kernelPaths(root: string): KernelPaths {
  const dirs = [path.join(root, "node_modules")];
  const parent = path.dirname(root);
  const scopeParent = path.basename(parent).startsWith("@") ? path.dirname(parent) : parent;
  // Installed as a project's dependency: its siblings (hoisted dependencies) are ours too.
  if (path.basename(scopeParent) === "node_modules" && fs.existsSync(path.join(path.dirname(scopeParent), "package.json"))) dirs.push(scopeParent);
  const moduleDirs = dirs.filter((d) => fs.existsSync(d));
  return {
    root,
    moduleDirs,
    typeRoots: moduleDirs.map((d) => path.join(d, "@types")).filter((d) => fs.existsSync(d)),
    engineMain: path.join(root, "dist", "kernel", "index.js"),
    engineTypes: path.join(root, "dist", "kernel", "index.d.ts"),
  };
}

type ResolveFilename = (request: string, parent: unknown, isMain: boolean, options?: unknown) => string;

/**
 * Makes cells (and modules they load) resolve "tessera" to the engine and
 * fall back to the kernel's dependency folders.
 * @example installRuntimeResolution(kernelPaths(root))
 */
export function installRuntimeResolution(paths: KernelPaths): void {
  // NODE_PATH is Node's last-resort lookup list; _initPaths() re-reads it.
  const current = (process.env["NODE_PATH"] ?? "").split(path.delimiter).filter(Boolean);
  process.env["NODE_PATH"] = [...current, ...paths.moduleDirs.filter((d) => !current.includes(d))].join(path.delimiter);
  (Module as unknown as { _initPaths(): void })._initPaths();
  const M = Module as unknown as { _resolveFilename: ResolveFilename & { tesseraAlias?: true } };
  if (M._resolveFilename.tesseraAlias) return;
  const original = M._resolveFilename;
  const aliased: ResolveFilename & { tesseraAlias?: true } = (request, parent, isMain, options) =>
    original(request === "tessera" ? paths.engineMain : request, parent, isMain, options);
  aliased.tesseraAlias = true;
  M._resolveFilename = aliased;
}
