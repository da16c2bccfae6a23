/**
 * Partitions <-> Apache Arrow. Numeric values, string offsets and bytes,
 * and dictionary codes are handed over as they are (no copy); what differs
 * is converted: bool values and validity (bytes here, bits in Arrow),
 * timestamps (float64 ms here, int64 ms in Arrow), object columns (JS
 * values here; in Arrow whatever vectorFromArray infers — a struct for
 * records — or JSON text, marked with field metadata "tessera:dtype").
 */
import * as arrow from "apache-arrow";
import { sharedArray } from "../../../store/shared";
import { Column, NumericArray } from "./column";
import { concatColumns } from "./colops";
import { DType } from "./dtypes";
import { emptyColumn, makePart, Part } from "./part";

function packBits(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array((bytes.length + 7) >> 3);
  for (let i = 0; i < bytes.length; i++) if (bytes[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

function unpackBits(bits: Uint8Array | undefined | null, offset: number, length: number): Uint8Array | undefined {
  if (!bits || bits.length === 0) return undefined;
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const j = i + offset;
    out[i] = (bits[j >> 3]! >> (j & 7)) & 1;
  }
  return out;
}

function nullsOf(valid: Uint8Array | undefined): number {
  if (!valid) return 0;
  let n = 0;
  for (let i = 0; i < valid.length; i++) if (!valid[i]) n++;
  return n;
}

function columnData(c: Column): { data: arrow.Data; meta?: string } {
  const length = c.length;
  const valid = c.valid;
  const nullBitmap = valid ? packBits(valid) : undefined;
  const nullCount = nullsOf(valid);
  switch (c.dtype) {
    case "float64":
      return { data: arrow.makeData({ type: new arrow.Float64(), length, nullCount, data: c.values as Float64Array, nullBitmap }) };
    case "int32":
      return { data: arrow.makeData({ type: new arrow.Int32(), length, nullCount, data: c.values as Int32Array, nullBitmap }) };
    case "int64":
      return { data: arrow.makeData({ type: new arrow.Int64(), length, nullCount, data: c.values as BigInt64Array, nullBitmap }) };
    case "bool":
      return { data: arrow.makeData({ type: new arrow.Bool(), length, nullCount, data: packBits(c.values as Uint8Array), nullBitmap }) };
    case "timestamp": {
      const v = c.values as Float64Array;
      const ms = new BigInt64Array(length);
      const ok = new Uint8Array(length);
      let nulls = 0;
      for (let i = 0; i < length; i++) {
        if (v[i] !== v[i]) nulls++;
        else {
          ms[i] = BigInt(Math.round(v[i]!));
          ok[i] = 1;
        }
      }
      return { data: arrow.makeData({ type: new arrow.TimestampMillisecond(), length, nullCount: nulls, data: ms, nullBitmap: nulls ? packBits(ok) : undefined }) };
    }
    case "string": {
      if (c.dict !== undefined) {
        const dict = arrow.makeData({ type: new arrow.Utf8(), length: c.dict.offsets.length - 1, nullCount: 0, valueOffsets: c.dict.offsets, data: c.dict.data });
        const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32());
        const codes = c.values as Int32Array;
        let bm = nullBitmap, nc = nullCount;
        if (codes.some((k) => k < 0)) {
          const ok = Uint8Array.from(codes, (k, i) => (k >= 0 && (!valid || valid[i]) ? 1 : 0));
          bm = packBits(ok);
          nc = nullsOf(ok);
        }
        return { data: arrow.makeData({ type, length, nullCount: nc, data: codes, nullBitmap: bm, dictionary: arrow.makeVector(dict) }) };
      }
      let offsets = c.offsets!;
      if (offsets[0] !== 0) offsets = offsets.map((o) => o - c.offsets![0]!);
      const data = c.data!.subarray(c.offsets![0]!, c.offsets![length]!);
      return { data: arrow.makeData({ type: new arrow.Utf8(), length, nullCount, valueOffsets: offsets, data, nullBitmap }) };
    }
    case "object": {
      const values = c.objects!.map((v, i) => (valid && !valid[i] ? null : v ?? null));
      try {
        return { data: arrow.vectorFromArray(values).data[0]!, meta: "object" };
      } catch {
        const json = arrow.vectorFromArray(values.map((v) => (v === null ? null : JSON.stringify(v))), new arrow.Utf8());
        return { data: json.data[0]!, meta: "object-json" };
      }
    }
  }
}

/** A partition as an Arrow table (one record batch). */
export function partToArrow(p: Part): arrow.Table {
  const datas = p.columns.map(columnData);
  const fields = p.names.map((n, i) => {
    const meta = datas[i]!.meta;
    return new arrow.Field(n, datas[i]!.data.type, true, meta ? new Map([["tessera:dtype", meta]]) : undefined);
  });
  const schema = new arrow.Schema(fields);
  const struct = arrow.makeData({ type: new arrow.Struct(fields), length: p.numRows, nullCount: 0, children: datas.map((d) => d.data) });
  return new arrow.Table(schema, [new arrow.RecordBatch(schema, struct)]);
}

/** Our dtype for an Arrow type. */
export function dtypeOfArrow(t: arrow.DataType, meta?: Map<string, string>): DType {
  if (meta?.get("tessera:dtype")?.startsWith("object")) return "object";
  if (arrow.DataType.isFloat(t)) return "float64";
  if (arrow.DataType.isInt(t)) return t.bitWidth === 64 || (!t.isSigned && t.bitWidth >= 32) ? "int64" : "int32";
  if (arrow.DataType.isBool(t)) return "bool";
  if (arrow.DataType.isUtf8(t) || arrow.DataType.isLargeUtf8(t)) return "string";
  if (arrow.DataType.isDictionary(t) && (arrow.DataType.isUtf8(t.dictionary) || arrow.DataType.isLargeUtf8(t.dictionary))) return "string";
  if (arrow.DataType.isTimestamp(t) || arrow.DataType.isDate(t)) return "timestamp";
  return "object";
}

const MS_PER: Record<number, number> = { [arrow.TimeUnit.SECOND]: 1000, [arrow.TimeUnit.MILLISECOND]: 1, [arrow.TimeUnit.MICROSECOND]: 1e-3, [arrow.TimeUnit.NANOSECOND]: 1e-6 };

function fromData(d: arrow.Data, dtype: DType, meta?: Map<string, string>): Column {
  const length = d.length;
  const valid = d.nullCount > 0 ? unpackBits(d.nullBitmap, d.offset, length) : undefined;
  const t = d.type;
  const withValid = (c: Column): Column => (valid ? { ...c, valid } : c);
  if (dtype === "object") {
    const vec = arrow.makeVector(d);
    const json = meta?.get("tessera:dtype") === "object-json";
    const objects = Array.from({ length }, (_, i) => {
      const v = vec.get(i);
      if (v === null || v === undefined) return null;
      if (json) return JSON.parse(v as string);
      return plain(v);
    });
    return withValid({ dtype, length, objects });
  }
  if (dtype === "string") {
    if (arrow.DataType.isDictionary(t)) {
      const dict = d.dictionary!.data[0]!;
      const codes = sharedArray(Int32Array, length);
      const src = d.values as ArrayLike<number>;
      for (let i = 0; i < length; i++) codes[i] = Number(src[i]);
      const dOff = dict.valueOffsets as Int32Array;
      return withValid({ dtype, length, values: codes, dict: { offsets: dOff.subarray(dict.offset, dict.offset + dict.length + 1), data: dict.values as Uint8Array } });
    }
    const off = d.valueOffsets as Int32Array | BigInt64Array;
    const offsets = sharedArray(Int32Array, length + 1);
    for (let i = 0; i <= length; i++) offsets[i] = Number(off[d.offset + i]);
    return withValid({ dtype, length, offsets, data: d.values as Uint8Array });
  }
  if (dtype === "bool") return withValid({ dtype, length, values: unpackBits(d.values as Uint8Array, d.offset, length) ?? new Uint8Array(length) });
  const src = (d.values as NumericArray).subarray(d.offset, d.offset + length) as NumericArray;
  if (dtype === "timestamp") {
    const k = arrow.DataType.isTimestamp(t) ? MS_PER[t.unit]! : arrow.DataType.isDate(t) && t.unit === arrow.DateUnit.DAY ? 86400000 : 1;
    const out = sharedArray(Float64Array, length);
    for (let i = 0; i < length; i++) out[i] = valid && !valid[i] ? NaN : Number(src[i]) * k;
    return { dtype, length, values: out };
  }
  if (dtype === "float64") {
    if (src instanceof Float64Array && !valid) return { dtype, length, values: src };
    const out = sharedArray(Float64Array, length);
    for (let i = 0; i < length; i++) out[i] = valid && !valid[i] ? NaN : Number(src[i]);
    return { dtype, length, values: out };
  }
  if (dtype === "int32") return withValid({ dtype, length, values: src instanceof Int32Array ? src : Int32Array.from(src as ArrayLike<number>) });
  return withValid({ dtype, length, values: src instanceof BigInt64Array ? src : BigInt64Array.from(src as ArrayLike<number | bigint>, (x) => BigInt(x)) });
}

/** Arrow row values (struct rows, lists, vectors) as plain JS. */
function plain(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v;
  if (v instanceof arrow.Vector) return Array.from(v, plain);
  if (ArrayBuffer.isView(v) || v instanceof Date) return v;
  const j = (v as { toJSON?: () => unknown }).toJSON;
  const o = typeof j === "function" ? j.call(v) : v;
  if (Array.isArray(o)) return o.map(plain);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o as object)) out[k] = plain(x);
  return out;
}

/** An Arrow table as one partition (columns copied only where the layouts differ). */
export function arrowToPart(t: arrow.Table): Part {
  const names = t.schema.fields.map((f) => f.name);
  const cols = t.schema.fields.map((f, i) => {
    const dtype = dtypeOfArrow(f.type, f.metadata);
    const chunks = (t.getChildAt(i)?.data ?? []).map((d) => fromData(d, dtype, f.metadata));
    return chunks.length === 0 ? emptyColumn(dtype) : concatColumns(chunks);
  });
  return makePart(names, cols, t.numRows);
}

