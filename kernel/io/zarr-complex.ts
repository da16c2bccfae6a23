/**
 * Zarr's complex data types through zarrita, which has none. A complex64 /
 * complex128 array of shape S is, byte for byte, a float32 / float64 array
 * of shape [...S, 2]: the v3 `bytes` codec stores each element as its real
 * then imaginary part, little-endian, which is also Tessera's interleaved
 * layout. So a store wrapper rewrites the metadata (zarr.json) on its way
 * to and from zarrita: zarrita sees the float array with a trailing axis of
 * 2, and the files on disk say complex128, as zarr-python and other readers
 * expect. Chunk bytes pass through untouched; chunk keys lose the trailing
 * axis's index (the float view's "c/1/0" is the complex array's "c/1", and
 * a 0-d array's "c/0" is its "c").
 *
 * Only what keeps the bytes identical is translated: regular chunks, the
 * bytes codec (with or without compression after it) and `transpose` (its
 * order gains the trailing axis). Sharding, whose inner chunks would need
 * the same rewrite, is refused, and so are fill values whose two parts
 * differ (zarrita's fill value is one number).
 */
import type { FileStore } from "./zarrita";

type Meta = Record<string, unknown> & {
  data_type?: unknown;
  shape?: number[];
  chunk_grid?: { name: string; configuration: { chunk_shape: number[] } };
  codecs?: { name: string; configuration?: Record<string, unknown> }[];
  fill_value?: unknown;
  dimension_names?: unknown[];
};

const FLOAT_OF: Record<string, string> = { complex64: "float32", complex128: "float64" };
const COMPLEX_OF: Record<string, string> = { float32: "complex64", float64: "complex128" };

export function isComplexDType(d: unknown): boolean {
  return d === "complex64" || d === "complex128";
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const isMetaKey = (key: string) => key === "/zarr.json" || key.endsWith("/zarr.json");

/** zarr.json of a complex array as zarrita must see it: floats with a trailing axis of 2. */
export function complexToFloatMeta(m: Meta, where: string): Meta {
  const dt = m.data_type as string;
  const codecs = (m.codecs ?? []).map((c) => {
    if (c.name === "sharding_indexed") throw new Error(`${where}: a sharded ${dt} array cannot be read (zarrita has no complex types, and Tessera maps them only for unsharded arrays)`);
    if (c.name === "transpose") {
      const order = (c.configuration?.["order"] ?? []) as number[];
      return { ...c, configuration: { ...c.configuration, order: [...order, order.length] } };
    }
    return c;
  });
  const enc = m["chunk_key_encoding"] as { name?: string } | undefined;
  if (enc?.name !== "default") throw new Error(`${where}: a ${dt} array with chunk key encoding ${JSON.stringify(enc?.name)} cannot be read (Tessera maps complex arrays only with Zarr v3's "default" encoding)`);
  const fill = Array.isArray(m.fill_value) ? m.fill_value : [m.fill_value ?? 0, 0];
  if (fill[0] !== fill[1] && !(Number(fill[0]) === 0 && Number(fill[1]) === 0)) {
    throw new Error(`${where}: the ${dt} fill value ${JSON.stringify(m.fill_value)} has two different parts, which zarrita's single fill value cannot express`);
  }
  const out: Meta = {
    ...m,
    data_type: FLOAT_OF[dt],
    shape: [...(m.shape ?? []), 2],
    chunk_grid: { ...m.chunk_grid!, configuration: { ...m.chunk_grid!.configuration, chunk_shape: [...m.chunk_grid!.configuration.chunk_shape, 2] } },
    codecs,
    fill_value: fill[0],
  };
  if (Array.isArray(m.dimension_names)) out.dimension_names = [...m.dimension_names, null];
  return out;
}

/** The inverse: the float view zarrita wrote, as the complex array stored on disk. */
export function floatToComplexMeta(m: Meta): Meta {
  const out: Meta = {
    ...m,
    data_type: COMPLEX_OF[m.data_type as string],
    shape: m.shape!.slice(0, -1),
    chunk_grid: { ...m.chunk_grid!, configuration: { ...m.chunk_grid!.configuration, chunk_shape: m.chunk_grid!.configuration.chunk_shape.slice(0, -1) } },
    codecs: (m.codecs ?? []).map((c) => (c.name === "transpose" ? { ...c, configuration: { ...c.configuration, order: (c.configuration?.["order"] as number[]).slice(0, -1) } } : c)),
    fill_value: [m.fill_value ?? 0, m.fill_value ?? 0],
  };
  if (Array.isArray(m.dimension_names)) out.dimension_names = m.dimension_names.slice(0, -1);
  return out;
}

/**
 * A store that shows zarrita a complex array as floats. `writing`: the
 * zarr.json zarrita writes (a float array) is stored as the complex one.
 */
export function complexStore(inner: FileStore, where: string, writing = false): FileStore {
  // Set once the metadata has gone through (zarrita reads or writes it before any chunk): the separator of chunk keys.
  let sep: string | undefined;
  const learn = (m: Meta) => {
    const cfg = (m["chunk_key_encoding"] as { configuration?: { separator?: string } } | undefined)?.configuration;
    sep = cfg?.separator ?? "/";
  };
  // The float view's key of chunk (…, 0) is the complex array's key of chunk (…).
  const real = <K extends string>(key: K): K => (sep !== undefined && key.endsWith(`${sep}0`) ? key.slice(0, -2) : key) as K;
  return {
    async get(key, opts) {
      if (!isMetaKey(key)) return inner.get(real(key), opts);
      const bytes = await inner.get(key, opts);
      if (bytes === undefined) return bytes;
      const m = JSON.parse(decoder.decode(bytes)) as Meta;
      if (!isComplexDType(m.data_type)) return bytes;
      const view = complexToFloatMeta(m, where);
      learn(view);
      return encoder.encode(JSON.stringify(view));
    },
    async set(key, value) {
      if (!isMetaKey(key)) return inner.set(real(key), value);
      const m = JSON.parse(decoder.decode(value)) as Meta;
      if (writing && m.node_type === "array") {
        learn(m);
        return inner.set(key, encoder.encode(JSON.stringify(floatToComplexMeta(m), null, 2)));
      }
      return inner.set(key, value);
    },
  };
}
