/**
 * A partition: a table of named columns, as plain data (see column.ts).
 * What every dataframe task returns and reads; the store sizes it exactly
 * (registered below) and spills it like any value of typed arrays.
 *
 * Invariants: `names` are unique and `columns[i]` holds the column named
 * `names[i]`; every column has `numRows` rows. Partitions are immutable:
 * kernels return new ones, sharing unchanged columns.
 */
import { registerSizeof } from "../../../store/sizeof";
import { Column, columnBytes } from "./column";
import { concatColumns, slice as sliceColumn, take as takeColumn } from "./colops";
import { DType, Field } from "./dtypes";

export const PART_TAG = "tessera.dataframe.part";

export interface Part {
  readonly kind: typeof PART_TAG;
  readonly numRows: number;
  readonly names: readonly string[];
  readonly columns: readonly Column[];
}

export function isPart(v: unknown): v is Part {
  return v !== null && typeof v === "object" && (v as Part).kind === PART_TAG;
}

export function makePart(names: readonly string[], columns: readonly Column[], numRows = columns[0]?.length ?? 0): Part {
  return { kind: PART_TAG, numRows, names: [...names], columns: [...columns] };
}

/** An empty partition with the given fields. */
export function emptyPart(fields: readonly Field[]): Part {
  return makePart(fields.map((f) => f.name), fields.map((f) => emptyColumn(f.dtype)), 0);
}

export function emptyColumn(dtype: DType): Column {
  switch (dtype) {
    case "object":
      return { dtype, length: 0, objects: [] };
    case "string":
      return { dtype, length: 0, offsets: new Int32Array(1), data: new Uint8Array(0) };
    case "int32":
      return { dtype, length: 0, values: new Int32Array(0) };
    case "int64":
      return { dtype, length: 0, values: new BigInt64Array(0) };
    case "bool":
      return { dtype, length: 0, values: new Uint8Array(0) };
    default:
      return { dtype, length: 0, values: new Float64Array(0) };
  }
}

export function fieldsOf(p: Part): Field[] {
  return p.names.map((name, i) => ({ name, dtype: p.columns[i]!.dtype }));
}

/** The column named `name`; the error lists the columns there are. */
export function column(p: Part, name: string): Column {
  const i = p.names.indexOf(name);
  if (i < 0) throw new Error(`column ${JSON.stringify(name)} is not in this partition (columns: ${p.names.join(", ")})`);
  return p.columns[i]!;
}

export function hasColumn(p: Part, name: string): boolean {
  return p.names.includes(name);
}

/** Only the named columns, in that order (names not present are skipped). */
export function selectColumns(p: Part, names: readonly string[]): Part {
  const ns: string[] = [];
  const cs: Column[] = [];
  for (const n of names) {
    const i = p.names.indexOf(n);
    if (i >= 0) {
      ns.push(n);
      cs.push(p.columns[i]!);
    }
  }
  return makePart(ns, cs, p.numRows);
}

/** The partition with a column set (replaced in place, or added at the end). */
export function withColumn(p: Part, name: string, c: Column): Part {
  const i = p.names.indexOf(name);
  const names = [...p.names];
  const cols = [...p.columns];
  if (i >= 0) cols[i] = c;
  else {
    names.push(name);
    cols.push(c);
  }
  return makePart(names, cols, p.numRows);
}

export function takeRows(p: Part, idx: Int32Array): Part {
  return makePart(p.names, p.columns.map((c) => takeColumn(c, idx)), idx.length);
}

export function sliceRows(p: Part, start: number, end: number): Part {
  const s = Math.max(0, Math.min(start, p.numRows));
  const e = Math.max(s, Math.min(end, p.numRows));
  if (s === 0 && e === p.numRows) return p;
  return makePart(p.names, p.columns.map((c) => sliceColumn(c, s, e)), e - s);
}

/**
 * The partitions' rows one after the other. Columns are matched by name;
 * the first partition's order wins. A partition lacking a column, or with
 * another type for it, is a bug upstream and throws.
 */
export function concatParts(parts: readonly Part[], fields?: readonly Field[]): Part {
  const nonEmpty = parts.filter((p) => p.numRows > 0);
  if (nonEmpty.length === 0) return parts[0] ?? emptyPart(fields ?? []);
  if (nonEmpty.length === 1) return nonEmpty[0]!;
  const first = nonEmpty[0]!;
  const cols = first.names.map((name, i) => {
    const dtype = first.columns[i]!.dtype;
    return concatColumns(
      nonEmpty.map((p) => {
        const c = column(p, name);
        if (c.dtype !== dtype) throw new Error(`cannot concatenate partitions: column ${JSON.stringify(name)} is ${dtype} in one and ${c.dtype} in another`);
        return c;
      }),
    );
  });
  return makePart(first.names, cols, nonEmpty.reduce((n, p) => n + p.numRows, 0));
}

export function partBytes(p: Part): number {
  let n = 0;
  for (const c of p.columns) n += columnBytes(c);
  return n;
}

registerSizeof((v) => (isPart(v) ? partBytes(v) + 64 : undefined));

/** The partition with every typed array on shared memory (so threads read it without a copy). */
export function toSharedPart(p: Part): Part {
  const share = <T extends ArrayBufferView | undefined>(a: T): T => {
    if (a === undefined || a.buffer instanceof SharedArrayBuffer) return a;
    const copy = new Uint8Array(new SharedArrayBuffer(a.byteLength));
    copy.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    return new (a.constructor as new (b: ArrayBufferLike, o: number, n: number) => T)(copy.buffer, 0, a.byteLength / ((a as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT ?? 1));
  };
  return makePart(p.names, p.columns.map((c) => {
    const out: Record<string, unknown> = { ...c };
    for (const k of ["values", "offsets", "data", "valid"] as const) if (c[k] !== undefined) out[k] = share(c[k]);
    if (c.dict) out.dict = { offsets: share(c.dict.offsets), data: share(c.dict.data) };
    return out as unknown as Column;
  }), p.numRows);
}
