/**
 * Hooks into tslab's TypeScript (its 5.0.4 fork), installed before tslab's
 * converter loads:
 *
 * - Imports from any notebook folder, with types. tslab type-checks cells
 *   with compiler options it hard-codes, resolving imports (and @types) from
 *   the notebook's folder only. The hooked `createWatchCompilerHost` adds the
 *   kernel's own type roots and resolves a bare import the notebook folder
 *   cannot resolve as if it were written next to the kernel; `aliases` pin
 *   some names (the engine itself) to the kernel's copy.
 * - Source maps. Cells are emitted with an inline source map (TS -> ES
 *   module), and tslab's ES module -> CommonJS step (`ts.transpileModule`)
 *   with a map too; `onTranspile` receives both texts and the map, so errors
 *   can point at the line of the cell that the user wrote.
 *
 * The fork's exports are read-only getters, so the hooks go into a copy of
 * the module object that replaces it in require's cache.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface TypeScriptHooks {
  /** Folders of type packages (`@types`) to add to tslab's type roots. */
  typeRoots: readonly string[];
  /** The kernel's node_modules folders (named in declarations through `paths`). */
  modulesDirs?: readonly string[];
  /** A file to resolve bare imports from when the notebook's folder cannot. */
  fallbackFrom?: string;
  /** Bare import names pinned to a declaration file, whatever the notebook folder holds. */
  aliases?: Readonly<Record<string, string>>;
  /** Called for every ES module -> CommonJS step, with the map between the two. */
  onTranspile?: (esm: string, cjs: string, map: string | undefined) => void;
}

type TS = Record<string, unknown> & {
  createWatchCompilerHost(...args: unknown[]): Record<string, unknown>;
  resolveModuleName(name: string, from: string, options: unknown, host: unknown, cache?: unknown, redirected?: unknown): { resolvedModule?: unknown };
  transpileModule(input: string, options: { fileName?: string; compilerOptions?: Record<string, unknown> }): { outputText: string; sourceMapText?: string };
};

const MAP_COMMENT = /\n\/\/# sourceMappingURL=[^\n]*/g;

/**
 * Replaces tslab's `@tslab/typescript-for-tslab` in require's cache with a
 * hooked copy. `tslabRequire` is a require function rooted in tslab's dist/.
 * @example installTypeScriptHooks(createRequire(tslabMain), { typeRoots: ["/app/node_modules/@types"] })
 */
export function installTypeScriptHooks(tslabRequire: NodeJS.Require, hooks: TypeScriptHooks): void {
  const tsPath = tslabRequire.resolve("@tslab/typescript-for-tslab");
  const ts = tslabRequire(tsPath) as TS;
  const cached = require.cache[tsPath];
  if (cached === undefined) throw new Error(`internal: ${tsPath} is not in require's cache`);
  if ((cached.exports as Record<symbol, unknown>)[HOOKED]) return;
  const descriptors = Object.getOwnPropertyDescriptors(ts);
  descriptors["createWatchCompilerHost"] = { enumerable: true, value: hookedWatchHost(ts, hooks) };
  descriptors["transpileModule"] = { enumerable: true, value: hookedTranspile(ts, hooks) };
  cached.exports = Object.defineProperties({ [HOOKED]: true }, descriptors);
}

const HOOKED = Symbol("tessera.hooked");

function hookedWatchHost(ts: TS, hooks: TypeScriptHooks) {
  return (rootFiles: unknown, options: Record<string, unknown>, ...rest: unknown[]) => {
    const typeRoots = hooks.typeRoots.filter((d) => fs.existsSync(d));
    const opts: Record<string, unknown> = { ...options, typeRoots: [...((options["typeRoots"] as string[] | undefined) ?? []), ...typeRoots], inlineSourceMap: true };
    // tslab emits each cell's declarations to type the next cells. A type from a package found
    // through the fallback must be named in them ("apache-arrow/type"), which TypeScript can do
    // only through `paths`; without a name, the whole declaration file is dropped (TS2742) and the
    // next cell no longer sees any of this cell's variables. Resolution itself ignores these paths.
    const modulesDirs = hooks.modulesDirs ?? [];
    if (modulesDirs.length > 0) {
      // Relative to baseUrl, a file in the first folder is "apache-arrow/type": no "node_modules" in it.
      opts["baseUrl"] = modulesDirs[0];
      opts["paths"] = { "*": modulesDirs.map((d) => `${d}/*`) };
    }
    const resolutionOptions = { ...options, typeRoots: opts["typeRoots"] };
    const host = ts.createWatchCompilerHost(rootFiles, opts, ...rest);
    host["resolveModuleNames"] = (names: string[], containingFile: string, _reused: unknown, redirected: unknown) =>
      names.map((name) => {
        const alias = hooks.aliases?.[name];
        if (alias !== undefined) return { resolvedFileName: alias, extension: ".d.ts", isExternalLibraryImport: true };
        const resolve = (from: string) => ts.resolveModuleName(name, from, resolutionOptions, host, undefined, redirected).resolvedModule;
        const local = resolve(containingFile);
        if (local !== undefined || name.startsWith(".") || path.isAbsolute(name) || hooks.fallbackFrom === undefined) return local;
        return resolve(hooks.fallbackFrom);
      });
    // With a custom resolver TypeScript re-resolves every file on every cell (~70 ms) unless told
    // that nothing was invalidated; changed files (the cell itself) are still re-resolved.
    host["hasInvalidatedResolutions"] = () => false;
    return host;
  };
}

function hookedTranspile(ts: TS, hooks: TypeScriptHooks) {
  return (input: string, options: { fileName?: string; compilerOptions?: Record<string, unknown> }) => {
    const result = ts.transpileModule(input, { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true } });
    // The maps travel beside the code; the comments would only point at files that do not exist.
    const cjs = result.outputText.replace(MAP_COMMENT, "");
    hooks.onTranspile?.(input, cjs, result.sourceMapText);
    return { ...result, outputText: cjs };
  };
}
