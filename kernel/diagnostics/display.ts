/**
 * `display(value)`: show a value in the middle of a cell, the way the
 * notebook shows a cell's last value (rich HTML, SVG, tables). The Tessera
 * kernel installs the sink under a global symbol, so it works whichever copy
 * of the engine a notebook loaded; outside a notebook it prints text.
 */
import { inspect } from "node:util";
import { MIMEBUNDLE } from "../collections/repr";

/** globalThis[DISPLAY_SINK]: (value) => void, installed by the notebook kernel. */
export const DISPLAY_SINK = Symbol.for("tessera.display");

/**
 * Shows `value` now: in a notebook as its rich display, elsewhere as text.
 * @example display(x.visualize())
 * @example for (const part of parts) display(await part.compute())
 */
export function display(value: unknown): void {
  const sink = (globalThis as Record<symbol, unknown>)[DISPLAY_SINK];
  if (typeof sink === "function") {
    (sink as (v: unknown) => void)(value);
    return;
  }
  const render = (value as Record<symbol, unknown> | null)?.[MIMEBUNDLE];
  if (typeof render === "function") {
    const text = (render.call(value) as Record<string, unknown>)["text/plain"];
    if (typeof text === "string") {
      console.log(text);
      return;
    }
  }
  console.log(typeof value === "string" ? value : inspect(value));
}
