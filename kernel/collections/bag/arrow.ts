/**
 * Bag -> Arrow: each partition becomes an Arrow record batch in a worker
 * (chunk-arrow.ts), the batches are put together into one Arrow Table.
 * The seam for Bag.toDataFrame: a DataFrame's partitions are Arrow batches
 * too, so the same kernel can make them once the DataFrame exists.
 */
import type * as Arrow from "apache-arrow";
import { Errors } from "../../errors";
import { keyStr } from "../../graph";
import { ComputeOptions, compute } from "../compute";
import { Delayed } from "../delayed";
import type { Bag } from "./bag";
import { bagTask, newBag, partKey } from "./build";
import { ARROW_TYPES, ArrowTypeName } from "./chunk-arrow";

export type ArrowMeta = Record<string, ArrowTypeName>;

function checkMeta(meta: unknown): asserts meta is ArrowMeta | undefined {
  if (meta === undefined) return;
  const ok = typeof meta === "object" && meta !== null && Object.values(meta).every((t) => (ARROW_TYPES as readonly unknown[]).includes(t));
  if (!ok) throw Errors.badOption("toArrow(meta)", meta, `an object of column types, each one of ${ARROW_TYPES.map((t) => `"${t}"`).join(", ")}`);
}

export async function toArrow<T>(bag: Bag<T>, meta?: ArrowMeta, options: ComputeOptions = {}): Promise<Arrow.Table> {
  checkMeta(meta);
  const ipc = newBag<Uint8Array>("to-arrow", [bag.name, meta], bag.npartitions, [bag], (i) => bagTask("toArrowIPC", [partKey(bag, i), i, meta]));
  const parts = ipc.keys().map((k) => new Delayed<Uint8Array>(keyStr(k), ipc.graph()));
  const bytes = (await compute(parts, options)) as Uint8Array[];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const arrow = require("apache-arrow") as typeof Arrow;
  const tables = bytes.map((b) => arrow.tableFromIPC(b));
  const schema = tables.find((t) => t.numRows > 0)?.schema ?? tables[0]!.schema;
  const text = (s: Arrow.Schema) => s.fields.map((f) => `${f.name}: ${f.type}`).join(", ");
  const batches: Arrow.RecordBatch[] = [];
  tables.forEach((t, i) => {
    if (t.numRows === 0) return;
    if (text(t.schema) !== text(schema)) {
      throw Errors.badInput(`toArrow: partition ${i} has columns (${text(t.schema)}), another has (${text(schema)}); pass meta to fix the columns and their types, e.g. toArrow({ name: "utf8", age: "float64" })`);
    }
    batches.push(...t.batches);
  });
  return batches.length === 0 ? new arrow.Table(schema) : new arrow.Table(batches);
}
