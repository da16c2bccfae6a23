/**
 * Packages a benchmark compares against but the project does not depend on
 * (DuckDB's native bindings are not served for every platform, which would
 * break `npm ci` for everyone): loaded from this project's node_modules if
 * someone installed them (`npm install --no-save @duckdb/node-api`), or from
 * the anchors' folder ($PERF_DIR, default /tmp/perf, see shared/anchors/setup.sh).
 */
import * as path from "node:path";

export function loadOptional<T>(name: string): T | undefined {
  const roots = [process.cwd(), path.resolve(__dirname, "..", "..", ".."), process.env.PERF_DIR ?? "/tmp/perf"];
  for (const root of roots) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      return require(require.resolve(name, { paths: [root] })) as T;
    } catch {
      // not there; try the next place
    }
  }
  return undefined;
}
