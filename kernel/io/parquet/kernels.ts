/**
 * Parquet, one row group per partition: reading with hyparquet (column
 * projection: only the asked columns are decoded), writing one file per
 * partition with hyparquet-writer (snappy). Both libraries are pure JS.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Errors } from "../../errors";
import { Field, Part, columnFromValues, makePart, toJsArray } from "../../collections/dataframe/chunk";

/** hyparquet's file interface over a local file: its size and byte ranges read on demand. */
async function asyncBufferFromFile(file: string): Promise<{ byteLength: number; slice(start: number, end?: number): Promise<ArrayBuffer> }> {
  const fh = await fs.promises.open(file, "r");
  const { size } = await fh.stat();
  await fh.close();
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const h = await fs.promises.open(file, "r");
      try {
        const buf = new Uint8Array(end - start);
        let at = 0;
        while (at < buf.length) {
          const { bytesRead } = await h.read(buf, at, buf.length - at, start + at);
          if (bytesRead === 0) break;
          at += bytesRead;
        }
        return buf.buffer;
      } finally {
        await h.close();
      }
    },
  };
}

export interface RowGroupSpec {
  readonly file: string;
  readonly rowStart: number;
  readonly rowEnd: number;
}

export async function readParquetRowGroup(spec: RowGroupSpec, fields: Field[]): Promise<Part> {
  let file;
  try {
    file = await asyncBufferFromFile(spec.file);
  } catch (e) {
    throw Errors.badInput(`readParquet: cannot open ${spec.file}: ${(e as Error).message} (check the path)`);
  }
  const chunks = new Map<string, { at: number; data: ArrayLike<unknown> }[]>();
  // Loaded on first use: most workers never read Parquet, and start faster without it.
  const { parquetRead } = require("hyparquet") as typeof import("hyparquet");
  await parquetRead({
    file,
    columns: fields.map((f) => f.name),
    rowStart: spec.rowStart,
    rowEnd: spec.rowEnd,
    onChunk: ({ columnName, columnData, rowStart }) => {
      let list = chunks.get(columnName);
      if (list === undefined) chunks.set(columnName, (list = []));
      list.push({ at: rowStart, data: columnData as ArrayLike<unknown> });
    },
  });
  const n = spec.rowEnd - spec.rowStart;
  const cols = fields.map((f) => {
    const values = new Array<unknown>(n).fill(null);
    for (const { at, data } of chunks.get(f.name) ?? []) {
      for (let i = 0; i < data.length; i++) {
        const r = at + i - spec.rowStart;
        if (r >= 0 && r < n) values[r] = data[i];
      }
    }
    return columnFromValues(values, f.dtype, `${spec.file}: column ${JSON.stringify(f.name)} row`);
  });
  return makePart(fields.map((f) => f.name), cols, n);
}

const PARQUET_TYPE = { bool: "BOOLEAN", int32: "INT32", int64: "INT64", float64: "DOUBLE", string: "STRING", timestamp: "TIMESTAMP", object: "JSON" } as const;

export function writeParquetPart(p: Part, file: string): string {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const columnData = p.names.map((name, i) => {
    const c = p.columns[i]!;
    const data = toJsArray(c).map((v) => (typeof v === "number" && Number.isNaN(v) ? null : c.dtype === "int64" && typeof v === "bigint" ? v : v));
    return { name, data, type: PARQUET_TYPE[c.dtype], nullable: true };
  });
  const { parquetWriteBuffer } = require("hyparquet-writer") as typeof import("hyparquet-writer");
  const bytes = parquetWriteBuffer({ columnData: columnData as never });
  fs.writeFileSync(file, new Uint8Array(bytes));
  return file;
}
