/**
 * The chunk store: every task result that outlives its task lives here,
 * under its key, until nothing needs it.
 *
 * `ChunkStore` is the seam every scheduler uses; `LocalStore` is the
 * implementation for one machine (the thread and sync schedulers). The
 * distributed scheduler plugs its own store (Redis, shared folder) into the
 * same interface.
 *
 * LocalStore state and invariants:
 *   - entries: key -> { value | spill file, nbytes, worker }. The Map's
 *     iteration order is the LRU order: every access re-inserts the entry.
 *   - managed = sum of nbytes of entries whose value is in memory (states
 *     "memory" and "spilling"); spilled = sum of nbytes of entries on disk
 *     ("spilled"). Both are exact at every await point, and so are their
 *     parts per producing worker (`bytesByWorker`, for the dashboard).
 *   - thresholds are fractions of memoryLimit (defaults as Dask's):
 *       target (0.6): above it, least-recently-used chunks are written to
 *         disk in the background until managed memory is below it again;
 *       spill  (0.7): above it, process memory (managed + unmanaged, where
 *         unmanaged is what the process grew beyond the chunks) also drives
 *         spilling, so unaccounted memory pushes chunks out too;
 *       pause  (0.8): above it, managed memory makes `paused()` true and the
 *         scheduler holds back root tasks until memory falls; `relief()`
 *         lets it wait for the spill in progress instead of polling. Pause
 *         looks at managed memory only: unmanaged memory (buffers awaiting
 *         garbage collection, worker heaps) cannot be freed by waiting, and
 *         pausing on it could stall a run that spilling already serves.
 *   - at most one chunk is being written at a time; a chunk being written is
 *     still readable from memory; a chunk deleted while being written has
 *     its file removed when the write ends.
 *   - pinned chunks (persisted results) are never deleted by `release`, only
 *     by `unpin` down to zero; they can still be spilled.
 *   - close() and process exit remove every spill file and folder.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Errors } from "../errors";
import { EventBus, StoreStats, TaskTransition, now } from "../events";
import { sizeof } from "./sizeof";
import { readSpill, writeSpill } from "./spill";
import { parseBytes } from "./bytes";

export type ChunkState = "memory" | "spilled";

export interface ChunkLocation {
  state: ChunkState;
  nbytes: number;
  /** The worker that produced the chunk. */
  worker?: string;
}

export interface PutInfo {
  worker?: string;
  /** Size in bytes when the producer knows it; measured otherwise. */
  nbytes?: number;
}

export interface ChunkStore {
  has(key: string): boolean;
  get(key: string): Promise<unknown>;
  put(key: string, value: unknown, info?: PutInfo): void;
  /** Drops the chunk unless it is pinned. */
  release(key: string): void;
  pin(key: string): void;
  unpin(key: string): void;
  where(key: string): ChunkLocation | undefined;
  keys(): IterableIterator<string>;
  /** True while memory is above the pause threshold. */
  paused(): boolean;
  /**
   * A promise that settles when memory work in progress (a spill) has freed
   * something, or undefined when nothing is in progress that could.
   */
  relief(): Promise<void> | undefined;
  stats(): StoreStats;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** Bytes (or "4GB"); default: the machine's total memory. */
  memoryLimit?: number | string;
  /** Fractions of memoryLimit. */
  target?: number;
  spill?: number;
  pause?: number;
  /** Folder for spill files (a fresh subfolder is made in it); default: the OS temp folder. */
  spillDir?: string;
  events?: EventBus;
  /** Process memory the store does not account for, in bytes (see header). */
  unmanaged?: () => number;
}

interface Entry {
  value: unknown;
  nbytes: number;
  worker: string | undefined;
  state: "memory" | "spilling" | "spilled";
  file: string | undefined;
  pins: number;
  loading: Promise<unknown> | undefined;
  deleted: boolean;
}

const liveSpillDirs = new Set<string>();
let exitHookInstalled = false;
function removeSpillDirsAtExit(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const d of liveSpillDirs) fs.rmSync(d, { recursive: true, force: true });
  });
}

function checkFraction(name: string, v: number | undefined, dflt: number): number {
  if (v === undefined) return dflt;
  if (typeof v !== "number" || !(v > 0 && v <= 1)) throw Errors.badOption(`store.${name}`, v, "a fraction in (0, 1]");
  return v;
}

export class LocalStore implements ChunkStore {
  readonly memoryLimit: number;
  readonly thresholds: { target: number; spill: number; pause: number };
  private readonly entries = new Map<string, Entry>();
  private managed = 0;
  private spilledBytes = 0;
  private readonly perWorker = new Map<string, { managed: number; spilled: number }>();
  /** Bytes written to disk over the store's life. */
  private spilledTotal = 0;
  private dir: string | undefined;
  private readonly parentDir: string;
  private fileSeq = 0;
  private spillLoop: Promise<void> | undefined;
  private reliefWaiters: (() => void)[] = [];
  private closed = false;
  private readonly events: EventBus | undefined;
  private readonly unmanaged: () => number;

  constructor(options: StoreOptions = {}) {
    this.memoryLimit = options.memoryLimit === undefined ? os.totalmem() : parseBytes(options.memoryLimit, "memoryLimit");
    const target = checkFraction("target", options.target, 0.6);
    const spill = checkFraction("spill", options.spill, 0.7);
    const pause = checkFraction("pause", options.pause, 0.8);
    if (!(target <= spill && spill <= pause)) {
      throw Errors.badOption("store thresholds", { target, spill, pause }, "ordered target <= spill <= pause");
    }
    this.thresholds = { target, spill, pause };
    this.parentDir = options.spillDir ?? os.tmpdir();
    this.events = options.events;
    this.unmanaged = options.unmanaged ?? (() => 0);
  }

  has(key: string): boolean {
    const e = this.entries.get(key);
    return e !== undefined && !e.deleted;
  }

  where(key: string): ChunkLocation | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    const loc: ChunkLocation = { state: e.state === "spilled" ? "spilled" : "memory", nbytes: e.nbytes };
    if (e.worker !== undefined) loc.worker = e.worker;
    return loc;
  }

  keys(): IterableIterator<string> {
    return this.entries.keys();
  }

  put(key: string, value: unknown, info: PutInfo = {}): void {
    if (this.closed) throw Errors.closed("the chunk store");
    const old = this.entries.get(key);
    if (old !== undefined) this.drop(key, old);
    const nbytes = info.nbytes ?? sizeof(value);
    this.entries.set(key, {
      value, nbytes, worker: info.worker, state: "memory", file: undefined, pins: old?.pins ?? 0, loading: undefined, deleted: false,
    });
    this.managed += nbytes;
    this.account(info.worker, nbytes, 0);
    this.maybeSpill();
  }

  async get(key: string): Promise<unknown> {
    const e = this.entries.get(key);
    if (e === undefined || e.deleted) throw Errors.store(`chunk ${key} is not in the store (it was released or never computed)`);
    // Re-insert: most recently used goes last.
    this.entries.delete(key);
    this.entries.set(key, e);
    if (e.state !== "spilled") return e.value;
    if (e.loading === undefined) e.loading = this.load(key, e);
    return e.loading;
  }

  private async load(key: string, e: Entry): Promise<unknown> {
    const file = e.file!;
    try {
      const value = await readSpill(file);
      if (!e.deleted) {
        e.value = value;
        e.state = "memory";
        e.file = undefined;
        this.spilledBytes -= e.nbytes;
        this.managed += e.nbytes;
        this.account(e.worker, e.nbytes, -e.nbytes);
        this.emitChunk(key, e, "memory");
        fs.promises.rm(file, { force: true }).catch(() => {});
        this.maybeSpill();
      }
      return value;
    } catch (err) {
      throw Errors.store(`could not read spilled chunk ${key} back from ${file}: ${(err as Error).message}`, err);
    } finally {
      e.loading = undefined;
    }
  }

  release(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined || e.pins > 0) return;
    this.drop(key, e);
    if (this.events?.listening("tasks")) this.emitChunk(key, e, "released");
  }

  pin(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) throw Errors.store(`cannot pin ${key}: it is not in the store`);
    e.pins++;
  }

  unpin(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    e.pins = Math.max(0, e.pins - 1);
    if (e.pins === 0) this.release(key);
  }

  paused(): boolean {
    return this.managed >= this.thresholds.pause * this.memoryLimit;
  }

  relief(): Promise<void> | undefined {
    if (this.spillLoop === undefined) return undefined;
    return new Promise((resolve) => this.reliefWaiters.push(resolve));
  }

  private relieve(): void {
    const waiters = this.reliefWaiters;
    this.reliefWaiters = [];
    for (const w of waiters) w();
  }

  stats(): StoreStats {
    return {
      t: now(),
      memoryLimit: this.memoryLimit,
      managed: this.managed,
      spilled: this.spilledBytes,
      unmanaged: this.unmanagedNow(),
      count: this.entries.size,
      thresholds: this.thresholds,
      paused: this.paused(),
    };
  }

  /** Managed and spilled bytes of the chunks each worker produced ("" for chunks put without a worker). */
  bytesByWorker(): Map<string, { managed: number; spilled: number }> {
    const out = new Map<string, { managed: number; spilled: number }>();
    for (const [w, b] of this.perWorker) out.set(w, { ...b });
    return out;
  }

  private account(worker: string | undefined, managed: number, spilled: number): void {
    const w = worker ?? "";
    let b = this.perWorker.get(w);
    if (b === undefined) this.perWorker.set(w, (b = { managed: 0, spilled: 0 }));
    b.managed += managed;
    b.spilled += spilled;
    if (b.managed === 0 && b.spilled === 0) this.perWorker.delete(w);
  }

  /** Bytes written to disk since the store was made. */
  get spilledTotalBytes(): number {
    return this.spilledTotal;
  }

  /** Resolves when no spill is in progress (tests, and close). */
  async settled(): Promise<void> {
    while (this.spillLoop !== undefined) await this.spillLoop;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.settled().catch(() => {});
    for (const [k, e] of this.entries) this.drop(k, e);
    this.entries.clear();
    if (this.dir !== undefined) {
      await fs.promises.rm(this.dir, { recursive: true, force: true });
      liveSpillDirs.delete(this.dir);
      this.dir = undefined;
    }
  }

  private unmanagedNow(): number {
    try {
      return Math.max(0, this.unmanaged());
    } catch {
      return 0;
    }
  }

  private drop(key: string, e: Entry): void {
    if (e.deleted) return;
    e.deleted = true;
    this.entries.delete(key);
    if (e.state === "spilled") {
      this.spilledBytes -= e.nbytes;
      this.account(e.worker, 0, -e.nbytes);
      if (e.file !== undefined) fs.promises.rm(e.file, { force: true }).catch(() => {});
    } else {
      this.managed -= e.nbytes;
      this.account(e.worker, -e.nbytes, 0);
    }
    e.value = undefined;
  }

  /** Bytes of memory above which chunks go to disk right now. */
  private spillLimit(): number {
    const byTarget = this.thresholds.target * this.memoryLimit;
    const byProcess = this.thresholds.spill * this.memoryLimit - this.unmanagedNow();
    return Math.min(byTarget, byProcess);
  }

  private maybeSpill(): void {
    if (this.spillLoop !== undefined || this.closed || this.managed <= this.spillLimit()) return;
    if (this.leastRecentlyUsed() === undefined) return;
    this.spillLoop = this.spillUntilBelow().finally(() => {
      this.spillLoop = undefined;
      // Puts during the last write may have pushed memory up again. Only go
      // round again if there is something left to spill.
      if (this.managed > this.spillLimit() && this.leastRecentlyUsed() !== undefined) this.maybeSpill();
      this.relieve();
    });
  }

  private async spillUntilBelow(): Promise<void> {
    while (!this.closed && this.managed > this.spillLimit()) {
      const victim = this.leastRecentlyUsed();
      if (victim === undefined) return;
      await this.spillOne(victim[0], victim[1]);
      this.relieve();
    }
  }

  private leastRecentlyUsed(): [string, Entry] | undefined {
    for (const kv of this.entries) if (kv[1].state === "memory") return kv;
    return undefined;
  }

  private async spillOne(key: string, e: Entry): Promise<void> {
    const file = path.join(this.spillFolder(), `${++this.fileSeq}.chunk`);
    e.state = "spilling";
    try {
      await writeSpill(file, e.value);
    } catch (err) {
      e.state = "memory";
      process.emitWarning(`tessera: could not spill chunk ${key} to ${file}: ${(err as Error).message}`);
      await fs.promises.rm(file, { force: true }).catch(() => {});
      return;
    }
    if (e.deleted || e.state !== "spilling") {
      await fs.promises.rm(file, { force: true }).catch(() => {});
      return;
    }
    e.state = "spilled";
    e.file = file;
    e.value = undefined;
    this.managed -= e.nbytes;
    this.spilledBytes += e.nbytes;
    this.account(e.worker, -e.nbytes, e.nbytes);
    this.spilledTotal += e.nbytes;
    this.emitChunk(key, e, "spilled");
  }

  private spillFolder(): string {
    if (this.dir === undefined) {
      fs.mkdirSync(this.parentDir, { recursive: true });
      this.dir = fs.mkdtempSync(path.join(this.parentDir, "tessera-spill-"));
      liveSpillDirs.add(this.dir);
      removeSpillDirsAtExit();
    }
    return this.dir;
  }

  private emitChunk(key: string, e: Entry, state: "memory" | "spilled" | "released"): void {
    if (!this.events?.listening("tasks")) return;
    const tr: TaskTransition = { key, state, t: now(), nbytes: e.nbytes };
    if (e.worker !== undefined) tr.worker = e.worker;
    this.events.emit("tasks", { transitions: [tr] });
  }
}
