import { test } from "node:test";
import assert from "node:assert/strict";
import { Task, builtin, ref, task, toposort } from "../../kernel/graph";
import { order } from "../../kernel/optimize";

const f = builtin("test.f");

/** A pairwise tree reduction over n leaves, as array reductions build. */
function tree(n: number): [Map<string, Task>, string] {
  const g = new Map<string, Task>();
  let level = Array.from({ length: n }, (_, i) => `leaf-${i}`);
  for (const k of level) g.set(k, task(f, []));
  let depth = 0;
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const k = `node-${depth}-${i / 2}`;
      g.set(k, task(f, level.slice(i, i + 2).map((x) => ref(x))));
      next.push(k);
    }
    level = next;
    depth++;
  }
  return [g, level[0]!];
}

test("priorities respect dependencies", () => {
  const [g, root] = tree(64);
  const p = order(g, [root]);
  for (const k of toposort(g)) for (const a of g.get(k)!.args) if ("ref" in a) assert.ok(p.get(a.ref)! < p.get(k)!);
  assert.equal(p.get(root), g.size - 1);
});

test("a tree reduction runs depth-first: few results are held at any time", () => {
  const [g, root] = tree(1024);
  const p = order(g, [root]);
  const seq = [...g.keys()].sort((a, b) => p.get(a)! - p.get(b)!);
  // Simulate running in priority order; count results alive (computed, readers not all done).
  const readers = new Map<string, number>();
  for (const t of g.values()) for (const a of t.args) if ("ref" in a) readers.set(a.ref, (readers.get(a.ref) ?? 0) + 1);
  let alive = 0, peak = 0;
  for (const k of seq) {
    for (const a of g.get(k)!.args) if ("ref" in a && (readers.set(a.ref, readers.get(a.ref)! - 1), readers.get(a.ref) === 0)) alive--;
    alive++;
    peak = Math.max(peak, alive);
  }
  // Breadth-first would hold 1024 leaves at once; depth-first holds about log2(1024) + 1.
  assert.ok(peak <= 12, `peak ${peak}`);
});

test("outputs are visited in the order given; every key gets a distinct priority", () => {
  const g = new Map<string, Task>([["a", task(f, [])], ["b", task(f, [])], ["c", task(f, [ref("a")])]]);
  const p = order(g, ["b", "c"]);
  assert.ok(p.get("b")! < p.get("a")!);
  assert.equal(new Set(p.values()).size, 3);
});
