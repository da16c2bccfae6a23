/**
 * Column verbs: col, select, drop, rename, assign, astype. Each checks the
 * names and types against the frame's schema when it is called, so a typo
 * fails in the cell that made it, with the columns there are.
 */
import { Errors } from "../../../errors";
import { dtypeOf, DTYPE_NAMES, Expr, exprColumns, exprType, Field, Literal } from "../chunk";
import { DataFrame } from "../frame";
import { partitionwise } from "../layers";
import { Series } from "../series";

export function checkColumns(df: DataFrame, names: readonly string[], what: string): void {
  for (const n of names) {
    if (typeof n !== "string" || !df.columns.includes(n)) {
      throw Errors.badInput(`${what}: unknown column ${JSON.stringify(n)} (columns are: ${df.columns.join(", ")})`);
    }
  }
}

export function col(df: DataFrame, name: string): Series {
  checkColumns(df, [name], "col");
  return new Series(df, { op: "col", name }, name, df.dtypes[name]!);
}

export function select(df: DataFrame, names: string[]): DataFrame {
  if (!Array.isArray(names)) throw Errors.badOption("select(names)", names, "an array of column names");
  checkColumns(df, names, "select");
  const fields = names.map((n) => df.fields.find((f) => f.name === n)!);
  const { name, graph } = partitionwise("select", [df], "dataframe.select", () => [names], { ...df.meta, fields }, [names], { fixed: names });
  return new DataFrame(name, graph, { ...df.meta, fields }, names.includes(df.index ?? "\0") ? df.index : undefined);
}

export function drop(df: DataFrame, names: string[]): DataFrame {
  checkColumns(df, names, "drop");
  return select(df, df.columns.filter((c) => !names.includes(c)));
}

export function rename(df: DataFrame, mapping: Record<string, string>): DataFrame {
  checkColumns(df, Object.keys(mapping), "rename");
  const fields = df.fields.map((f) => ({ name: mapping[f.name] ?? f.name, dtype: f.dtype }));
  if (new Set(fields.map((f) => f.name)).size !== fields.length) throw Errors.badInput(`rename: the new names repeat a column name (${fields.map((f) => f.name).join(", ")})`);
  const { name, graph } = partitionwise("rename", [df], "dataframe.rename", () => [mapping], { ...df.meta, fields }, [mapping]);
  return new DataFrame(name, graph, { ...df.meta, fields }, df.index === undefined ? undefined : (mapping[df.index] ?? df.index));
}

function exprOf(df: DataFrame, key: string, v: Series | Literal): Expr {
  if (v instanceof Series) {
    if (v.frame.name !== df.name) throw Errors.badInput(`assign: column ${JSON.stringify(key)} is a Series of another DataFrame (partitions are not aligned); build it from this frame's columns`);
    return v.expr;
  }
  if (v === null || ["number", "string", "boolean"].includes(typeof v)) return { op: "lit", value: v };
  throw Errors.badOption(`assign({ ${key} })`, v, "a Series of this frame or a number, string, boolean or null");
}

export function assign(df: DataFrame, values: Record<string, Series | Literal>): DataFrame {
  const exprs: [string, Expr][] = Object.entries(values).map(([k, v]) => [k, exprOf(df, k, v)]);
  const fields: Field[] = [...df.fields];
  for (const [k, e] of exprs) {
    const f = { name: k, dtype: exprType(e, df.fields) };
    const i = fields.findIndex((x) => x.name === k);
    if (i >= 0) fields[i] = f;
    else fields.push(f);
  }
  const used = new Set<string>();
  for (const [, e] of exprs) exprColumns(e, used);
  const { name, graph } = partitionwise("assign", [df], "dataframe.assign", () => [exprs], { ...df.meta, fields }, [exprs], { through: [...used], set: exprs.map(([k]) => k) }, true);
  return new DataFrame(name, graph, { ...df.meta, fields }, df.index);
}

export function astype(df: DataFrame, types: Record<string, string>): DataFrame {
  checkColumns(df, Object.keys(types), "astype");
  const resolved: Record<string, Field["dtype"]> = {};
  for (const [k, t] of Object.entries(types)) {
    const d = dtypeOf(t);
    if (d === undefined) throw Errors.badOption(`astype({ ${k} })`, t, `one of ${DTYPE_NAMES.join(", ")}`);
    exprType({ op: "cast", to: d, a: { op: "col", name: k } }, df.fields);
    resolved[k] = d;
  }
  const fields = df.fields.map((f) => ({ name: f.name, dtype: resolved[f.name] ?? f.dtype }));
  const { name, graph } = partitionwise("astype", [df], "dataframe.astype", () => [resolved], { ...df.meta, fields }, [resolved]);
  return new DataFrame(name, graph, { ...df.meta, fields }, df.index);
}
