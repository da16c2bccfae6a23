/**
 * Column expressions, as data: what `ddf.col("x").gt(50)` builds. An
 * expression is a small JSON tree, so it travels inside a task as a literal
 * and is evaluated per partition by `evalExpr` (evaluate.ts) in one pass of
 * typed-array loops — a chain of operations is one task, not one per step.
 *
 * `exprType` types a tree against a schema when it is built, so a wrong
 * column name or an operation a type does not support fails at once, in the
 * notebook cell that wrote it, not later in a worker.
 */
import { Errors } from "../../../errors";
import { DType, Field, isNumeric } from "./dtypes";

export type BinaryFn = "add" | "sub" | "mul" | "div" | "mod" | "pow" | "floordiv" | "gt" | "ge" | "lt" | "le" | "eq" | "ne" | "and" | "or";
export type UnaryFn = "neg" | "not" | "abs" | "isna" | "notna" | "sqrt" | "log" | "exp" | "round" | "floor" | "ceil";
export type StrFn = "lower" | "upper" | "len" | "contains" | "startsWith" | "endsWith" | "strip";
export type DtFn = "year" | "month" | "day" | "hour" | "minute" | "second" | "dayofweek" | "dayofyear" | "date";
export type Literal = number | string | boolean | null;

export type Expr =
  | { readonly op: "col"; readonly name: string }
  | { readonly op: "lit"; readonly value: Literal }
  | { readonly op: "bin"; readonly fn: BinaryFn; readonly a: Expr; readonly b: Expr }
  | { readonly op: "un"; readonly fn: UnaryFn; readonly a: Expr }
  | { readonly op: "cast"; readonly to: DType; readonly a: Expr }
  | { readonly op: "fillna"; readonly a: Expr; readonly b: Expr }
  | { readonly op: "str"; readonly fn: StrFn; readonly a: Expr; readonly arg?: string }
  | { readonly op: "dt"; readonly fn: DtFn; readonly a: Expr }
  | { readonly op: "todatetime"; readonly a: Expr; readonly unit?: "ms" | "s" }
  | { readonly op: "isin"; readonly a: Expr; readonly values: readonly Literal[] };

export const COMPARISONS: ReadonlySet<BinaryFn> = new Set(["gt", "ge", "lt", "le", "eq", "ne"]);

/** Column names an expression reads. */
export function exprColumns(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.op) {
    case "col":
      out.add(e.name);
      break;
    case "lit":
      break;
    case "bin":
    case "fillna":
      exprColumns(e.a, out);
      exprColumns(e.b, out);
      break;
    default:
      exprColumns(e.a, out);
  }
  return out;
}

/** The plain name an expression would give a column: the column it reads first. */
export function exprName(e: Expr): string {
  if (e.op === "col") return e.name;
  if (e.op === "lit") return "literal";
  return exprName(e.a);
}

function litType(v: Literal): DType {
  if (typeof v === "number") return "float64";
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  return "float64";
}

function fail(what: string, fix: string): never {
  throw Errors.badInput(`${what} (${fix})`);
}

/** The type of `e` over columns `fields`; throws a clear error for an unknown column or a type mismatch. */
export function exprType(e: Expr, fields: readonly Field[]): DType {
  switch (e.op) {
    case "col": {
      const f = fields.find((x) => x.name === e.name);
      if (f === undefined) fail(`unknown column ${JSON.stringify(e.name)}`, `columns are: ${fields.map((x) => x.name).join(", ") || "none"}`);
      return f.dtype;
    }
    case "lit":
      return litType(e.value);
    case "bin": {
      const a = exprType(e.a, fields), b = exprType(e.b, fields);
      if (e.fn === "and" || e.fn === "or") {
        if (a !== "bool" || b !== "bool") fail(`${e.fn} needs two bool columns, got ${a} and ${b}`, "compare first, e.g. col(\"x\").gt(0).and(col(\"y\").lt(1))");
        return "bool";
      }
      if (COMPARISONS.has(e.fn)) {
        const ok = (isNumeric(a) && isNumeric(b)) || (a === "string" && b === "string") || a === b;
        if (!ok) fail(`cannot compare ${a} with ${b} (${e.fn})`, "cast one side with .astype(...)");
        return "bool";
      }
      if (!isNumeric(a) || !isNumeric(b)) fail(`${e.fn} needs numbers, got ${a} and ${b}`, "cast with .astype(\"float64\") first");
      if (a === "timestamp" && b === "timestamp" && e.fn === "sub") return "float64";
      if ((a === "timestamp") !== (b === "timestamp") && (e.fn === "add" || e.fn === "sub")) return "timestamp";
      return "float64";
    }
    case "un": {
      const a = exprType(e.a, fields);
      if (e.fn === "isna" || e.fn === "notna") return "bool";
      if (e.fn === "not") {
        if (a !== "bool") fail(`not needs a bool column, got ${a}`, "compare first, e.g. .gt(0).not()");
        return "bool";
      }
      if (!isNumeric(a)) fail(`${e.fn} needs numbers, got ${a}`, "cast with .astype(\"float64\") first");
      return "float64";
    }
    case "cast": {
      const a = exprType(e.a, fields);
      if (a === "object" && e.to !== "string" && e.to !== "object") fail(`cannot cast object to ${e.to}`, "cast to \"string\" or use mapPartitions");
      return e.to;
    }
    case "fillna": {
      const a = exprType(e.a, fields), b = exprType(e.b, fields);
      if (a !== b && !(isNumeric(a) && isNumeric(b))) fail(`fillna with a ${b} value on a ${a} column`, `pass a ${a} value`);
      return a;
    }
    case "str": {
      const a = exprType(e.a, fields);
      if (a !== "string") fail(`str.${e.fn} needs a string column, got ${a}`, "cast with .astype(\"string\") first");
      return e.fn === "len" ? "float64" : e.fn === "lower" || e.fn === "upper" || e.fn === "strip" ? "string" : "bool";
    }
    case "dt": {
      const a = exprType(e.a, fields);
      if (a !== "timestamp") fail(`dt.${e.fn} needs a timestamp column, got ${a}`, "convert with dd.toDatetime(col) first");
      return e.fn === "date" ? "timestamp" : "float64";
    }
    case "todatetime": {
      const a = exprType(e.a, fields);
      if (a !== "string" && !isNumeric(a)) fail(`toDatetime needs strings or numbers, got ${a}`, "pass a string or numeric column");
      return "timestamp";
    }
    case "isin":
      exprType(e.a, fields);
      return "bool";
  }
}
