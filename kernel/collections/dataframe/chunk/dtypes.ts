/**
 * Tessera's column types: a small set, each with one in-memory layout.
 *
 *   bool       Uint8Array, one byte per value (0 / 1)
 *   int32      Int32Array
 *   int64      BigInt64Array
 *   float64    Float64Array; a missing value is NaN (as in pandas)
 *   string     UTF-8: Int32 offsets + bytes, or dictionary codes (Int32) into
 *              such a table (what readCsv makes: low-cardinality columns
 *              cost four bytes a row and group by integer code)
 *   timestamp  Float64Array of milliseconds since the epoch; missing is NaN
 *   object     any structured-cloneable JS values (what groupBy().apply
 *              returns per group: a fitted model, a record)
 *
 * Missing values of bool, int32, int64, string and object columns are
 * marked in a byte map (`valid`, 1 = present), absent when nothing is
 * missing. The big buffers are Arrow's own layouts, so a partition becomes
 * an Arrow RecordBatch without copying them (chunk/arrow.ts).
 */
export const DTYPES = ["bool", "int32", "int64", "float64", "string", "timestamp", "object"] as const;
export type DType = (typeof DTYPES)[number];

export function isDType(v: unknown): v is DType {
  return typeof v === "string" && (DTYPES as readonly string[]).includes(v);
}

/** Numeric for arithmetic and reductions (timestamps are numbers of ms). */
export function isNumeric(t: DType): boolean {
  return t === "int32" || t === "int64" || t === "float64" || t === "bool" || t === "timestamp";
}

/** Types whose missing values are NaN rather than a validity map. */
export function nanIsNull(t: DType): boolean {
  return t === "float64" || t === "timestamp";
}

/** Aliases users write (pandas / Arrow / Polars names) -> our dtype. */
const ALIASES: Record<string, DType> = {
  bool: "bool", boolean: "bool",
  int: "int32", int8: "int32", int16: "int32", int32: "int32", uint8: "int32", uint16: "int32",
  int64: "int64", uint32: "int64", uint64: "int64", bigint: "int64",
  float: "float64", float32: "float64", float64: "float64", double: "float64", number: "float64",
  str: "string", string: "string", utf8: "string", category: "string",
  timestamp: "timestamp", datetime: "timestamp", "datetime64[ns]": "timestamp", "datetime64[ms]": "timestamp", date: "timestamp",
  object: "object", O: "object",
};

/** The dtype a user's type name stands for, or undefined. */
export function dtypeOf(name: unknown): DType | undefined {
  return typeof name === "string" ? ALIASES[name] ?? ALIASES[name.toLowerCase()] : undefined;
}

export const DTYPE_NAMES = Object.keys(ALIASES);

/** A field of a schema: a column's name and type. */
export interface Field {
  readonly name: string;
  readonly dtype: DType;
}
