/**
 * The task-graph spec: keys, tasks, graphs and layers. A leaf: it imports
 * nothing of Tessera but the error factories, and knows no collection.
 */
export { Key, KeyTuple, isKey, keyStr, parseKey, keyName, keyIndices, keyLabel } from "./key";
export { Callable, Arg, Task, Ref, Inline, FnArg, fnArg, ref, task, toArg, builtin, taskDeps, substitute, callableName } from "./task";
export { TaskGraph, GraphIndex, indexGraph, dependencies, dependents, toposort, toposortIndices, findCycle, cull } from "./graph";
export { tokenize, objectId, TOKENIZE } from "./tokenize";
export { Layer, LayerMeta, MaterializedLayer, LazyLayer, LayeredGraph } from "./layers";
