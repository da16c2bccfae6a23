/**
 * What a CSV read task is told: the file's byte range (a block) and how to
 * parse its lines (a plan). Both are plain data, so they travel inside the
 * task; the plan is the same for every block of a read.
 */
export type FieldKind = "skip" | "float64" | "int32" | "int64" | "bool" | "string" | "timestamp";
export type OnBadLines = "error" | "skip" | "warn";

export interface ParsePlan {
  /** Separator byte. */
  readonly sep: number;
  /** Whether the first line of each file is a header. */
  readonly header: boolean;
  /** Names of the file's fields, in file order. */
  readonly names: readonly string[];
  /** How to parse each field of the file ("skip": not read). */
  readonly kinds: readonly FieldKind[];
  /** File field indices of the output columns, in output order. */
  readonly output: readonly number[];
  /** Text that means "missing" (the empty field always does). */
  readonly na: readonly string[];
  readonly onBadLines: OnBadLines;
  /** Average bytes per line in the sample: sizes the first allocation. */
  readonly lineBytes: number;
}

export interface Block {
  readonly file: string;
  /** Byte range: the block holds the lines that start in [start, end). */
  readonly start: number;
  readonly end: number;
  /** gzip files are read whole, as one block. */
  readonly gzip: boolean;
}
