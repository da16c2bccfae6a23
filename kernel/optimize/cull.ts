/**
 * Cull: drop every task the requested outputs do not need.
 */
import { cull as cullGraph, TaskGraph, Task } from "../graph";

/**
 * The tasks `outputs` need. Keys in `done` (already computed, e.g. persisted)
 * are kept as leaves: their own dependencies are not followed.
 */
export function cull(graph: TaskGraph, outputs: Iterable<string>, done?: ReadonlySet<string>): Map<string, Task> {
  return cullGraph(graph, outputs, done);
}
