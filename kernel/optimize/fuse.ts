/**
 * Fusion of linear chains: a task whose only dependent reads nothing else is
 * run inline inside that dependent, in one task, on one worker, with no
 * intermediate result stored or sent anywhere.
 *
 * a -> b -> c (each with one dependent, each dependent with one dependency)
 * becomes one task under c's key whose argument is b's task, whose argument
 * is a's task. An inline task keeps its own key, so an error inside it still
 * names the task that failed. Keys listed in `keep` (requested outputs,
 * stored results) are never fused away. Chains are cut every `maxChain`
 * tasks so that a fused task never nests deeper than a worker's stack allows.
 */
import { Arg, Task, TaskGraph, indexGraph, toposortIndices, substitute } from "../graph";

/** How many times `key` is referenced in the task's arguments (inline tasks included). */
function countRefs(t: Task, key: string): number {
  let n = 0;
  const walk = (a: Arg): void => {
    if ("ref" in a) n += a.ref === key ? 1 : 0;
    else if ("list" in a) a.list.forEach(walk);
    else if ("dict" in a) for (const k in a.dict) walk(a.dict[k]!);
    else if ("task" in a) a.task.args.forEach(walk);
  };
  t.args.forEach(walk);
  return n;
}

export interface FuseOptions {
  /** Keys that must stay addressable (outputs). */
  keep?: ReadonlySet<string>;
  /** Longest chain fused into one task. */
  maxChain?: number;
}

/** The graph with linear chains fused; the same graph object when there is nothing to fuse. */
export function fuseLinear(graph: TaskGraph, options: FuseOptions = {}): TaskGraph {
  const keep = options.keep ?? new Set<string>();
  const maxChain = options.maxChain ?? 64;
  const { keys, deps, dependents } = indexGraph(graph);
  const order = toposortIndices(graph);
  const n = keys.length;

  // into[a] = b: a runs inline inside b (-1: a stays a task of its own).
  const into = new Int32Array(n).fill(-1);
  const chain = new Int32Array(n);
  let fusedAny = false;
  for (const i of order) {
    let len = 1;
    for (const d of deps[i]!) if (into[d] === i) len += chain[d]!;
    chain[i] = len;
    const users = dependents[i]!;
    if (users.length !== 1 || len >= maxChain || keep.has(keys[i]!)) continue;
    const user = users[0]!;
    // Only when the reader names it once: inlined twice, it would run twice.
    if (deps[user]!.length === 1 && countRefs(graph.get(keys[user]!)!, keys[i]!) === 1) {
      into[i] = user;
      fusedAny = true;
    }
  }
  if (!fusedAny) return graph;

  const fused = new Array<Task | undefined>(n);
  const out = new Map<string, Task>();
  for (const i of order) {
    const t = graph.get(keys[i]!)!;
    const inner = deps[i]!.filter((d) => into[d] === i);
    const f = inner.length === 0
      ? t
      : substitute(t, (ref): Arg | undefined => {
          const d = inner.find((x) => keys[x] === ref);
          return d === undefined ? undefined : { task: fused[d]!, key: ref };
        });
    fused[i] = f;
    if (into[i] < 0) out.set(keys[i]!, f);
  }
  return out;
}
