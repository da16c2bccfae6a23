/**
 * Errors as a notebook shows them: Jupyter's { ename, evalue, traceback },
 * with stack frames pointing at the cell and line the user wrote.
 *
 * Frames are rewritten, not only filtered:
 *   - `In[3]:35:9` (code a cell ran, in tslab's compiled JavaScript) becomes
 *     the cell's own line and column, through the cell's source maps;
 *   - `tessera-fn/train-<hash>.js:6:15` (a user function compiled in a worker)
 *     is found again in the cell that defined it, then mapped the same way;
 *   - frames inside Node, tslab or the engine are left out: they say nothing
 *     about the user's code.
 * Below the frames comes the failing line of the cell with its neighbours,
 * as IPython shows it.
 */
import { inspect } from "node:util";
import { TaskError } from "../errors";
import { SOURCE_URL, sourceForHash } from "../worker/callable";
import { CellPosition, CellRegistry } from "./cells";
import type { TslabDiagnostic } from "./tslab";

export interface JupyterError {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ReportOptions {
  /** Folders whose frames are internal (the engine's dist/, tslab). */
  internalDirs: readonly string[];
}

const FRAME = /^(\s*at (?:.*? \()?)(.+?):(\d+):(\d+)(\)?)$/;
const INTERRUPT_MESSAGES = ["Interrupted asynchronously", "Script execution was interrupted by `SIGINT`"];

/** Whether `e` is how tslab or V8 report an interrupted cell. */
export function isInterrupt(e: unknown): boolean {
  const msg = (e as Error | null)?.message;
  return typeof msg === "string" && INTERRUPT_MESSAGES.some((m) => msg.startsWith(m));
}

/** The report for an interrupted cell. */
export function interruptReport(): JupyterError {
  const evalue = "execution interrupted: the cell stopped and its running computations were cancelled";
  return { ename: "KernelInterrupt", evalue, traceback: [`KernelInterrupt: ${evalue}`] };
}

/**
 * A thrown value as a Jupyter error, frames mapped to cells.
 * @example errorReport(new Error("boom"), cells, { internalDirs: [] }).ename // "Error"
 */
export function errorReport(e: unknown, cells: CellRegistry, options: ReportOptions): JupyterError {
  if (isInterrupt(e)) return interruptReport();
  if (!(e instanceof Error)) {
    const evalue = inspect(e, { depth: 2 });
    return { ename: "Uncaught", evalue, traceback: [`Uncaught ${evalue}`] };
  }
  if (e instanceof TaskError) {
    const { frames, first } = rewriteStack(e.remote.stack ?? "", cells, options);
    const traceback = [`${e.name}: ${e.message}`];
    if (frames.length > 0) traceback.push(`Worker stack of task ${e.key} (operation "${e.op}"):`, `${e.remote.name}: ${e.remote.message}`, ...frames);
    if (first !== undefined) traceback.push(...excerpt(first, cells));
    return { ename: e.name, evalue: e.message, traceback };
  }
  const { frames, first } = rewriteStack(e.stack ?? "", cells, options);
  const code = (e as { code?: unknown }).code;
  const traceback = [`${e.name}: ${e.message}${typeof code === "string" && code.startsWith("TESSERA_") ? ` [${code}]` : ""}`, ...frames];
  if (first !== undefined) traceback.push(...excerpt(first, cells));
  return { ename: e.name, evalue: e.message, traceback };
}

/**
 * TypeScript's complaints about a cell, as one Jupyter error.
 * @example diagnosticsReport([{ code: 2322, messageText: "…", start: { line: 0, character: 6, offset: 6 }, … }], 3, src)
 */
export function diagnosticsReport(diagnostics: readonly TslabDiagnostic[], count: number, source: string): JupyterError {
  const lines = source.split("\n");
  const traceback: string[] = [];
  for (const d of diagnostics) {
    const where = d.fileName === undefined ? `Cell In[${count}], line ${d.start.line + 1}:${d.start.character + 1}` : `${d.fileName}:${d.start.line + 1}:${d.start.character + 1}`;
    traceback.push(`${where} - TS${d.code}: ${d.messageText}`);
    if (d.fileName === undefined && lines[d.start.line] !== undefined) {
      traceback.push(`    ${lines[d.start.line]}`, `    ${" ".repeat(d.start.character)}${"^".repeat(Math.max(1, d.start.line === d.end.line ? d.end.character - d.start.character : 1))}`);
    }
  }
  const first = diagnostics[0]!;
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : "";
  return { ename: "TypeScriptError", evalue: `TS${first.code}: ${first.messageText}${more}`, traceback };
}

/** Stack lines after the message, rewritten; `first` is the first frame found in a cell. */
export function rewriteStack(stack: string, cells: CellRegistry, options: ReportOptions): { frames: string[]; first: CellPosition | undefined } {
  const frames: string[] = [];
  let first: CellPosition | undefined;
  for (const line of stack.split("\n")) {
    const m = FRAME.exec(line);
    if (m === null) continue; // the message lines
    const [, head, file, l, c, tail] = m as unknown as [string, string, string, string, string, string];
    const pos = cellPosition(file, Number(l) - 1, Number(c) - 1, cells);
    if (pos !== undefined) {
      first ??= pos;
      frames.push(`${head.replace(/^\s*/, "    ")}${CellRegistry.filename(pos.count)}:${pos.line + 1}:${pos.column + 1}${tail}`);
    } else if (!isInternal(file, options)) {
      frames.push(line.replace(/^\s*/, "    "));
    }
  }
  return { frames, first };
}

function cellPosition(file: string, line: number, column: number, cells: CellRegistry): CellPosition | undefined {
  const count = CellRegistry.countOf(file);
  if (count !== undefined) return cells.toSource(count, line, column);
  const hash = SOURCE_URL.hashOf(file);
  if (hash === undefined) return undefined;
  const source = sourceForHash(hash);
  const at = source === undefined ? undefined : cells.locate(source);
  if (at === undefined) return undefined;
  const rel = line - SOURCE_URL.lineOffset;
  if (rel < 0) return undefined;
  const col = rel === 0 ? at.column + column - SOURCE_URL.firstLineColumnOffset : column;
  return cells.toSource(at.count, at.line + rel, col);
}

function isInternal(file: string, options: ReportOptions): boolean {
  if (file.startsWith("node:") || file === "<anonymous>" || file.startsWith("evalmachine.")) return true;
  return options.internalDirs.some((d) => file.startsWith(d) || file.includes(`(${d}`));
}

/** The failing line of a cell, two lines around it, IPython style. */
function excerpt(pos: CellPosition, cells: CellRegistry): string[] {
  const src = cells.get(pos.count)?.source.split("\n");
  if (src === undefined || src[pos.line] === undefined) return [];
  const out = [`Cell In[${pos.count}], line ${pos.line + 1}:`];
  const from = Math.max(0, pos.line - 2), to = Math.min(src.length - 1, pos.line + 2);
  const width = String(to + 1).length;
  for (let i = from; i <= to; i++) out.push(`${i === pos.line ? "--> " : "    "}${String(i + 1).padStart(width)} | ${src[i]}`);
  return out;
}
