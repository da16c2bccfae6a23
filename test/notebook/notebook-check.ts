/**
 * Checks the outputs an executed notebook saved against what its cells
 * expect. Expectations live in each code cell's metadata, so whoever writes
 * an example notebook writes its test beside it:
 *
 *   "metadata": { "tessera": { "expect": [
 *     { "output": "execute_result", "text": "55" },
 *     { "output": "display_data", "html": "tessera-progress", "match": "^Computed \\d+ tasks" },
 *     { "output": "execute_result", "mime": "image/svg+xml" },
 *     { "output": "error", "ename": "TaskError", "match": "operation \"parse\"" }
 *   ] } }
 *
 * An expectation holds when some output of the cell has that output_type and
 * satisfies every field given: `text` (exact, trimmed) and `match` (a regular
 * expression) test text/plain, a stream's text, or "ename: evalue"; `html`
 * tests text/html; `mime` must be present; `ename` is exact. Every code cell
 * must have run, and only cells tagged "raises-exception" may hold an error.
 */
import * as fs from "node:fs";

export interface Expectation {
  output: "execute_result" | "display_data" | "stream" | "error";
  text?: string;
  match?: string;
  html?: string;
  mime?: string;
  ename?: string;
}

interface Output {
  output_type: string;
  text?: string | string[];
  name?: string;
  data?: Record<string, string | string[]>;
  ename?: string;
  evalue?: string;
}

interface Cell {
  cell_type: string;
  source: string | string[];
  execution_count?: number | null;
  outputs?: Output[];
  metadata?: { tags?: string[]; tessera?: { expect?: Expectation[] } };
}

const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join("") : (v ?? ""));

/** The text an expectation's `text` / `match` look at. */
function textOf(o: Output): string {
  if (o.output_type === "stream") return join(o.text);
  if (o.output_type === "error") return `${o.ename}: ${o.evalue}`;
  return join(o.data?.["text/plain"]);
}

function satisfies(o: Output, e: Expectation): boolean {
  if (o.output_type !== e.output) return false;
  if (e.text !== undefined && textOf(o).trim() !== e.text.trim()) return false;
  if (e.match !== undefined && !new RegExp(e.match, "m").test(textOf(o))) return false;
  if (e.html !== undefined && !new RegExp(e.html).test(join(o.data?.["text/html"]))) return false;
  if (e.mime !== undefined && o.data?.[e.mime] === undefined) return false;
  if (e.ename !== undefined && o.ename !== e.ename) return false;
  return true;
}

function describe(o: Output): string {
  const mimes = o.data === undefined ? "" : ` [${Object.keys(o.data).join(", ")}]`;
  return `${o.output_type}${mimes}: ${JSON.stringify(textOf(o).slice(0, 200))}`;
}

/**
 * The problems found in an executed notebook (empty when it is fine), and
 * how many expectations were checked.
 * @example checkNotebook("examples/out/02-delayed.ipynb").problems // []
 */
export function checkNotebook(file: string): { problems: string[]; checked: number } {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Cell[] };
  const problems: string[] = [];
  let checked = 0;
  nb.cells.forEach((cell, i) => {
    if (cell.cell_type !== "code") return;
    const where = `cell ${i + 1} (${JSON.stringify(join(cell.source).split("\n")[0]!.slice(0, 60))})`;
    const outs = cell.outputs ?? [];
    if (cell.execution_count == null) problems.push(`${where} did not run`);
    const raises = cell.metadata?.tags?.includes("raises-exception") ?? false;
    const errors = outs.filter((o) => o.output_type === "error");
    if (!raises && errors.length > 0) problems.push(`${where} failed: ${errors.map(describe).join("; ")}`);
    for (const e of cell.metadata?.tessera?.expect ?? []) {
      checked++;
      if (!outs.some((o) => satisfies(o, e))) {
        problems.push(`${where}: no output matches ${JSON.stringify(e)}; outputs:\n    ${outs.map(describe).join("\n    ") || "(none)"}`);
      }
    }
  });
  return { problems, checked };
}

if (require.main === module) {
  const files = process.argv.slice(2);
  let bad = 0;
  for (const f of files) {
    const { problems, checked } = checkNotebook(f);
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${f} (${checked} expectations)`);
    for (const p of problems) console.log(`  - ${p}`);
    bad += problems.length;
  }
  process.exit(bad === 0 ? 0 : 1);
}
