/**
 * Which runtime a computation uses: the most recently started cluster, or a
 * default one made on first use (threads = cores, memory limit = the
 * machine's). The default holds no thread until a computation needs one, and
 * its idle threads do not keep a script's process alive.
 *
 * Observers (the notebook kernel's progress bars, the dashboard) follow the
 * current runtime with `onRuntimeChange`: a cell may start a LocalCluster
 * halfway through, and the next computation then runs on that cluster's
 * event bus, not on the one they first subscribed to.
 */
import { Runtime } from "./runtime";

let current: Runtime | undefined;
const observers = new Set<(rt: Runtime | undefined) => void>();

export function currentRuntime(): Runtime {
  if (current === undefined || current.isClosed) change(new Runtime());
  return current!;
}

export function setCurrentRuntime(rt: Runtime | undefined): void {
  change(rt);
}

/** The current runtime if one exists, without making one. */
export function peekRuntime(): Runtime | undefined {
  return current !== undefined && !current.isClosed ? current : undefined;
}

/**
 * Calls `fn` whenever the current runtime changes (a cluster starts or
 * closes, a default runtime is made); returns the function that unsubscribes.
 * @example const off = onRuntimeChange((rt) => rt?.events.on("run-start", show))
 */
export function onRuntimeChange(fn: (rt: Runtime | undefined) => void): () => void {
  observers.add(fn);
  return () => {
    observers.delete(fn);
  };
}

function change(rt: Runtime | undefined): void {
  if (rt === current) return;
  current = rt;
  for (const fn of observers) {
    try {
      fn(rt);
    } catch (e) {
      // An observer must never break starting a cluster.
      process.emitWarning(`tessera: a runtime observer threw: ${(e as Error)?.message ?? e}`);
    }
  }
}
