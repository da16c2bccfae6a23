/**
 * Shared test helpers: NumPy fixtures (test/fixtures/array/numpy.json, made by
 * make_fixtures.py), comparison of results against them, the chunkings every
 * operation is checked across, and a two-thread cluster.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before } from "node:test";
import { DType, Element, LocalCluster, NDArray } from "../../../kernel";

export const SCHEDULERS = ["sync", "threads"] as const;

export interface Fixture {
  dtype: DType;
  shape: number[];
  data: unknown[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const F: any = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "..", "..", "test", "fixtures", "array", "numpy.json"), "utf8"));

function num(v: unknown): number {
  return v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number);
}

/** A fixture as an NDArray. */
export function nd(f: Fixture): NDArray {
  const values = f.dtype.startsWith("complex") ? (f.data as [unknown, unknown][]).flat().map(num) : f.data.map((v) => (typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === "boolean" ? (v ? 1 : 0) : num(v)));
  return toND(values, f);
}

function toND(values: unknown[], f: Fixture): NDArray {
  const ctor: Record<string, new (n: number) => ArrayLike<unknown>> = {
    float64: Float64Array, float32: Float32Array, int32: Int32Array, uint32: Uint32Array, int16: Int16Array, uint16: Uint16Array,
    int8: Int8Array, uint8: Uint8Array, bool: Uint8Array, int64: BigInt64Array, uint64: BigUint64Array, complex128: Float64Array, complex64: Float32Array,
  };
  const a = new ctor[f.dtype]!(values.length) as unknown as unknown[];
  values.forEach((v, i) => (a[i] = v));
  return new NDArray(a as never, f.shape, f.dtype);
}

const close = (a: number, b: number, rtol: number, atol: number) => (Number.isNaN(a) && Number.isNaN(b)) || a === b || Math.abs(a - b) <= atol + rtol * Math.abs(b);

/** Asserts a computed result equals a fixture: same shape and dtype, values within rtol (exact for integers and booleans). */
export function assertMatches(actual: NDArray | Element, f: Fixture, msg: string, rtol = 1e-12, atol = 1e-12): void {
  if (f.shape.length === 0) {
    const e = f.data[0];
    if (typeof actual === "object" && actual !== null && "re" in actual) {
      const [re, im] = e as [unknown, unknown];
      assert.ok(close(actual.re, num(re), rtol, atol) && close(actual.im, num(im), rtol, atol), `${msg}: ${JSON.stringify(actual)} != ${JSON.stringify(e)}`);
    } else if (typeof actual === "bigint") assert.equal(actual, BigInt(e as string), msg);
    else if (typeof actual === "boolean") assert.equal(actual, e, msg);
    else assert.ok(close(actual as number, num(e), rtol, atol), `${msg}: ${actual} != ${e}`);
    return;
  }
  assert.ok(actual instanceof NDArray, `${msg}: expected an NDArray, got ${String(actual)}`);
  assert.deepEqual([...actual.shape], f.shape, `${msg}: shape`);
  assert.equal(actual.dtype, f.dtype, `${msg}: dtype`);
  const want = toND(f.dtype.startsWith("complex") ? (f.data as [unknown, unknown][]).flat().map(num) : f.data.map((v) => (typeof v === "string" && /^-?\d+$/.test(v) ? BigInt(v) : typeof v === "boolean" ? (v ? 1 : 0) : num(v))), f);
  const exact = !f.dtype.startsWith("float") && !f.dtype.startsWith("complex");
  for (let i = 0; i < want.data.length; i++) {
    const a: unknown = actual.data[i], b: unknown = want.data[i];
    if (exact) assert.equal(a, b, `${msg}: element ${i}: ${a} != ${b}`);
    else assert.ok(close(a as number, b as number, rtol, atol), `${msg}: element ${i}: ${a} != ${b}`);
  }
}

/** Chunkings of a 7×5 array: one block, even blocks, uneven blocks. */
export const CHUNKINGS_7x5 = [[7, 5], [3, 2], [[2, 5], [1, 4]], [[1, 1, 5], [3, 1, 1]]] as const;

export function withCluster(): { cluster(): LocalCluster } {
  let c: LocalCluster;
  before(async () => {
    c = await LocalCluster.start({ workers: 2 });
  });
  after(() => c.close());
  return { cluster: () => c };
}
