/**
 * Runtime files: how the VS Code extension (or any tool) finds the running
 * dashboards, as Jupyter finds its servers. Each dashboard writes
 * `<user runtime dir>/tessera/<pid>.json` ({ url, token, pid, startTime,
 * protocol }; `<pid>-2.json`, … for more dashboards in one process), readable
 * by its user only, and removes it on close and when the process exits.
 *
 * A process that is killed cannot remove its file, so readers check that the
 * pid is alive and delete the files of dead ones (`listDashboards`).
 *
 * This file imports only node: modules and protocol.ts, so the extension host
 * can use it without loading the engine.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROTOCOL_VERSION, RuntimeFile, parseRuntimeFile } from "../protocol";

/**
 * The folder of runtime files: $TESSERA_RUNTIME_DIR if set; otherwise
 * $XDG_RUNTIME_DIR/tessera, or ~/.local/share/tessera/runtime on Linux;
 * ~/Library/Application Support/tessera/runtime on macOS;
 * %APPDATA%\tessera\runtime on Windows.
 * @example runtimeDir() // "/run/user/1000/tessera"
 */
export function runtimeDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string {
  if (env.TESSERA_RUNTIME_DIR) return env.TESSERA_RUNTIME_DIR;
  if (platform === "win32") return path.join(env.APPDATA || path.join(home, "AppData", "Roaming"), "tessera", "runtime");
  if (platform === "darwin") return path.join(home, "Library", "Application Support", "tessera", "runtime");
  if (env.XDG_RUNTIME_DIR) return path.join(env.XDG_RUNTIME_DIR, "tessera");
  return path.join(env.XDG_DATA_HOME || path.join(home, ".local", "share"), "tessera", "runtime");
}

/** A written runtime file; `remove()` deletes it (idempotent). */
export interface Announcement {
  readonly file: string;
  remove(): void;
}

const live = new Set<string>();
let exitHook = false;

/**
 * Writes the runtime file of a dashboard of this process.
 * @example const a = announce({ url, token, startTime: Date.now() }); … a.remove()
 */
export function announce(info: { url: string; token: string; startTime: number }, dir: string = runtimeDir()): Announcement {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const content: RuntimeFile = { url: info.url, token: info.token, pid: process.pid, startTime: info.startTime, protocol: PROTOCOL_VERSION };
  let file = "";
  for (let n = 1; ; n++) {
    file = path.join(dir, n === 1 ? `${process.pid}.json` : `${process.pid}-${n}.json`);
    if (live.has(file)) continue;
    // Write then rename, so a reader never sees half a file; the token makes it owner-only.
    const tmp = `${file}.${n}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file);
    break;
  }
  live.add(file);
  if (!exitHook) {
    exitHook = true;
    process.once("exit", () => {
      for (const f of live) fs.rmSync(f, { force: true });
    });
  }
  return {
    file,
    remove() {
      if (!live.delete(file)) return;
      fs.rmSync(file, { force: true });
    },
  };
}

/** Whether a process with this pid exists (EPERM: it does, under another user). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

export interface DashboardEntry extends RuntimeFile {
  /** The runtime file it was read from. */
  file: string;
}

export interface ListOptions {
  dir?: string;
  /** Delete the files of processes that are gone (default true). */
  clean?: boolean;
  /** Told about files that are not valid runtime files (they are left alone: a newer Tessera may have written them). */
  onProblem?: (file: string, reason: string) => void;
}

/**
 * The dashboards running on this machine for this user, oldest first,
 * from their runtime files; files of dead processes are deleted.
 * @example for (const d of await listDashboards()) console.log(d.url)
 */
export async function listDashboards(options: ListOptions = {}): Promise<DashboardEntry[]> {
  const dir = options.dir ?? runtimeDir();
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw e;
  }
  const out: DashboardEntry[] = [];
  for (const name of names) {
    if (!/^\d+(-\d+)?\.json$/.test(name)) continue;
    const file = path.join(dir, name);
    let text: string;
    try {
      text = await fs.promises.readFile(file, "utf8");
    } catch {
      continue; // removed between readdir and read: its process closed it
    }
    const parsed = parseRuntimeFile(text);
    if (!parsed.ok) {
      options.onProblem?.(file, parsed.reason);
      continue;
    }
    if (!pidAlive(parsed.message.pid)) {
      if (options.clean !== false) await fs.promises.rm(file, { force: true });
      continue;
    }
    out.push({ ...parsed.message, file });
  }
  return out.sort((a, b) => a.startTime - b.startTime);
}
