/**
 * Item-wise verbs: one task per partition, each fused by the optimizer with
 * the partition's other item-wise work (readText -> map -> filter -> pluck
 * is one task per block of the file).
 */
import { Errors } from "../../errors";
import { fnArg } from "../../graph";
import type { Bag } from "./bag";
import { UserFn, bagTask, extraArgs, newBag, partKey, userCallable } from "./build";

export function map<T, U>(bag: Bag<T>, op: "map" | "starmap", fn: UserFn, args: readonly unknown[]): Bag<U> {
  const c = userCallable(fn, `${op}(fn)`);
  const extra = extraArgs(op, bag as Bag<unknown>, args);
  const f = fnArg(c);
  return newBag<U>(op, [bag.name, c, extra.token], bag.npartitions, [bag, ...extra.inputs], (i) =>
    bagTask(op, [f, partKey(bag, i), i, extra.at(i)]),
  );
}

export function filter<T>(bag: Bag<T>, fn: UserFn, keep: boolean): Bag<T> {
  const op = keep ? "filter" : "remove";
  const c = userCallable(fn, `${op}(predicate)`);
  const f = fnArg(c);
  return newBag<T>(op, [bag.name, c], bag.npartitions, [bag], (i) => bagTask("filter", [f, partKey(bag, i), i, keep]));
}

export type PluckKey = string | number | readonly (string | number)[];

export function pluck<T, U>(bag: Bag<T>, key: PluckKey, rest: readonly unknown[]): Bag<U> {
  const ok = (k: unknown) => typeof k === "string" || typeof k === "number";
  if (!(ok(key) || (Array.isArray(key) && key.length > 0 && key.every(ok)))) {
    throw Errors.badOption("pluck(key)", key, 'a property name or index, or an array of them for several at once (e.g. pluck("name") or pluck(["name", "age"]))');
  }
  const hasDefault = rest.length > 0;
  const dflt = rest[0];
  return newBag<U>("pluck", [bag.name, key, hasDefault, dflt], bag.npartitions, [bag], (i) => bagTask("pluck", [partKey(bag, i), i, key, hasDefault, dflt]));
}

export function flatten<T, U>(bag: Bag<T>): Bag<U> {
  return newBag<U>("flatten", [bag.name], bag.npartitions, [bag], (i) => bagTask("flatten", [partKey(bag, i), i]));
}

export function mapPartitions<T, U>(bag: Bag<T>, fn: UserFn, args: readonly unknown[]): Bag<U> {
  const c = userCallable(fn, "mapPartitions(fn)");
  const extra = extraArgs("mapPartitions", bag as Bag<unknown>, args);
  const f = fnArg(c);
  return newBag<U>("map-partitions", [bag.name, c, extra.token], bag.npartitions, [bag, ...extra.inputs], (i) =>
    bagTask("mapPartitions", [f, partKey(bag, i), i, extra.at(i)]),
  );
}
