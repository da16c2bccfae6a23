/**
 * A layered drawing of a directed acyclic graph (Sugiyama's method, kept
 * small): what `visualize()` draws, in Node, with no Graphviz.
 *
 *   1. rank: each node sits one row below its lowest input (longest path);
 *   2. an edge that spans several rows gets a bend point on every row it
 *      crosses, so it can be routed around the nodes there;
 *   3. order within rows: a few down-and-up sweeps placing each node at the
 *      mean position of its neighbours in the row before (barycenters), which
 *      removes most crossings;
 *   4. coordinates: rows centred on the widest one.
 *
 * Inputs are drawn at the top and results at the bottom, as data flows.
 */
import { Errors } from "../errors";

export interface LayoutNode {
  id: string;
  /** Box width in drawing units (labels differ in length). */
  width: number;
}

export interface LayoutOptions {
  nodeHeight?: number;
  /** Vertical distance between rows, box edges included. */
  rowGap?: number;
  /** Horizontal gap between boxes in a row. */
  colGap?: number;
  /** Down-and-up ordering sweeps. */
  sweeps?: number;
}

export interface PlacedNode {
  id: string;
  /** Centre of the box. */
  x: number;
  y: number;
  width: number;
  height: number;
  rank: number;
}

export interface PlacedEdge {
  from: string;
  to: string;
  /** Polyline from the bottom of `from` to the top of `to`, bends included. */
  points: [number, number][];
}

export interface Layout {
  nodes: PlacedNode[];
  edges: PlacedEdge[];
  width: number;
  height: number;
}

interface Slot {
  id: string;
  /** Index of the real node, or -1 for a bend point of a long edge. */
  node: number;
  width: number;
  rank: number;
  pos: number;
  up: Slot[];
  down: Slot[];
}

/**
 * Lays out a DAG; `edges` are [from, to] pairs (from is drawn above to).
 * @example layoutDag([{ id: "a", width: 40 }, { id: "b", width: 40 }], [["a", "b"]]).nodes[1].y // > nodes[0].y
 */
export function layoutDag(nodes: readonly LayoutNode[], edges: readonly (readonly [string, string])[], options: LayoutOptions = {}): Layout {
  const nodeHeight = options.nodeHeight ?? 28;
  const rowGap = options.rowGap ?? 56;
  const colGap = options.colGap ?? 18;
  const sweeps = options.sweeps ?? 4;
  const index = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (index.has(n.id)) throw Errors.badOption("layoutDag node id", n.id, "unique node ids");
    index.set(n.id, i);
  });
  const inputs: number[][] = nodes.map(() => []);
  for (const [a, b] of edges) {
    const ia = index.get(a), ib = index.get(b);
    if (ia === undefined || ib === undefined) throw Errors.badOption("layoutDag edge", [a, b], "an edge between two listed nodes");
    if (ia !== ib) inputs[ib]!.push(ia);
  }
  const rank = rankNodes(inputs);
  const slots: Slot[] = nodes.map((n, i) => ({ id: n.id, node: i, width: n.width, rank: rank[i]!, pos: 0, up: [], down: [] }));
  const routes: { from: number; to: number; chain: Slot[] }[] = [];
  inputs.forEach((ins, b) => {
    for (const a of ins) {
      const chain: Slot[] = [slots[a]!];
      for (let r = rank[a]! + 1; r < rank[b]!; r++) {
        const bend: Slot = { id: `${nodes[a]!.id}->${nodes[b]!.id}@${r}`, node: -1, width: 0, rank: r, pos: 0, up: [], down: [] };
        slots.push(bend);
        chain.push(bend);
      }
      chain.push(slots[b]!);
      for (let k = 1; k < chain.length; k++) {
        chain[k - 1]!.down.push(chain[k]!);
        chain[k]!.up.push(chain[k - 1]!);
      }
      routes.push({ from: a, to: b, chain });
    }
  });
  const rows = orderRows(slots, sweeps);
  const rowWidth = (row: Slot[]) => row.reduce((w, s) => w + s.width, 0) + colGap * Math.max(0, row.length - 1);
  const width = Math.max(0, ...rows.map(rowWidth));
  const xs = new Map<Slot, number>();
  rows.forEach((row) => {
    let x = (width - rowWidth(row)) / 2;
    for (const s of row) {
      xs.set(s, x + s.width / 2);
      x += s.width + colGap;
    }
  });
  const yOf = (r: number) => nodeHeight / 2 + r * rowGap;
  const placed: PlacedNode[] = nodes.map((n, i) => ({ id: n.id, x: xs.get(slots[i]!)!, y: yOf(rank[i]!), width: n.width, height: nodeHeight, rank: rank[i]! }));
  const placedEdges: PlacedEdge[] = routes.map(({ from, to, chain }) => {
    const points: [number, number][] = chain.map((s) => [xs.get(s)!, yOf(s.rank)]);
    points[0]![1] += nodeHeight / 2;
    points[points.length - 1]![1] -= nodeHeight / 2;
    return { from: nodes[from]!.id, to: nodes[to]!.id, points };
  });
  return { nodes: placed, edges: placedEdges, width, height: rows.length === 0 ? 0 : yOf(rows.length - 1) + nodeHeight / 2 };
}

/** Longest-path ranks (sources at 0); throws on a cycle. */
function rankNodes(inputs: readonly number[][]): number[] {
  const rank = new Array<number>(inputs.length).fill(-1);
  const visiting = new Uint8Array(inputs.length);
  const visit = (start: number) => {
    // Iterative DFS: task graphs can be deep chains.
    const stack: [number, number][] = [[start, 0]];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const [n, next] = top;
      if (next === 0) {
        if (rank[n]! >= 0) {
          stack.pop();
          continue;
        }
        visiting[n] = 1;
      }
      const ins = inputs[n]!;
      if (next < ins.length) {
        top[1]++;
        const m = ins[next]!;
        if (visiting[m]) throw Errors.badOption("layoutDag edges", "a cycle", "an acyclic graph");
        if (rank[m]! < 0) stack.push([m, 0]);
        continue;
      }
      let r = 0;
      for (const m of ins) r = Math.max(r, rank[m]! + 1);
      rank[n] = r;
      visiting[n] = 0;
      stack.pop();
    }
  };
  for (let i = 0; i < inputs.length; i++) visit(i);
  return rank;
}

/** Rows of slots, ordered by barycenter sweeps. */
function orderRows(slots: Slot[], sweeps: number): Slot[][] {
  const rows: Slot[][] = [];
  for (const s of slots) (rows[s.rank] ??= []).push(s);
  for (let r = 0; r < rows.length; r++) rows[r] ??= [];
  const renumber = (row: Slot[]) => row.forEach((s, i) => (s.pos = i));
  rows.forEach(renumber);
  const sortBy = (row: Slot[], neighbours: (s: Slot) => Slot[]) => {
    const key = new Map<Slot, number>();
    for (const s of row) {
      const ns = neighbours(s);
      key.set(s, ns.length === 0 ? s.pos : ns.reduce((a, n) => a + n.pos, 0) / ns.length);
    }
    // Stable: ties keep their current order.
    row.sort((a, b) => key.get(a)! - key.get(b)! || a.pos - b.pos);
    renumber(row);
  };
  for (let i = 0; i < sweeps; i++) {
    for (let r = 1; r < rows.length; r++) sortBy(rows[r]!, (s) => s.up);
    for (let r = rows.length - 2; r >= 0; r--) sortBy(rows[r]!, (s) => s.down);
  }
  return rows;
}
