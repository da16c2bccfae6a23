/**
 * File lists from what a user passes: a path, a list of paths, or a glob
 * with * and ? in its last segment ("data/part-*.csv"). Sorted, so the
 * partitions come in a stable order. A pattern that matches nothing, or a
 * path that does not exist, is an error that says where we looked.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Errors } from "../errors";

function globToRegExp(glob: string): RegExp {
  const esc = glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]");
  return new RegExp(`^${esc}$`);
}

export function expandPaths(what: string, input: string | readonly string[]): string[] {
  const list = typeof input === "string" ? [input] : [...input];
  if (list.length === 0 || list.some((p) => typeof p !== "string" || p === "")) {
    throw Errors.badOption(`${what}(path)`, input, "a path, a glob like \"data/*.csv\", or a non-empty list of paths");
  }
  const out: string[] = [];
  for (const p of list) {
    const abs = path.resolve(p);
    const dir = path.dirname(abs), base = path.basename(abs);
    if (/[*?]/.test(dir)) throw Errors.badOption(`${what}(path)`, p, "a glob with wildcards in the file name only, e.g. \"data/2024-*.csv\"");
    if (/[*?]/.test(base)) {
      const re = globToRegExp(base);
      const names = fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => re.test(n)).sort() : [];
      if (names.length === 0) throw Errors.badInput(`${what}: no file matches ${JSON.stringify(p)} (looked in ${dir}; check the pattern and the current folder ${process.cwd()})`);
      out.push(...names.map((n) => path.join(dir, n)));
    } else {
      if (!fs.existsSync(abs)) throw Errors.badInput(`${what}: file ${JSON.stringify(p)} does not exist (looked for ${abs}; check the path and the current folder ${process.cwd()})`);
      out.push(abs);
    }
  }
  return out;
}
