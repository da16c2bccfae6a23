/**
 * Tessera's public API, grouped. Everything a notebook or script imports
 * comes from here: `import { delayed, compute, LocalCluster } from "tessera"`.
 */

// Collections
export { Collection, isCollection } from "./collections/base";
export { Delayed, DelayedFunction, DelayedOptions, MaybeDelayed, delayed, delayedModule } from "./collections/delayed";
export { dd, DataFrame, Series, Scalar, GroupBy, TableResult, SeriesResult, PartView, CsvOptions } from "./collections/dataframe";

export { MIMEBUNDLE, MimeBundle } from "./collections/repr";

// Running computations
export { compute, persist, visualize, ComputeOptions, GraphView, VisualizeOptions } from "./collections/compute";
export { LocalCluster, LocalClusterOptions } from "./cluster";

// Errors
export { TesseraError, TaskError, ErrorCode } from "./errors";

// Engine (for tools, the dashboard and advanced users)
export { EventBus, EngineEvents, TaskState, TaskTransition, MemorySample, StoreStats, WorkerInfo } from "./events";
export { Key, Task, Callable, LayeredGraph, Layer, tokenize, keyStr } from "./graph";
export { Runtime, currentRuntime } from "./schedule";
export { parseBytes, formatBytes } from "./store/bytes";
export { sharedArray } from "./store/shared";
