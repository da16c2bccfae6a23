import { test } from "node:test";
import assert from "node:assert/strict";
import { layoutDag } from "../../kernel/graph";

test("inputs above results, no two boxes of a row overlapping, long edges bent around rows", () => {
  const nodes = ["a", "b", "c", "d", "e"].map((id) => ({ id, width: 40 }));
  const edges: [string, string][] = [["a", "c"], ["b", "c"], ["c", "d"], ["a", "e"], ["d", "e"]];
  const l = layoutDag(nodes, edges);
  const at = new Map(l.nodes.map((n) => [n.id, n]));
  assert.deepEqual(["a", "b", "c", "d", "e"].map((id) => at.get(id)!.rank), [0, 0, 1, 2, 3], "rank = longest path from an input");
  for (const [from, to] of edges) assert.ok(at.get(from)!.y < at.get(to)!.y, `${from} above ${to}`);
  const byRank = new Map<number, typeof l.nodes>();
  for (const n of l.nodes) byRank.set(n.rank, [...(byRank.get(n.rank) ?? []), n]);
  for (const row of byRank.values()) {
    const xs = row.map((n) => [n.x - n.width / 2, n.x + n.width / 2]).sort((p, q) => p[0]! - q[0]!);
    for (let i = 1; i < xs.length; i++) assert.ok(xs[i]![0]! >= xs[i - 1]![1]!, "boxes do not overlap");
  }
  const long = l.edges.find((e) => e.from === "a" && e.to === "e")!;
  assert.equal(long.points.length, 4, "a -> e spans three rows: one bend per row crossed");
  assert.equal(long.points[0]![1], at.get("a")!.y + at.get("a")!.height / 2, "starts at the bottom of a");
  assert.ok(l.width >= 80 && l.height > 3 * 56);
});

test("cycles and unknown nodes are refused", () => {
  assert.throws(() => layoutDag([{ id: "a", width: 1 }, { id: "b", width: 1 }], [["a", "b"], ["b", "a"]]), /an acyclic graph/);
  assert.throws(() => layoutDag([{ id: "a", width: 1 }], [["a", "z"]]), /an edge between two listed nodes/);
});
