/**
 * The shuffle: moving every row to the partition its key (hash) or value
 * (range) says, for groupBy().apply / transform, hash joins and setIndex.
 *
 * Design. A shuffle of M partitions into N is not N x M tasks: each input
 * partition is cut once by a `split` task whose one result holds all its
 * pieces, and each output is a `concat` task that reads the splits it needs
 * and takes its piece from each. Results move through the chunk store like
 * any other (shared memory between threads; spilled to disk under memory
 * pressure and read back when a concat needs them), and a split is
 * released as soon as its last concat has read it.
 *
 * Fan-in is bounded: when M or N exceeds SINGLE_STAGE, the shuffle runs in
 * two stages with k = ceil(sqrt(max(M, N))). Stage one splits each input
 * by the high digit of the destination (o / k) and gathers groups of k
 * inputs per digit; stage two splits those by the low digit (o % k) and
 * gathers, for each destination, the pieces of every group. No task reads
 * more than about k results, and the graph has O((M + N) * k) edges
 * instead of M * N.
 */
import { builtin, LayeredGraph, ref, task, tokenize } from "../../graph";
import { Field, Partitioner } from "./chunk";
import { Divisions, Input, layerMeta, taskLayer } from "./layers";

export const SINGLE_STAGE = 32;

export interface ShuffleResult {
  name: string;
  graph: LayeredGraph;
  npartitions: number;
}

export function shuffle(input: Input, by: Partitioner, nout: number, fields: readonly Field[], divisions: Divisions | null = null): ShuffleResult {
  const M = input.npartitions;
  const tok = tokenize("shuffle", input.name, by, nout);
  const meta = layerMeta({ npartitions: nout, divisions, fields });
  if (M <= SINGLE_STAGE && nout <= SINGLE_STAGE) {
    const splitName = `shuffle-split-${tok}`;
    const split = taskLayer(splitName, "shuffle-split", M, (i) => task(builtin("dataframe.split"), [ref([input.name, i]), by, nout, 1, nout]), [input.name], { collection: "dataframe-shuffle" });
    const name = `shuffle-${tok}`;
    const refs = Array.from({ length: M }, (_, i) => ref([splitName, i]));
    const out = taskLayer(name, "shuffle", nout, (o) => task(builtin("dataframe.concatPieces"), [refs, o]), [splitName], meta);
    return { name, graph: LayeredGraph.from(out, LayeredGraph.from(split, input.graph())), npartitions: nout };
  }
  const k = Math.ceil(Math.sqrt(Math.max(M, nout)));
  const high = Math.ceil(nout / k); // values of the high digit
  const groups = Math.ceil(M / k);
  const s1 = `shuffle-split1-${tok}`;
  const split1 = taskLayer(s1, "shuffle-split", M, (i) => task(builtin("dataframe.split"), [ref([input.name, i]), by, nout, k, high]), [input.name], { collection: "dataframe-shuffle" });
  // Stage two: task (d1, g) gathers digit d1 from the inputs of group g, then splits by the low digit.
  const s2 = `shuffle-split2-${tok}`;
  const split2 = taskLayer(s2, "shuffle-regroup", high * groups, (j) => {
    const d1 = Math.floor(j / groups), g = j % groups;
    const refs = [];
    for (let i = g * k; i < Math.min(M, (g + 1) * k); i++) refs.push(ref([s1, i]));
    return task(builtin("dataframe.regroup"), [refs, d1, by, nout, 1, k]);
  }, [s1], { collection: "dataframe-shuffle" });
  const name = `shuffle-${tok}`;
  const out = taskLayer(name, "shuffle", nout, (o) => {
    const d1 = Math.floor(o / k), d0 = o % k;
    const refs = Array.from({ length: groups }, (_, g) => ref([s2, d1 * groups + g]));
    return task(builtin("dataframe.concatPieces"), [refs, d0]);
  }, [s2], meta);
  return { name, graph: LayeredGraph.from(out, LayeredGraph.from(split2, LayeredGraph.from(split1, input.graph()))), npartitions: nout };
}
