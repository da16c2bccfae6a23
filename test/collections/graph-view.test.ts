import { test } from "node:test";
import assert from "node:assert/strict";
import { delayed } from "../../kernel/collections/delayed";
import { GraphView, MAX_DRAWN_TASKS } from "../../kernel/collections/graph-view";

const inc = delayed(function inc(x: number) { return x + 1; });
const add = delayed(function add(a: number, b: number) { return a + b; });

test("visualize() draws every layer as a box and every dependency as an arrow, and keeps its data", () => {
  const d = add(inc(1), inc(2));
  const v = d.visualize();
  assert.ok(v instanceof GraphView);
  const svg = v.toSVG();
  assert.equal((svg.match(/<rect /g) ?? []).length, 3);
  assert.equal((svg.match(/<polyline /g) ?? []).length, 2);
  assert.match(svg, /<text[^>]*font-weight="bold">add<\/text>/);
  assert.deepEqual(JSON.parse(JSON.stringify(v)), { layers: v.layers });
  const bundle = (v as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for("tessera.mimebundle")]!();
  assert.equal(bundle["image/svg+xml"], svg);
  assert.equal(bundle["text/plain"], "GraphView: 3 layers, 3 tasks\n  add (1 task) <- inc, inc\n  inc (1 task)\n  inc (1 task)");
});

test("task graphs too large to read are drawn as their layers, with a note", () => {
  const parts = Array.from({ length: MAX_DRAWN_TASKS + 1 }, (_, i) => inc(i));
  const total = delayed(function sum(...xs: number[]) { return xs.length; })(...parts);
  const svg = total.visualize({ tasks: true }).toSVG();
  assert.match(svg, new RegExp(`${MAX_DRAWN_TASKS + 2} tasks: too many to draw, showing the ${MAX_DRAWN_TASKS + 2} layers`));
  const small = add(inc(1), inc(2)).visualize({ tasks: true }).toSVG();
  assert.equal((small.match(/<rect /g) ?? []).length, 3);
});
