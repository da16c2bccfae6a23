/**
 * Static priorities that make execution depth-first, as dask.order aims to:
 * finish the inputs of one reduction before starting the next one, so that
 * intermediate results are released early and memory stays low.
 *
 * The order is the post-order of a depth-first walk from the outputs (in the
 * order given), visiting each task's dependencies in the order its arguments
 * name them. A tree reduction then runs one subtree at a time: leaf, leaf,
 * combine, leaf, leaf, combine, ... The scheduler runs, among ready tasks,
 * the one with the smallest priority.
 */
import { TaskGraph, indexGraph } from "../graph";

/** Priority of every key: 0 runs first. Keys in `done` are leaves. */
export function order(graph: TaskGraph, outputs: readonly string[], done?: ReadonlySet<string>): Map<string, number> {
  const { keys, index, deps } = indexGraph(graph);
  const n = keys.length;
  const priority = new Int32Array(n).fill(-1);
  const onStack = new Uint8Array(n);
  let next = 0;
  const visit = (root: number) => {
    if (priority[root]! >= 0) return;
    // Iterative post-order DFS; each frame is [index, position of the next dependency].
    const stack: [number, number][] = [[root, 0]];
    onStack[root] = 1;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1]!;
      const ds = done?.has(keys[frame[0]]!) ? [] : deps[frame[0]]!;
      if (frame[1] < ds.length) {
        const d = ds[frame[1]++]!;
        if (priority[d]! < 0 && !onStack[d]) {
          onStack[d] = 1;
          stack.push([d, 0]);
        }
      } else {
        stack.pop();
        onStack[frame[0]] = 0;
        priority[frame[0]] = next++;
      }
    }
  };
  for (const k of outputs) {
    const i = index.get(k);
    if (i !== undefined) visit(i);
  }
  for (let i = 0; i < n; i++) visit(i);
  const out = new Map<string, number>();
  for (let i = 0; i < n; i++) out.set(keys[i]!, priority[i]!);
  return out;
}
