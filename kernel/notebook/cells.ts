/**
 * What the kernel remembers of the cells it ran, so that a stack frame can
 * be turned back into "Cell In[3], line 5" and the line the user wrote.
 *
 * A cell's TypeScript goes through two compilations in tslab: TS -> ES
 * module (emitted with an inline source map) and ES module -> CommonJS (with
 * a map from the transpile hook). The CommonJS text is what runs, in a vm
 * script named `In[<count>]`, and what `fn.toString()` of a function defined
 * in the cell returns; so a position in it maps back through both maps.
 *
 * Invariants: cells are kept by execution count, the most recent MAX_CELLS;
 * transpile records wait in a short queue until the cell they belong to is
 * recorded (a cell with local imports transpiles those modules too).
 */
import { SourceMap } from "node:module";
import type * as VM from "node:vm";

// The module object itself (not an import namespace copy): tslab's executor looks
// `runInThisContext` up on it at every call, which is what withScriptName relies on.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const vm = require("node:vm") as typeof VM;

export interface CellRecord {
  count: number;
  /** What the user wrote. */
  source: string;
  /** The CommonJS that ran. */
  code: string;
  toEsm: SourceMap | undefined;
  toTs: SourceMap | undefined;
}

export interface CellPosition {
  count: number;
  /** 0-based, in the cell's source. */
  line: number;
  column: number;
}

const MAX_CELLS = 500;
const MAX_PENDING = 16;
const INLINE_MAP = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;
/** tslab puts `export {};\n` before a cell's source to make it a module. */
const TS_PREFIX_LINES = 1;
const FILENAME = /^In\[(\d+)\]$/;

export class CellRegistry {
  private readonly cells = new Map<number, CellRecord>();
  private pending: { esm: string; cjs: string; map: string | undefined }[] = [];

  /** The transpile hook's report (see typescript-host.ts). */
  onTranspile(esm: string, cjs: string, map: string | undefined): void {
    this.pending.push({ esm, cjs, map });
    if (this.pending.length > MAX_PENDING) this.pending.shift();
  }

  /** Remembers a cell that ran `code` (tslab's CommonJS output for `source`). */
  record(count: number, source: string, code: string): CellRecord {
    const t = this.pending.find((p) => p.cjs === code);
    this.pending = [];
    const rec: CellRecord = { count, source, code, toEsm: parseMap(t?.map), toTs: parseMap(inlineMap(t?.esm)) };
    this.cells.delete(count);
    this.cells.set(count, rec);
    if (this.cells.size > MAX_CELLS) this.cells.delete(this.cells.keys().next().value!);
    return rec;
  }

  get(count: number): CellRecord | undefined {
    return this.cells.get(count);
  }

  /** The vm script name of a cell: stack frames of code in the cell name it. */
  static filename(count: number): string {
    return `In[${count}]`;
  }

  /** The execution count a vm script name stands for. */
  static countOf(filename: string): number | undefined {
    const m = FILENAME.exec(filename);
    return m ? Number(m[1]) : undefined;
  }

  /** A 0-based position in a cell's running code -> the position in what the user wrote. */
  toSource(count: number, line: number, column: number): CellPosition | undefined {
    const cell = this.cells.get(count);
    if (cell?.toEsm === undefined || cell.toTs === undefined) return undefined;
    const esm = cell.toEsm.findEntry(line, column) as Partial<{ originalLine: number; originalColumn: number }>;
    if (esm.originalLine === undefined) return undefined;
    const ts = cell.toTs.findEntry(esm.originalLine, esm.originalColumn!) as Partial<{ originalLine: number; originalColumn: number }>;
    if (ts.originalLine === undefined) return undefined;
    const srcLine = ts.originalLine - TS_PREFIX_LINES;
    if (srcLine < 0) return undefined;
    return { count, line: srcLine, column: ts.originalColumn! };
  }

  /**
   * Where a function's source text starts in the running code of the most
   * recent cell that defined it (0-based), or undefined.
   */
  locate(fnSource: string): { count: number; line: number; column: number } | undefined {
    const recs = [...this.cells.values()];
    for (let i = recs.length - 1; i >= 0; i--) {
      const at = recs[i]!.code.indexOf(fnSource);
      if (at < 0) continue;
      const before = recs[i]!.code.slice(0, at);
      const line = before.split("\n").length - 1;
      return { count: recs[i]!.count, line, column: at - (before.lastIndexOf("\n") + 1) };
    }
    return undefined;
  }

  /** The source line (0-based) of a cell, or undefined. */
  line(count: number, line: number): string | undefined {
    return this.cells.get(count)?.source.split("\n")[line];
  }
}

function inlineMap(esm: string | undefined): string | undefined {
  const m = esm === undefined ? null : INLINE_MAP.exec(esm);
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : undefined;
}

function parseMap(text: string | undefined): SourceMap | undefined {
  if (text === undefined) return undefined;
  try {
    return new SourceMap(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * Runs `fn` with every `vm.runInThisContext` call in it naming its script
 * `filename` (tslab's executor compiles a cell synchronously inside
 * `execute`, before its first await, so the swap covers exactly that call).
 * @example withScriptName("In[3]", () => executor.execute(src))
 */
export function withScriptName<T>(filename: string, fn: () => T): T {
  const original = vm.runInThisContext;
  const named = (code: string, options?: VM.RunningScriptOptions | string) =>
    original(code, typeof options === "object" ? { ...options, filename } : { filename });
  (vm as { runInThisContext: typeof original }).runInThisContext = named as typeof original;
  try {
    return fn();
  } finally {
    (vm as { runInThisContext: typeof original }).runInThisContext = original;
  }
}
