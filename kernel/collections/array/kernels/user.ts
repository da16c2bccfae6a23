/**
 * Wrapping user block functions: blocks reach the user's function as
 * NDArrays (with a block-info argument), and whatever it returns is checked
 * against the declared dtype and block shape, so a wrong declaration is a
 * clear error at the block that broke it, never a silently wrong array.
 */
import { Errors, preview } from "../../../errors";
import { TypedArray } from "../../../store/shared";
import { KernelFn } from "../../../worker/registry";
import { DType, allocate, dtypeInfo, dtypeOfTypedArray } from "../dtype";
import { ChunkData, NDArray, sizeOf } from "../ndarray";

/** Where a block sits: its index in the block grid and its [start, stop) per dimension. */
export interface BlockInfo {
  readonly index: readonly number[];
  readonly location: readonly (readonly [number, number])[];
  /** Shape and dtype the function must return. */
  readonly shape: readonly number[];
  readonly dtype: DType;
}

/** A user function's return value as a chunk of the declared dtype and shape. */
export function fromUser(value: unknown, info: BlockInfo, what: string): ChunkData {
  const want = info.dtype;
  const winfo = dtypeInfo(want);
  let c: ChunkData;
  const v = value as Partial<ChunkData> | null;
  if (v !== null && typeof v === "object" && ArrayBuffer.isView(v.data) && Array.isArray(v.shape) && typeof v.dtype === "string") {
    c = v as ChunkData;
  } else if (ArrayBuffer.isView(value)) {
    const ta = value as TypedArray;
    const got = dtypeOfTypedArray(ta);
    const dt: DType | undefined = got === "uint8" && want === "bool" ? "bool" : winfo.kind === "c" && ta instanceof winfo.ctor ? want : got;
    c = { data: ta, shape: ta.length / winfo.lanes === sizeOf(info.shape) ? info.shape : [ta.length], dtype: dt ?? "float64" };
  } else if (typeof value === "number" || typeof value === "bigint" || typeof value === "boolean") {
    const data = allocate(want, 1);
    (data as unknown as unknown[])[0] = winfo.big ? BigInt(value as number) : Number(value);
    c = { data, shape: info.shape.map(() => 1), dtype: want };
  } else {
    throw Errors.badInput(`${what} returned ${preview(value)} for block [${info.index.join(", ")}]: return an NDArray, a typed array or a number`);
  }
  if (c.dtype !== want) {
    throw Errors.badInput(`${what} returned ${c.dtype} data for block [${info.index.join(", ")}] but the declared dtype is ${want}: pass { dtype: "${c.dtype}" } or convert inside the function`);
  }
  const ok = c.shape.length === info.shape.length && c.shape.every((s, d) => Number.isNaN(info.shape[d]!) || s === info.shape[d]);
  if (!ok) {
    throw Errors.badInput(`${what} returned a block of shape [${c.shape.join(", ")}] for block [${info.index.join(", ")}], expected [${info.shape.join(", ")}]: pass { chunks } describing the blocks it returns`);
  }
  return { data: c.data, shape: c.shape, dtype: want };
}

/** A delayed value as a one-block array of the declared shape and dtype. */
export function fromValue(value: unknown, shape: readonly number[], dtype: DType): ChunkData {
  let v = value;
  if (Array.isArray(v)) v = nestedToTyped(v, dtype);
  return fromUser(v, { index: shape.map(() => 0), location: shape.map((s) => [0, s] as const), shape, dtype }, "fromDelayed: the delayed value");
}

function nestedToTyped(v: unknown[], dtype: DType): TypedArray {
  const flat = (v as unknown[]).flat(Infinity) as unknown[];
  const out = allocate(dtype, flat.length);
  const big = dtypeInfo(dtype).big;
  flat.forEach((x, i) => ((out as unknown as unknown[])[i] = big ? BigInt(x as number) : Number(x)));
  return out;
}

export const USER_KERNELS: Record<string, KernelFn> = {
  /** The user's function result, checked. */
  user: (info: BlockInfo, value: unknown) => fromUser(value, info, "mapBlocks: the function"),
  /** A chunk as an NDArray for a user function. */
  nd: (c: ChunkData) => NDArray.from(c),
  /** Blocks along contracted indices, as a list of NDArrays. */
  ndList: (cs: ChunkData[]) => cs.map((c) => NDArray.from(c)),
  fromValue: (value: unknown, shape: number[], dtype: DType) => fromValue(value, shape, dtype),
};
