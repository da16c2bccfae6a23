/**
 * Loads every module that defines built-in kernels, so that kernel names
 * resolve in this thread. Imported by the worker entry and by the main
 * thread (sync scheduler, graph builders that check names).
 * Add one line here for each collection's chunk.ts.
 */
import { Errors } from "../errors";
import { defineKernels } from "./registry";
import "../collections/delayed/chunk";
import "../collections/array/chunk";
import "../collections/bag/chunk";
import "../collections/dataframe/chunk";
import "../io/kernels";

defineKernels("tessera", {
  /**
   * Stands for a result already in the store (persisted). The scheduler never
   * runs it while the chunk exists; running it means the chunk is gone.
   */
  stored(key: string): never {
    throw Errors.store(`persisted chunk ${key} is no longer in the store (its cluster was closed or it was unpersisted); persist the collection again`);
  },
});
