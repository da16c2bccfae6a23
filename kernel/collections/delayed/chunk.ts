/**
 * Worker-side kernels of Delayed: attribute and item access, and building
 * the containers a delayed call's arguments are assembled into.
 */
import { defineKernels } from "../../worker/registry";

function get(obj: unknown, prop: string | number): unknown {
  if (obj === null || obj === undefined) {
    throw new TypeError(`cannot read ${JSON.stringify(prop)} of ${obj} (the delayed value it was read from is ${obj})`);
  }
  return (obj as Record<string | number, unknown>)[prop];
}

defineKernels("delayed", {
  get,
  identity: (x: unknown) => x,
});
