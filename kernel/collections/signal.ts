/**
 * Where a computation's AbortSignal comes from when the caller passes none.
 * The notebook kernel installs a provider that returns the running cell's
 * signal, so the interrupt button cancels whatever the cell computes.
 */
let provider: (() => AbortSignal | undefined) | undefined;

export function setDefaultSignalProvider(p: (() => AbortSignal | undefined) | undefined): void {
  provider = p;
}

export function defaultSignal(): AbortSignal | undefined {
  return provider?.();
}
