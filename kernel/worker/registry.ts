/**
 * Built-in kernels by name: the fast path for every collection operation.
 * Each collection's worker-side module (collections/<x>/chunk.ts) registers
 * its kernels here when it is loaded; `kernels.ts` loads them all, in the
 * main thread and in every worker, so a name means the same code everywhere.
 */
import { Errors } from "../errors";

// Kernels take whatever their graph builders pass; each one checks its own inputs.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type KernelFn = (...args: any[]) => unknown;

const kernels = new Map<string, KernelFn>();

/** Registers `fns` as `${namespace}.${name}`. Registering a name twice is a bug. */
export function defineKernels(namespace: string, fns: Record<string, KernelFn>): void {
  for (const [name, fn] of Object.entries(fns)) {
    const full = `${namespace}.${name}`;
    if (kernels.has(full) && kernels.get(full) !== fn) throw new Error(`kernel "${full}" is defined twice`);
    kernels.set(full, fn);
  }
}

export function getKernel(name: string): KernelFn {
  const fn = kernels.get(name);
  if (fn === undefined) throw Errors.unknownKernel(name);
  return fn;
}

export function hasKernel(name: string): boolean {
  return kernels.has(name);
}
