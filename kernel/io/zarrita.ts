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
/** zarrita's filesystem store: keys are paths under a folder. */
export type FileStore = Zarr.AsyncMutable;

const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

let loaded: Promise<{ zarr: ZarrModule; FileSystemStore: new (root: string) => FileStore }> | undefined;

export function loadZarrita(): Promise<{ zarr: ZarrModule; FileSystemStore: new (root: string) => FileStore }> {
  loaded ??= Promise.all([importEsm("zarrita"), importEsm("@zarrita/storage")]).then(([zarr, storage]) => ({
    zarr: zarr as ZarrModule,
    FileSystemStore: (storage as { FileSystemStore: new (root: string) => FileStore }).FileSystemStore,
  }));
  return loaded;
}
