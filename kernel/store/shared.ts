/**
 * Shared memory for chunks: typed arrays backed by SharedArrayBuffer move
 * between worker threads without a copy (postMessage shares the buffer).
 * Worker-side kernels allocate their outputs with `sharedArray`, so a result
 * reaches the store, and the next worker, as a reference.
 */

export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

export interface TypedArrayConstructor<T extends TypedArray> {
  new (buffer: ArrayBufferLike, byteOffset?: number, length?: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** A zero-filled typed array of `length` elements on a SharedArrayBuffer. */
export function sharedArray<T extends TypedArray>(ctor: TypedArrayConstructor<T>, length: number): T {
  return new ctor(new SharedArrayBuffer(length * ctor.BYTES_PER_ELEMENT), 0, length);
}

export function isShared(view: ArrayBufferView): boolean {
  return view.buffer instanceof SharedArrayBuffer;
}

/** The same elements on shared memory (the view itself when it already is). */
export function toShared<T extends TypedArray>(view: T): T {
  if (isShared(view)) return view;
  const ctor = view.constructor as TypedArrayConstructor<T>;
  const out = sharedArray(ctor, view.length);
  (out as unknown as { set(a: ArrayLike<unknown>): void }).set(view as unknown as ArrayLike<unknown>);
  return out;
}
