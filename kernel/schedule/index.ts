/**
 * One scheduling loop (loop.ts) and the executors it drives.
 */
export { Executor, Batch, BatchOutcome, BatchFailure } from "./executor";
export { runLoop, LoopInput, LoopStats } from "./loop";
export { SyncExecutor } from "./sync";
export { ThreadsExecutor, defaultThreads } from "./threads";
export { Runtime, RuntimeOptions, RunOptions, RunResult, SCHEDULERS, SchedulerName } from "./runtime";
export { currentRuntime, setCurrentRuntime, peekRuntime, onRuntimeChange } from "./context";
