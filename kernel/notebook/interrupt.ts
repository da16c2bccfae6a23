/**
 * Interrupt -> cancel. Each cell gets its own AbortController; the
 * interrupt button (SIGINT, or interrupt_request with interrupt_mode
 * "message") aborts it. Every computation a cell starts without a signal of
 * its own takes the cell's (`setDefaultSignalProvider`), so the scheduler
 * stops within a second and frees its workers and chunks.
 *
 * The signal and a set of extra callbacks are also published under global
 * symbols, for libraries that cannot import the engine:
 *   globalThis[Symbol.for("tessera.signal")]     the running cell's AbortSignal
 *   globalThis[Symbol.for("tessera.interrupt")]  Set<(reason: Error) => void>
 */
import { setDefaultSignalProvider } from "../collections/signal";

export const SIGNAL = Symbol.for("tessera.signal");
export const INTERRUPT = Symbol.for("tessera.interrupt");

export class KernelInterruptError extends Error {
  constructor() {
    super("Kernel interrupted");
    this.name = "KernelInterrupt";
  }
}

export class Interrupts {
  readonly hooks = new Set<(reason: Error) => void>();
  private controller: AbortController | undefined;

  /**
   * Publishes the globals and makes the running cell's signal the default of every computation.
   * @example const interrupts = new Interrupts().install()
   */
  install(): this {
    Object.defineProperty(globalThis, SIGNAL, { configurable: true, get: () => this.controller?.signal });
    Object.defineProperty(globalThis, INTERRUPT, { configurable: true, value: this.hooks });
    setDefaultSignalProvider(() => this.controller?.signal);
    return this;
  }

  /** A fresh signal for the cell that starts now. */
  cellStarted(): AbortSignal {
    this.controller = new AbortController();
    return this.controller.signal;
  }

  /** Whether the running cell was interrupted. */
  get interrupted(): boolean {
    return this.controller?.signal.aborted ?? false;
  }

  cellEnded(): void {
    this.controller = undefined;
  }

  /** Aborts the running cell's signal and calls every hook; `warn` hears about hooks that throw. */
  interrupt(warn: (msg: string) => void): void {
    const reason = new KernelInterruptError();
    this.controller?.abort(reason);
    for (const hook of this.hooks) {
      try {
        hook(reason);
      } catch (e) {
        warn(`tessera: an interrupt hook threw: ${(e as Error)?.stack ?? e}`);
      }
    }
  }
}
