/**
 * Loading zarrita, the Zarr library (an ES module only), from Tessera's
 * CommonJS build. TypeScript compiles `import()` to `require()` under
 * "module": "commonjs", and zarrita's package exports offer no require
 * entry, so the real dynamic import hides in a Function; it resolves from
 * this file, whatever the process's working directory. Loaded once per
 * thread, on first use: nothing pays for Zarr until it is used.
 */
import type * as Zarr from "zarrita";

export type ZarrModule = typeof Zarr;
/** A zarrita store (zarr-store.ts has Tessera's filesystem one). */
export type FileStore = Zarr.AsyncMutable;

const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

let loaded: Promise<{ zarr: ZarrModule }> | undefined;

export function loadZarrita(): Promise<{ zarr: ZarrModule }> {
  loaded ??= importEsm("zarrita").then((zarr) => ({ zarr: zarr as ZarrModule }));
  return loaded;
}
