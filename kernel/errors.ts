/**
 * Every error a Tessera user can see comes from a factory in this file.
 *
 * Each error has a stable `code` (tests and tools match on it, never on the
 * message), and each message says what is wrong, shows the offending value and
 * gives the fix. Errors cross thread and process boundaries as plain data
 * (`SerializedError`), so nothing here may depend on prototypes surviving a
 * structured clone.
 */

export type ErrorCode =
  | "TESSERA_BAD_KEY"
  | "TESSERA_UNKNOWN_KEY"
  | "TESSERA_MISSING_DEPENDENCY"
  | "TESSERA_CYCLE"
  | "TESSERA_BAD_OPTION"
  | "TESSERA_UNKNOWN_SCHEDULER"
  | "TESSERA_UNKNOWN_KERNEL"
  | "TESSERA_CLOSURE"
  | "TESSERA_NOT_SHIPPABLE"
  | "TESSERA_TASK_FAILED"
  | "TESSERA_WORKER_CRASHED"
  | "TESSERA_CANCELLED"
  | "TESSERA_CLOSED"
  | "TESSERA_STORE"
  | "TESSERA_BAD_INPUT"
  | "TESSERA_FILE_NOT_FOUND"
  | "TESSERA_ITEM_FAILED";

export class TesseraError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = "TesseraError";
  }
}

/** An error as it travels between threads or processes. */
export interface SerializedError {
  name: string;
  message: string;
  stack?: string;
  code?: string;
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof Error) {
    const out: SerializedError = { name: e.name, message: e.message };
    if (e.stack !== undefined) out.stack = e.stack;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string") out.code = code;
    return out;
  }
  return { name: "NonError", message: `a task threw a non-Error value: ${preview(e)}` };
}

/**
 * A task raised. Carries the task's key, its operation (the key's label, e.g.
 * "add" for "add-9f2c…"), and the worker's original error with its stack.
 */
export class TaskError extends TesseraError {
  readonly key: string;
  readonly op: string;
  readonly worker: string | undefined;
  readonly remote: SerializedError;
  constructor(key: string, op: string, remote: SerializedError, worker?: string) {
    const where = worker === undefined ? "" : ` on ${worker}`;
    super("TESSERA_TASK_FAILED", `task ${key} (operation "${op}") failed${where}: ${remote.name}: ${remote.message}`);
    this.name = "TaskError";
    this.key = key;
    this.op = op;
    this.worker = worker;
    this.remote = remote;
    // The worker's frames are what the user needs; keep ours after them.
    if (remote.stack) this.stack = `${this.name}: ${this.message}\n--- worker stack ---\n${remote.stack}`;
  }
}

/** Shows a value in an error message, short enough to read. */
export function preview(value: unknown, max = 80): string {
  let s: string;
  if (typeof value === "string") s = JSON.stringify(value);
  else if (typeof value === "function") s = `function ${value.name || "(anonymous)"}`;
  else if (typeof value === "bigint") s = `${value}n`;
  else if (ArrayBuffer.isView(value)) s = `${value.constructor.name}(${(value as unknown as { length?: number }).length ?? value.byteLength})`;
  else {
    try {
      s = JSON.stringify(value) ?? String(value);
    } catch {
      s = String(value);
    }
  }
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}

export const Errors = {
  badKey(key: unknown): TesseraError {
    return new TesseraError(
      "TESSERA_BAD_KEY",
      `bad key ${preview(key)}: a key is a non-empty string or a tuple [name, ...integer indices], e.g. "sum-1f3a" or ["add-9f2c", 3, 1]`,
    );
  },
  unknownKey(key: string): TesseraError {
    return new TesseraError(
      "TESSERA_UNKNOWN_KEY",
      `key ${key} is not in the task graph (ask only for keys the graph has; collections list theirs with .keys())`,
    );
  },
  missingDependency(key: string, dep: string): TesseraError {
    return new TesseraError(
      "TESSERA_MISSING_DEPENDENCY",
      `task ${key} refers to key ${dep}, which is not in the graph (add a task for ${dep}, or pass the value itself instead of a reference)`,
    );
  },
  cycle(path: string[]): TesseraError {
    return new TesseraError(
      "TESSERA_CYCLE",
      `the task graph has a cycle: ${path.join(" -> ")} (a task cannot depend, directly or indirectly, on itself)`,
    );
  },
  badOption(path: string, value: unknown, expected: string): TesseraError {
    return new TesseraError("TESSERA_BAD_OPTION", `${path} must be ${expected}, got ${preview(value)}`);
  },
  unknownScheduler(name: unknown, valid: readonly string[]): TesseraError {
    return new TesseraError(
      "TESSERA_UNKNOWN_SCHEDULER",
      `unknown scheduler ${preview(name)}: use one of ${valid.map((v) => `"${v}"`).join(", ")}, or pass a cluster`,
    );
  },
  unknownKernel(name: string): TesseraError {
    return new TesseraError(
      "TESSERA_UNKNOWN_KERNEL",
      `no built-in kernel named "${name}" (is the module that defines it listed in kernel/worker/kernels.ts?)`,
    );
  },
  closure(fnName: string, names: string[]): TesseraError {
    const list = names.map((n) => `"${n}"`).join(", ");
    const example = names.map((n) => `${n}`).join(", ");
    return new TesseraError(
      "TESSERA_CLOSURE",
      `function ${fnName} uses ${list} from outside its body, which cannot be sent to a worker thread. ` +
        `Pass the value explicitly: { captures: { ${example} } } (structured-cloneable values), ` +
        `move it inside the function, or run with { scheduler: "sync" } to debug with real closures`,
    );
  },
  notShippable(what: string, why: string, fix: string): TesseraError {
    return new TesseraError("TESSERA_NOT_SHIPPABLE", `${what} cannot be sent to a worker: ${why} (${fix})`);
  },
  workerCrashed(key: string, op: string, detail: string): TesseraError {
    return new TesseraError(
      "TESSERA_WORKER_CRASHED",
      `a worker thread died while running task ${key} (operation "${op}"): ${detail}. ` +
        `A task must not call process.exit(); if it ran out of memory, use smaller chunks or raise memoryLimit. ` +
        `The pool has replaced the worker; other computations are unaffected`,
    );
  },
  cancelled(reason?: unknown): TesseraError {
    const why = reason instanceof Error ? `: ${reason.message}` : reason === undefined ? "" : `: ${preview(reason)}`;
    return new TesseraError("TESSERA_CANCELLED", `computation cancelled${why}`);
  },
  closed(what: string): TesseraError {
    return new TesseraError("TESSERA_CLOSED", `${what} is closed (start a new one, e.g. await LocalCluster.start())`);
  },
  store(message: string, cause?: unknown): TesseraError {
    return new TesseraError("TESSERA_STORE", message, { cause });
  },
  badInput(message: string): TesseraError {
    return new TesseraError("TESSERA_BAD_INPUT", message);
  },
  fileNotFound(fn: string, file: string, cwd: string): TesseraError {
    return new TesseraError(
      "TESSERA_FILE_NOT_FOUND",
      `${fn}: no file at ${preview(file)} (relative paths start at ${cwd}); check the path, or pass a glob such as "data/*.jsonl"`,
    );
  },
  /** A path that must exist does not; `fix` says what to do (differs by reader). */
  pathNotFound(fn: string, what: string, file: string, cwd: string, fix: string): TesseraError {
    return new TesseraError("TESSERA_FILE_NOT_FOUND", `${fn}: no ${what} at ${preview(file)} (relative paths start at ${cwd}); ${fix}`);
  },
  emptyGlob(fn: string, pattern: string, dir: string): TesseraError {
    return new TesseraError(
      "TESSERA_FILE_NOT_FOUND",
      `${fn}: the pattern ${preview(pattern)} matches no file (looked in ${dir}); check the folder and the file extension, or list the files explicitly`,
    );
  },
  /**
   * A user function failed on one item of a partition. `origin` (file and
   * line) is known when the partition came straight from a text file.
   */
  itemFailed(op: string, fnName: string, partition: number, index: number, item: unknown, cause: unknown, origin?: { file: string; line: number }): TesseraError {
    const why = cause instanceof Error ? `${cause.name}: ${cause.message}` : `threw ${preview(cause)}`;
    const at = `item ${index.toLocaleString("en-US")} of partition ${partition} (${preview(item, 60)})`;
    let fix = `fix ${fnName} or the data; run with { scheduler: "sync" } to debug it in this thread`;
    if (origin !== undefined && fnName === "JSON.parse") {
      fix = item === "" || (typeof item === "string" && item.trim() === "")
        ? `the line is blank: drop blank lines first, e.g. .filter((line) => line.trim() !== "").map(JSON.parse)`
        : "fix or remove that line, or parse with a function that skips bad lines";
      return new TesseraError("TESSERA_ITEM_FAILED", `malformed JSON on line ${origin.line.toLocaleString("en-US")} of ${origin.file} (${op}, ${at}): ${why} (${fix})`, { cause });
    }
    const where = origin === undefined ? at : `line ${origin.line.toLocaleString("en-US")} of ${origin.file} (${at})`;
    return new TesseraError("TESSERA_ITEM_FAILED", `${op}(${fnName}) failed on ${where}: ${why} (${fix})`, { cause });
  },
};
