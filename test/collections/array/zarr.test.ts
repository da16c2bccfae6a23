/**
 * Zarr v3 storage: round trips of every dtype Zarr and Tessera share (complex
 * included), with
 * uneven last chunks, checked against the data written; the bytes on disk
 * checked against the Zarr v3 format itself (zarr.json fields, raw
 * little-endian chunk files, edge chunks padded with the fill value); and
 * the errors a user meets.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DType, NDArray, da } from "../../../kernel";
import { SCHEDULERS, withCluster } from "./helpers";

withCluster();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-zarr-test-"));
process.on("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
let n = 0;
const fresh = (name: string) => path.join(dir, `${name}-${n++}.zarr`);

/** 7×5 values of each dtype, covering its edges (negative, large, fractional). */
function sample(dtype: DType): ArrayLike<unknown> {
  const idx = Array.from({ length: 35 }, (_, i) => i);
  switch (dtype) {
    case "bool": return Uint8Array.from(idx, (i) => (i % 3 === 0 ? 1 : 0));
    case "int8": return Int8Array.from(idx, (i) => (i * 37) % 256 - 128);
    case "uint8": return Uint8Array.from(idx, (i) => (i * 53) % 256);
    case "int16": return Int16Array.from(idx, (i) => i * 1999 - 32768);
    case "uint16": return Uint16Array.from(idx, (i) => i * 1871);
    case "int32": return Int32Array.from(idx, (i) => (i - 17) * 61_000_000);
    case "uint32": return Uint32Array.from(idx, (i) => i * 122_000_000);
    case "int64": return BigInt64Array.from(idx, (i) => (BigInt(i) - 17n) * 263_000_000_000_000_000n);
    case "uint64": return BigUint64Array.from(idx, (i) => BigInt(i) * 527_000_000_000_000_000n);
    case "float32": return Float32Array.from(idx, (i) => Math.fround(Math.sin(i) * 1e5));
    // Complex: (re, im) pairs.
    case "complex64": return Float32Array.from({ length: 70 }, (_, i) => Math.fround(Math.cos(i) * (i % 2 ? -1 : 1e3)));
    case "complex128": return Float64Array.from({ length: 70 }, (_, i) => (i === 9 ? NaN : Math.sin(i) * 10 ** (i % 7)));
    default: return Float64Array.from(idx, (i) => (i === 3 ? NaN : i === 4 ? -Infinity : Math.tan(i) * 1e-7));
  }
}

const DTYPES: DType[] = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float32", "float64", "complex64", "complex128"];

function assertSameData(got: NDArray, want: ArrayLike<unknown>, dtype: DType, msg: string): void {
  assert.equal(got.dtype, dtype, `${msg}: dtype`);
  assert.equal(got.data.length, want.length, `${msg}: length`);
  for (let i = 0; i < want.length; i++) {
    const a = got.data[i], b = want[i];
    assert.ok(Object.is(a, b) || a === b, `${msg}: element ${i}: ${String(a)} != ${String(b)}`);
  }
}

for (const scheduler of SCHEDULERS) {
  test(`${scheduler}: every dtype round-trips through Zarr, uneven last chunks, read back in other chunks too`, async () => {
    for (const dtype of DTYPES) {
      const data = sample(dtype);
      const x = da.fromArray(data, { shape: [7, 5], chunks: [3, 2], dtype });
      const p = fresh(dtype);
      await x.toZarr(p, { scheduler });
      const y = await da.fromZarr(p);
      assert.deepEqual(y.shape, [7, 5]);
      assert.deepEqual(y.chunks, [[3, 3, 1], [2, 2, 1]], `${dtype}: the chunks on disk are the array's`);
      assertSameData((await y.compute({ scheduler })) as NDArray, data, dtype, dtype);
      const z = await da.fromZarr(p, { chunks: [[2, 5], [4, 1]] });
      assertSameData((await z.compute({ scheduler })) as NDArray, data, dtype, `${dtype} read in chunks that cross the stored ones`);
    }
  });
}

test("the files are Zarr v3: zarr.json as the spec says, raw little-endian chunks, edge chunks padded with the fill value", async () => {
  const data = Float64Array.from({ length: 35 }, (_, i) => i + 0.5);
  const p = fresh("format");
  await da.fromArray(data, { shape: [7, 5], chunks: [3, 2] }).toZarr(p, { attributes: { units: "m" } });
  const meta = JSON.parse(fs.readFileSync(path.join(p, "zarr.json"), "utf8"));
  assert.equal(meta.zarr_format, 3);
  assert.equal(meta.node_type, "array");
  assert.equal(meta.data_type, "float64");
  assert.deepEqual(meta.shape, [7, 5]);
  assert.deepEqual(meta.chunk_grid, { name: "regular", configuration: { chunk_shape: [3, 2] } });
  assert.deepEqual(meta.codecs, [{ name: "bytes", configuration: { endian: "little" } }]);
  assert.deepEqual(meta.attributes, { units: "m" });
  // Chunk (2, 2) holds row 6, column 4 only; the rest of its 3×2 is the fill value 0.
  const edge = fs.readFileSync(path.join(p, "c", "2", "2"));
  assert.equal(edge.length, 3 * 2 * 8);
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => edge.readDoubleLE(i * 8)), [34.5, 0, 0, 0, 0, 0]);
  // An inner chunk, (1, 1): rows 3–5, columns 2–3, in C order.
  const inner = fs.readFileSync(path.join(p, "c", "1", "1"));
  assert.deepEqual([0, 1, 2, 3, 4, 5].map((i) => inner.readDoubleLE(i * 8)), [17.5, 18.5, 22.5, 23.5, 27.5, 28.5]);
  assert.equal(fs.readdirSync(path.join(p, "c")).length, 3, "one folder per row of chunks");
});

test("complex arrays are stored as Zarr's complex types: interleaved (re, im) chunks, and hand-written ones read back", async () => {
  const p = fresh("complex-format");
  const z = da.fromArray([{ re: 1, im: 2 }, { re: 3, im: -4 }, { re: -5, im: 0.5 }], { chunks: 2 });
  await z.toZarr(p);
  const meta = JSON.parse(fs.readFileSync(path.join(p, "zarr.json"), "utf8"));
  assert.equal(meta.data_type, "complex128");
  assert.deepEqual(meta.shape, [3]);
  assert.deepEqual(meta.chunk_grid.configuration.chunk_shape, [2]);
  assert.deepEqual(meta.fill_value, [0, 0]);
  const last = fs.readFileSync(path.join(p, "c", "1"));
  assert.deepEqual([0, 1, 2, 3].map((i) => last.readDoubleLE(i * 8)), [-5, 0.5, 0, 0], "real, imaginary, then the padding");
  assert.deepEqual(((await (await da.fromZarr(p)).conj().compute()) as NDArray).toNested(), [{ re: 1, im: -2 }, { re: 3, im: 4 }, { re: -5, im: -0.5 }]);
  // A complex64 array as another Zarr v3 writer lays it out (metadata and chunk written here by hand).
  const h = fresh("by-hand");
  fs.mkdirSync(path.join(h, "c"), { recursive: true });
  fs.writeFileSync(path.join(h, "zarr.json"), JSON.stringify({
    zarr_format: 3, node_type: "array", shape: [2, 2], data_type: "complex64",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [2, 2] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    codecs: [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes", configuration: { endian: "little" } }],
    fill_value: [0.0, 0.0], attributes: {}, dimension_names: ["y", "x"],
  }));
  // Transposed on disk (order [1, 0]): element (i, j) is stored at j * 2 + i.
  const chunk = Buffer.alloc(4 * 2 * 4);
  const values = [[[1, -1], [2, -2]], [[3, -3], [4, -4]]];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
    chunk.writeFloatLE(values[i]![j]![0]!, (j * 2 + i) * 8);
    chunk.writeFloatLE(values[i]![j]![1]!, (j * 2 + i) * 8 + 4);
  }
  fs.mkdirSync(path.join(h, "c", "0"));
  fs.writeFileSync(path.join(h, "c", "0", "0"), chunk);
  const y = await da.fromZarr(h);
  assert.equal(y.dtype, "complex64");
  assert.deepEqual(((await y.compute()) as NDArray).toNested(), [[{ re: 1, im: -1 }, { re: 2, im: -2 }], [{ re: 3, im: -3 }, { re: 4, im: -4 }]]);
});

test("zstd compression round-trips, and writes fewer bytes for repetitive data", async () => {
  const x = da.arange(100_000, { chunks: 30_000 }).mod(7);
  const raw = fresh("raw"), packed = fresh("zstd");
  await x.toZarr(raw);
  await x.toZarr(packed, { compression: "zstd" });
  const size = (d: string) => fs.readdirSync(path.join(d, "c")).reduce((s, f) => s + fs.statSync(path.join(d, "c", f)).size, 0);
  assert.ok(size(packed) < size(raw) / 10, `${size(packed)} vs ${size(raw)} bytes`);
  const y = await da.fromZarr(packed);
  assert.equal(await y.sum().compute(), await x.sum().compute());
  assert.equal(await y.sub(x).abs().max().compute(), 0);
});

test("0-d arrays and arrays with an empty axis round-trip", async () => {
  const p = fresh("scalar");
  await da.arange(10).sum().toZarr(p);
  assert.equal(await (await da.fromZarr(p)).compute(), 45n);
  const e = fresh("empty");
  await da.zeros([0, 3]).toZarr(e);
  const y = await da.fromZarr(e);
  assert.deepEqual(y.shape, [0, 3]);
  assert.deepEqual([...((await y.compute()) as NDArray).shape], [0, 3]);
});

test("writing over an array needs overwrite; a rewritten array reads as its new content", async () => {
  const p = fresh("over");
  await da.ones([4], { chunks: 2 }).toZarr(p);
  await assert.rejects(da.zeros([4]).toZarr(p), /a Zarr array is already at ".*over-\d+\.zarr": pass \{ overwrite: true \} to replace it/);
  await assert.rejects(da.toZarr(da.zeros([4]), p), /already at/, "da.toZarr is the same verb");
  const before = await da.fromZarr(p);
  await da.full([6], 3, { chunks: 4 }).toZarr(p, { overwrite: true });
  const after = await da.fromZarr(p);
  assert.notEqual(after.name, before.name, "new metadata, new keys");
  assert.equal(await after.sum().compute(), 18);
});

test("bad input names the value and the fix", async () => {
  const x = da.arange(10, { chunks: 4 });
  await assert.rejects(da.fromZarr(path.join(dir, "missing.zarr")), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TESSERA_FILE_NOT_FOUND");
    assert.match(e.message, /fromZarr: no Zarr array at ".*missing\.zarr" .*write one first with x\.toZarr/);
    return true;
  });
  const plain = path.join(dir, "plain");
  fs.mkdirSync(plain);
  fs.writeFileSync(path.join(plain, "notes.txt"), "hello");
  await assert.rejects(da.fromZarr(plain), /"\S*plain" is not a Zarr array: the folder has no zarr\.json/);
  await assert.rejects(x.toZarr(plain, { overwrite: true }), /is a folder of other files, which Tessera will not delete: choose a new path/);
  assert.ok(fs.existsSync(path.join(plain, "notes.txt")), "the user's file is still there");
  await assert.rejects(da.fromZarr(path.join(plain, "notes.txt")), /notes\.txt" is a file, not a Zarr array/);
  const group = path.join(dir, "group.zarr");
  fs.mkdirSync(group);
  fs.writeFileSync(path.join(group, "zarr.json"), JSON.stringify({ zarr_format: 3, node_type: "group", attributes: {} }));
  await x.toZarr(path.join(group, "temperature"));
  await assert.rejects(da.fromZarr(group), /is a Zarr group, not an array: open one of its members, e.g. ".*temperature"/);
  const v2 = path.join(dir, "v2.zarr");
  fs.mkdirSync(v2);
  fs.writeFileSync(path.join(v2, ".zarray"), "{}");
  await assert.rejects(da.fromZarr(v2), /version 2 format; Tessera reads Zarr v3/);
  const meta = (extra: Record<string, unknown>) => JSON.stringify({ zarr_format: 3, node_type: "array", shape: [2], data_type: "complex128", chunk_grid: { name: "regular", configuration: { chunk_shape: [2] } }, chunk_key_encoding: { name: "default" }, codecs: [{ name: "bytes", configuration: { endian: "little" } }], fill_value: [0, 0], ...extra });
  const sharded = fresh("sharded"), oddFill = fresh("fill"), half = fresh("half");
  for (const d of [sharded, oddFill, half]) fs.mkdirSync(d);
  fs.writeFileSync(path.join(sharded, "zarr.json"), meta({ codecs: [{ name: "sharding_indexed", configuration: {} }] }));
  await assert.rejects(da.fromZarr(sharded), /a sharded complex128 array cannot be read/);
  fs.writeFileSync(path.join(oddFill, "zarr.json"), meta({ fill_value: [1, 2] }));
  await assert.rejects(da.fromZarr(oddFill), /fill value \[1,2\] has two different parts/);
  fs.writeFileSync(path.join(half, "zarr.json"), meta({ data_type: "float16", fill_value: 0 }));
  await assert.rejects(da.fromZarr(half), /holds data type "float16", which Tessera cannot read \(Tessera has no float16: convert the array to float32/);
  const ints = fresh("ints");
  await x.toZarr(ints);
  await assert.rejects(da.fromZarr(ints, { dtype: "float64" }), /holds int32, not float64: drop the dtype option, or convert after reading: .*\.astype\("float64"\)/);
  await assert.rejects(da.fromZarr(ints, { dtype: "double" as never }), /fromZarr dtype must be one of/);
  await assert.rejects(da.fromZarr(ints, { chunk: 3 } as never), /fromZarr option "chunk" must be one of chunks, dtype/);
  await assert.rejects(da.fromZarr("" as never), /fromZarr\(path\) must be a folder path/);
  await assert.rejects(x.rechunk([[3, 4, 3]]).toZarr(fresh("irregular")), /chunks along axis 0 are \[3, 4, 3\], which Zarr cannot store .* rechunk first, e.g. x\.rechunk\(\[4\]\)\.toZarr\(path\)/);
  await assert.rejects(x.mask(x.gt(3)).toZarr(fresh("masked")), /toZarr needs known chunk sizes.*computeChunkSizes/);
  await assert.rejects(x.toZarr(fresh("opt"), { compression: "gzip" as never }), /toZarr: compression must be "zstd" or null, got "gzip"/);
  await assert.rejects(x.toZarr(fresh("opt"), { overwrite: true, mode: "w" } as never), /toZarr option "mode" must be one of overwrite/);
});
