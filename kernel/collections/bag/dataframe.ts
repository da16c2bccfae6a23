/**
 * Bag -> DataFrame: each partition (an array of records) becomes one
 * DataFrame partition, converted in the workers by the DataFrame's own
 * `fromValue` kernel (through `dd.fromDelayed`), so nothing is gathered in
 * the main thread. Without `meta` the columns are inferred, as Dask does,
 * from the records of the first partition that has any.
 */
import { Errors } from "../../errors";
import type { DataFrame } from "../dataframe";
import { dd } from "../dataframe";
import type { Bag } from "./bag";

export type DataFrameMeta = Record<string, string>;

export async function toDataFrame<T>(bag: Bag<T>, meta?: DataFrameMeta): Promise<DataFrame> {
  const parts = bag.toDelayed();
  const columns = meta ?? (await inferMeta(bag));
  return dd.fromDelayed(parts, { meta: columns });
}

const SAMPLE = 100;

async function inferMeta<T>(bag: Bag<T>): Promise<DataFrameMeta> {
  const sample = (await bag.take(SAMPLE)) as unknown[];
  const records = sample.filter((r): r is Record<string, unknown> => r !== null && typeof r === "object" && !Array.isArray(r));
  if (records.length === 0) {
    throw Errors.badInput(
      `toDataFrame: the bag's first items are not records (objects): ${JSON.stringify(sample.slice(0, 3))}; ` +
        'map them to objects first, e.g. bag.map((x) => ({ value: x })), or pass meta: { value: "float64" }',
    );
  }
  if (records.length < sample.length) {
    throw Errors.badInput("toDataFrame: some items are not records (objects); map every item to an object first, or filter the others out");
  }
  return dd.fromRecords(records).dtypes as DataFrameMeta;
}
