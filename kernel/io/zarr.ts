/**
 * Zarr v3 arrays on the filesystem, the main thread's part: creating an
 * array's metadata (zarr.json) before its chunks are written, and opening
 * one to plan reading it. Chunk bytes are never touched here: the tasks of
 * zarr-block.ts read and write them in the workers.
 *
 * The format is zarrita's (a well-kept Zarr library); Tessera adds the
 * checks a user needs: what is at the path, whether it may be replaced, and
 * whether its data type is one Tessera holds. Data types keep Zarr's names,
 * which are Tessera's (bool, int8 … uint64, float32, float64, complex64,
 * complex128); complex arrays pass through zarrita as floats with a trailing
 * axis of 2 (zarr-complex.ts). float16 is refused: Tessera has none.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Errors, preview } from "../errors";
import { tokenize } from "../graph";
import { complexStore, isComplexDType } from "./zarr-complex";
import { sharedFileStore } from "./zarr-store";
import { loadZarrita } from "./zarrita";

/** The Zarr data types Tessera reads and writes. */
export const ZARR_DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "complex64", "complex128"] as const;

/** What the tasks need to find an array: its folder, its dtype and a token of its metadata (so a rewritten array gets new keys). */
export interface ZarrSource {
  path: string;
  token: string;
  dtype: string;
}

export interface ZarrInfo extends ZarrSource {
  shape: number[];
  chunkShape: number[];
}

export interface CreateZarrOptions {
  shape: number[];
  chunkShape: number[];
  dtype: string;
  /** Replace a Zarr array or group already at the path (never a folder of other files). */
  overwrite: boolean;
  /** zstd (through numcodecs' WebAssembly build) or raw little-endian bytes. */
  compression: "zstd" | null;
  attributes: Record<string, unknown>;
}

function checkPath(fn: string, p: unknown): string {
  if (typeof p !== "string" || p === "") throw Errors.badOption(`${fn}(path)`, p, 'a folder path such as "data/x.zarr"');
  return path.resolve(p);
}

function isZarrFolder(dir: string): boolean {
  return [".zarray", ".zgroup", "zarr.json"].some((f) => fs.existsSync(path.join(dir, f)));
}

/** Creates an empty array (metadata only) at `p`; returns where its chunks go. */
export async function createZarr(fn: string, p: unknown, o: CreateZarrOptions): Promise<ZarrSource> {
  if (!(ZARR_DTYPES as readonly string[]).includes(o.dtype)) throw Errors.badInput(`${fn}: ${o.dtype} arrays cannot be stored in Zarr: cast first (x.astype("float64"))`);
  const abs = checkPath(fn, p);
  if (fs.existsSync(abs)) {
    if (!fs.statSync(abs).isDirectory()) throw Errors.badInput(`${fn}: ${preview(p)} is a file; a Zarr array is a folder: choose another path`);
    if (fs.readdirSync(abs).length > 0) {
      if (!isZarrFolder(abs)) {
        throw Errors.badInput(`${fn}: ${preview(p)} is a folder of other files, which Tessera will not delete: choose a new path (e.g. "${path.basename(abs)}.zarr")`);
      }
      if (!o.overwrite) throw Errors.badInput(`${fn}: a Zarr array is already at ${preview(p)}: pass { overwrite: true } to replace it, or choose another path`);
      fs.rmSync(abs, { recursive: true, force: true });
    }
  }
  const { zarr } = await loadZarrita();
  const codecs = [{ name: "bytes", configuration: { endian: "little" } }];
  if (o.compression === "zstd") codecs.push({ name: "zstd", configuration: { level: 1, checksum: false } } as never);
  // Complex arrays are created as their float view, which the store writes down as complex.
  const complex = isComplexDType(o.dtype);
  const pair = complex ? [2] : [];
  await zarr.create(complex ? complexStore(sharedFileStore(abs), fn, true) : sharedFileStore(abs), {
    shape: [...o.shape, ...pair],
    // Zarr needs chunk lengths of at least 1, even along an empty axis.
    chunkShape: [...o.chunkShape.map((c) => Math.max(1, c)), ...pair],
    dtype: (complex ? (o.dtype === "complex64" ? "float32" : "float64") : o.dtype) as never,
    codecs,
    // A number even for int64: zarrita writes the metadata with JSON.stringify, which refuses bigints.
    fillValue: (o.dtype === "bool" ? false : 0) as never,
    attributes: o.attributes,
  });
  return { path: abs, token: metadataToken(abs), dtype: o.dtype };
}

function metadataToken(abs: string): string {
  const meta = path.join(abs, "zarr.json");
  return tokenize(abs, fs.readFileSync(meta, "utf8"), fs.statSync(meta).mtimeMs);
}

/** Opens the array at `p`, with errors that say what is there instead. */
export async function openZarr(fn: string, p: unknown): Promise<ZarrInfo> {
  const abs = checkPath(fn, p);
  if (!fs.existsSync(abs)) throw Errors.pathNotFound(fn, "Zarr array", p as string, process.cwd(), `check the path, or write one first with x.toZarr(${preview(p)})`);
  if (!fs.statSync(abs).isDirectory()) throw Errors.badInput(`${fn}: ${preview(p)} is a file, not a Zarr array (a folder holding zarr.json): pass the array's folder`);
  const metaFile = path.join(abs, "zarr.json");
  if (!fs.existsSync(metaFile)) {
    const v2 = fs.existsSync(path.join(abs, ".zarray")) || fs.existsSync(path.join(abs, ".zgroup"));
    throw Errors.badInput(v2
      ? `${fn}: ${preview(p)} is in Zarr's version 2 format; Tessera reads Zarr v3: convert it (zarr-python 3: zarr.open_array(...) then zarr.create_array(..., zarr_format=3))`
      : `${fn}: ${preview(p)} is not a Zarr array: the folder has no zarr.json (pass the folder an array was written to, e.g. by x.toZarr(path))`);
  }
  let meta: { node_type?: unknown; data_type?: unknown };
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, "utf8")) as typeof meta;
  } catch (e) {
    throw Errors.badInput(`${fn}: ${metaFile} is not valid JSON (${(e as Error).message}): the array's metadata is damaged; write the array again`);
  }
  if (meta.node_type === "group") {
    const arrays = fs.readdirSync(abs).filter((d) => fs.existsSync(path.join(abs, d, "zarr.json")));
    const hint = arrays.length > 0 ? `: open one of its members, e.g. ${preview(path.join(p as string, arrays[0]!))} (members: ${arrays.join(", ")})` : " with no arrays in it";
    throw Errors.badInput(`${fn}: ${preview(p)} is a Zarr group, not an array${hint}`);
  }
  checkDType(fn, p as string, meta.data_type);
  const { zarr } = await loadZarrita();
  const complex = isComplexDType(meta.data_type);
  let arr;
  try {
    arr = await zarr.open(complexStore(sharedFileStore(abs), `${fn}: ${preview(p)}`), { kind: "array" });
  } catch (e) {
    throw Errors.badInput(`${fn}: ${preview(p)} is not a Zarr array Tessera can read: ${(e as Error).message}`);
  }
  // A complex array opens as its float view, with a trailing axis of 2.
  const drop = complex ? -1 : undefined;
  return { path: abs, token: metadataToken(abs), shape: arr.shape.slice(0, drop), chunkShape: arr.chunks.slice(0, drop), dtype: meta.data_type as string };
}

function checkDType(fn: string, p: string, dt: unknown): void {
  if ((ZARR_DTYPES as readonly unknown[]).includes(dt)) return;
  const why = dt === "float16"
      ? "Tessera has no float16: convert the array to float32 with another Zarr tool first"
      : `Tessera holds ${ZARR_DTYPES.join(", ")}`;
  throw Errors.badInput(`${fn}: ${preview(p)} holds data type ${preview(dt)}, which Tessera cannot read (${why})`);
}
