/**
 * Tessera's public API, grouped. Everything a notebook or script imports
 * comes from here: `import { delayed, compute, LocalCluster } from "tessera"`.
 */

// Collections
export { Collection, isCollection } from "./collections/base";
export { Delayed, DelayedFunction, DelayedOptions, MaybeDelayed, delayed, delayedModule } from "./collections/delayed";
export { da, TArray, ArrayResult, NDArray, ChunkData, Element, DType, DTYPES, Complex, Scalar, ChunkSpec, Chunks, IndexItem, MapBlocksOptions, BlockInfo, ToZarrOptions, FromZarrOptions } from "./collections/array";
export { ArrowMeta, Bag, KeyFn, PartitionOptions, PluckKey, ReductionOptions, SampleOptions, TakeOptions, ToTextFilesOptions, UserFn, withCaptures } from "./collections/bag";
export { db } from "./db";
export { ReadTextOptions } from "./io/text";
export { dd, DataFrame, Series, Scalar as LazyScalar, GroupBy, TableResult, SeriesResult, PartView, CsvOptions } from "./collections/dataframe";

export { MIMEBUNDLE, MimeBundle } from "./collections/repr";

// Running computations
export { compute, persist, visualize, ComputeOptions, GraphView, VisualizeOptions } from "./collections/compute";
export { LocalCluster, LocalClusterOptions } from "./cluster";

// Notebooks and memory inspection
export { display } from "./diagnostics/display";
export { nbytes, processMemory, MemoryReport } from "./diagnostics/memory";
export { arrowTableBundle, isArrowTable } from "./diagnostics/arrow-table";
// Dashboard and diagnostics
export { DashboardServer, DashboardOptions, registerCollection, listDashboards, runtimeDir, DashboardEntry } from "./diagnostics";
export * as protocol from "./protocol";

// Errors
export { TesseraError, TaskError, ErrorCode } from "./errors";

// Engine (for tools, the dashboard and advanced users)
export { EventBus, EngineEvents, TaskState, TaskTransition, MemorySample, StoreStats, WorkerInfo } from "./events";
export { Key, Task, Callable, LayeredGraph, Layer, tokenize, keyStr } from "./graph";
export { Runtime, currentRuntime } from "./schedule";
export { parseBytes, formatBytes } from "./store/bytes";
export { sharedArray } from "./store/shared";
