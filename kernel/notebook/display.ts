/**
 * What a value looks like in a notebook: its mimebundle. Values that carry
 * `Symbol.for("tessera.mimebundle")` (collections, GraphView, LocalCluster,
 * MemoryReport, and whatever the Array, DataFrame and Bag modules add) draw
 * themselves; Arrow tables get a head/tail table; anything else is text.
 */
import { inspect } from "node:util";
import { MIMEBUNDLE, MimeBundle } from "../collections/repr";
import { arrowTableBundle, isArrowTable } from "../diagnostics/arrow-table";

/**
 * The bundle for `value`; a failing `[MIMEBUNDLE]()` falls back to text and
 * reports why through `warn` (a broken repr must not break the cell).
 * @example bundleOf(42) // { "text/plain": "42" }
 */
export function bundleOf(value: unknown, warn: (msg: string) => void = () => {}): MimeBundle {
  const render = (value as Record<symbol, unknown> | null | undefined)?.[MIMEBUNDLE];
  if (typeof render === "function") {
    try {
      const bundle = render.call(value) as MimeBundle;
      if (bundle !== null && typeof bundle === "object") return { ...bundle, "text/plain": typeof bundle["text/plain"] === "string" ? bundle["text/plain"] : text(value) };
      warn(`tessera: ${describe(value)}[Symbol.for("tessera.mimebundle")]() returned ${inspect(bundle)}, not a mimebundle object`);
    } catch (e) {
      warn(`tessera: ${describe(value)}[Symbol.for("tessera.mimebundle")]() threw ${(e as Error)?.stack ?? e}`);
    }
  } else if (isArrowTable(value)) {
    try {
      return arrowTableBundle(value);
    } catch (e) {
      warn(`tessera: could not draw an Arrow table: ${(e as Error)?.message ?? e}`);
    }
  }
  return { "text/plain": text(value) };
}

function text(value: unknown): string {
  return inspect(value, { depth: 4, maxArrayLength: 50, breakLength: 100 });
}

function describe(value: unknown): string {
  return (value as object)?.constructor?.name ?? typeof value;
}
