/**
 * Which runtime a computation uses: the most recently started cluster, or a
 * default one made on first use (threads = cores, memory limit = the
 * machine's). The default holds no thread until a computation needs one, and
 * its idle threads do not keep a script's process alive.
 */
import { Runtime } from "./runtime";

let current: Runtime | undefined;

export function currentRuntime(): Runtime {
  if (current === undefined || current.isClosed) current = new Runtime();
  return current;
}

export function setCurrentRuntime(rt: Runtime | undefined): void {
  current = rt;
}

/** The current runtime if one exists, without making one. */
export function peekRuntime(): Runtime | undefined {
  return current !== undefined && !current.isClosed ? current : undefined;
}
