/**
 * bench/RESULTS.md holds the latest figures of every benchmark, one section
 * each, with the date, the machine and the command that printed them. A
 * benchmark rewrites only its own section.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { machine } from "./measure";

export const RESULTS = path.resolve(__dirname, "..", "..", "..", "bench", "RESULTS.md");

const HEADER = `# Benchmark results

Latest figures of every benchmark in \`bench/\`, each section written by the
benchmark itself (\`npm run bench -- <name>\`). Ratios compare Tessera with
Dask (Debian's \`python3-dask\`) on the same data, on the same machine, in the
same run. Lower time ratios are better for Tessera.
`;

export function writeSection(name: string, title: string, command: string, body: string): void {
  const start = `<!-- section:${name} -->`;
  const end = `<!-- /section:${name} -->`;
  const date = new Date().toISOString().replace("T", " ").slice(0, 16) + " UTC";
  const section = `${start}\n## ${title}\n\n${date} · ${machine()}\n\nCommand: \`${command}\`\n\n${body.trim()}\n${end}`;
  let text = fs.existsSync(RESULTS) ? fs.readFileSync(RESULTS, "utf8") : HEADER;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  text = a >= 0 && b > a ? text.slice(0, a) + section + text.slice(b + end.length) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(RESULTS, text);
}

/** A markdown table from a header row and rows. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}
