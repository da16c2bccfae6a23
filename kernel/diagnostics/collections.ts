/**
 * The collections the Chunks panel lists: the ones computed or persisted
 * recently on a cluster (compute/persist announce them on the runtime's
 * event bus), and the ones a user or the notebook kernel names with
 * `registerCollection` — newest first, at most `maxCollections`.
 *
 * An entry keeps the collection's output keys and layout (from its output
 * layer's `meta`: Array `chunks`, `shape`, `dtype`; DataFrame / Bag
 * `npartitions`, `divisions`), never the collection itself, so listing a
 * collection does not keep its graph or data alive.
 */
import type { CollectionRef } from "../events";
import { Errors, preview } from "../errors";
import { Key, keyIndices, keyName, keyStr } from "../graph";
import { peekRuntime } from "../schedule";
import type { CollectionInfo } from "../protocol";
import { isChunks } from "./nodes";

export interface CollectionEntry {
  readonly id: string;
  name: string;
  /** Named by registerCollection: a later compute does not rename it. */
  named: boolean;
  readonly kind: string;
  readonly layer: string;
  source: CollectionInfo["source"];
  t: number;
  /** Output keys in chunk order (row-major over `chunks` for arrays). */
  readonly keys: string[];
  readonly layout: Pick<CollectionInfo, "chunks" | "shape" | "dtype" | "npartitions" | "divisions">;
}

/** Names given with registerCollection, by collection id, for registries made later (bounded). */
const names = new Map<string, string>();
const MAX_NAMES = 1024;
/** The registry of each runtime's dashboard. */
const registries = new Map<object, CollectionRegistry>();

export class CollectionRegistry {
  private readonly entries = new Map<string, CollectionEntry>();
  /** key -> ids of the entries that have it (to tell when a chunk change matters). */
  private readonly byKey = new Map<string, Set<string>>();
  private changed = true;

  constructor(
    private readonly max: number,
    private readonly owner: object,
  ) {
    registries.set(owner, this);
  }

  dispose(): void {
    if (registries.get(this.owner) === this) registries.delete(this.owner);
  }

  takeDirty(): boolean {
    const c = this.changed;
    this.changed = false;
    return c;
  }

  /** Something about `key` changed: the list must be sent again if a listed collection has it. */
  touch(key: string): void {
    if (!this.changed && this.byKey.size > 0 && this.byKey.has(key)) this.changed = true;
  }

  add(c: CollectionRef, source: CollectionInfo["source"], name?: string): CollectionEntry {
    const keys = c.keys().map((k: Key) => keyStr(k));
    const id = collectionId(keys);
    let e = this.entries.get(id);
    if (e === undefined) {
      const layer = keys.length > 0 ? keyName(keys[0]!) : "";
      const meta = c.graph().layers.get(layer)?.meta;
      const kind = typeof meta?.collection === "string" ? meta.collection : "delayed";
      const layout = layoutOf(meta);
      e = { id, name: layer, named: false, kind, layer, source, t: Date.now(), keys: ordered(keys, layout.chunks), layout };
      for (const k of keys) {
        let s = this.byKey.get(k);
        if (s === undefined) this.byKey.set(k, (s = new Set()));
        s.add(id);
      }
    }
    this.entries.delete(id); // re-insert: newest last
    this.entries.set(id, e);
    e.t = Date.now();
    e.source = source;
    const remembered = name ?? names.get(id);
    if (name !== undefined || (remembered !== undefined && !e.named)) {
      e.name = remembered!;
      e.named = true;
    }
    this.trim();
    this.changed = true;
    return e;
  }

  /** Newest first. */
  list(): CollectionEntry[] {
    return [...this.entries.values()].reverse();
  }

  private trim(): void {
    for (const [id, e] of this.entries) {
      if (this.entries.size <= this.max) return;
      this.entries.delete(id);
      for (const k of e.keys) {
        const s = this.byKey.get(k);
        s?.delete(id);
        if (s?.size === 0) this.byKey.delete(k);
      }
    }
  }
}

/**
 * Names a collection for the dashboard's Chunks view (the notebook kernel
 * calls it with the variable name). The current cluster's dashboard lists it
 * at once, even before it is computed; a dashboard started later, or a later
 * compute of the same chunks, uses the name too.
 * @example registerCollection("x", da.ones([1000, 1000], { chunks: [100, 100] }))
 */
export function registerCollection(name: string, collection: CollectionRef): void {
  if (typeof name !== "string" || name.trim() === "" || name.length > 200) {
    throw Errors.badOption("registerCollection(name)", name, "a non-empty name of at most 200 characters, e.g. the variable's name");
  }
  const c = collection as Partial<CollectionRef> | null;
  if (c === null || typeof c !== "object" || typeof c.keys !== "function" || typeof c.graph !== "function") {
    throw Errors.badOption("registerCollection(name, collection)", preview(collection), "a Tessera collection (Array, DataFrame, Bag, Delayed)");
  }
  const id = collectionId(collection.keys().map((k) => keyStr(k)));
  names.delete(id);
  names.set(id, name);
  if (names.size > MAX_NAMES) names.delete(names.keys().next().value!);
  const rt = peekRuntime();
  if (rt !== undefined) registries.get(rt)?.add(collection, "user", name);
}

/** A short stable id for a list of keys (FNV-1a over the keys, plus the count). */
export function collectionId(keys: readonly string[]): string {
  let h = 0x811c9dc5;
  for (const k of keys) {
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193) >>> 0;
    h = Math.imul(h ^ 44, 0x01000193) >>> 0;
  }
  return `${h.toString(16).padStart(8, "0")}-${keys.length}`;
}

function layoutOf(meta: Record<string, unknown> | undefined): CollectionEntry["layout"] {
  const out: CollectionEntry["layout"] = {};
  if (meta === undefined) return out;
  if (isChunks(meta.chunks)) out.chunks = meta.chunks.map((c) => [...c]);
  if (Array.isArray(meta.shape) && meta.shape.every((n) => Number.isInteger(n) && n >= 0)) out.shape = [...(meta.shape as number[])];
  if (typeof meta.dtype === "string") out.dtype = meta.dtype;
  if (Number.isInteger(meta.npartitions) && (meta.npartitions as number) >= 0) out.npartitions = meta.npartitions as number;
  if (Array.isArray(meta.divisions) && meta.divisions.every((d) => d === null || typeof d === "string" || (typeof d === "number" && Number.isFinite(d)))) {
    out.divisions = [...(meta.divisions as (string | number | null)[])];
  }
  return out;
}

/** Array chunks in row-major order of their block indices, when the keys carry them; key order otherwise. */
function ordered(keys: string[], chunks: number[][] | undefined): string[] {
  if (chunks === undefined) return keys;
  const dims = chunks.map((c) => c.length);
  const total = dims.reduce((a, b) => a * b, 1);
  if (total !== keys.length) return keys;
  const out = new Array<string>(total);
  for (const k of keys) {
    const idx = keyIndices(k);
    if (idx.length !== dims.length) return keys;
    let pos = 0;
    for (let d = 0; d < dims.length; d++) {
      if (!(idx[d]! >= 0 && idx[d]! < dims[d]!)) return keys;
      pos = pos * dims[d]! + idx[d]!;
    }
    if (out[pos] !== undefined) return keys;
    out[pos] = k;
  }
  return out;
}
