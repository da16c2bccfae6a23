/**
 * Linear algebra: matmul (2-D, and 1-D operands as NumPy promotes them),
 * dot and tensordot built on it.
 *
 * Output block (i, j) of A @ B is one task that reads the row of A's blocks
 * and the column of B's blocks and sums their products in place (the
 * cache-blocked kernel of kernels/gemm.ts). When a row and a column would
 * hold more than MAX_TASK_BYTES, the shared dimension is split into groups
 * whose products are added afterwards. A transposed operand (x.T) is read
 * from x's own blocks: x @ x.T transposes nothing.
 *
 * Integer and boolean inputs compute in float64 and give float64; float32
 * inputs give float32. Complex products are not supported yet.
 */
import { Errors } from "../../errors";
import { LazyLayer, Task, builtin, forEachIndex, ref, task } from "../../graph";
import { refine, requireKnown } from "./chunks";
import { DType, isComplex } from "./dtype";
import { input } from "./expr";
import { arrayMeta, fromLayer, layerName } from "./core";
import { astype } from "./elementwise";
import { expandDims, reshape, squeeze, transpose } from "./reshape";
import { TArray } from "./array";

const MAX_TASK_BYTES = 512 * 2 ** 20;

function checkOperand(x: unknown, what: string): asserts x is TArray {
  if (!(x instanceof TArray)) throw Errors.badOption(what, x, "a Tessera array");
  if (isComplex(x.dtype)) throw Errors.badInput(`${what}: products of complex arrays are not supported yet (multiply real and imaginary parts apart)`);
}

/**
 * Matrix product, as NumPy's matmul for 1-D and 2-D arrays.
 * @example x.matmul(x.T)
 */
export function matmul(a: TArray, b: TArray): TArray {
  checkOperand(a, "matmul a");
  checkOperand(b, "matmul b");
  if (a.ndim === 0 || b.ndim === 0) throw Errors.badInput("matmul: operands must have at least one dimension (use mul for scalars)");
  if (a.ndim > 2 || b.ndim > 2) throw Errors.badInput(`matmul: arrays of more than 2 dimensions are not supported (got [${a.shape.join(", ")}] and [${b.shape.join(", ")}]); use tensordot`);
  if (a.ndim === 1 && b.ndim === 1) return squeeze(matmul2(expandDims(a, 0), expandDims(b, 1)));
  if (a.ndim === 1) return squeeze(matmul2(expandDims(a, 0), b), 0);
  if (b.ndim === 1) return squeeze(matmul2(a, expandDims(b, 1)), 1);
  return matmul2(a, b);
}

function matmul2(a: TArray, b: TArray): TArray {
  requireKnown(a.chunks, "matmul");
  requireKnown(b.chunks, "matmul");
  if (a.shape[1] !== b.shape[0]) {
    throw Errors.badInput(`matmul: shapes [${a.shape.join(", ")}] and [${b.shape.join(", ")}] are not aligned: ${a.shape[1]} (dim 1 of a) != ${b.shape[0]} (dim 0 of b)`);
  }
  const dtype: DType = a.dtype === "float32" && b.dtype === "float32" ? "float32" : "float64";
  // Read transposed operands from their base arrays (packing absorbs the transpose).
  let A = a.transposeOf ?? a, B = b.transposeOf ?? b;
  const transA = a.transposeOf !== undefined, transB = b.transposeOf !== undefined;
  const kA = transA ? 0 : 1, kB = transB ? 1 : 0;
  const kChunks = refine(A.chunks[kA]!, B.chunks[kB]!);
  if (kChunks.length !== A.chunks[kA]!.length) A = A.rechunk(A.chunks.map((c, d) => (d === kA ? kChunks : c)));
  if (kChunks.length !== B.chunks[kB]!.length) B = B.rechunk(B.chunks.map((c, d) => (d === kB ? kChunks : c)));
  if (A.dtype !== "float64" && A.dtype !== "float32") A = astype(A, "float64");
  if (B.dtype !== "float64" && B.dtype !== "float32") B = astype(B, "float64");
  const rows = transA ? A.chunks[1]! : A.chunks[0]!;
  const cols = transB ? B.chunks[0]! : B.chunks[1]!;
  const nk = kChunks.length;
  // Blocks of the shared dimension per task, so that a task's inputs stay bounded.
  const panel = (Math.max(...rows) + Math.max(...cols)) * Math.max(...kChunks, 1) * 8;
  const group = Math.max(1, Math.min(nk, Math.floor(MAX_TASK_BYTES / Math.max(panel, 1))));
  const ngroups = Math.ceil(nk / group);
  const opts = { transA, transB, dtype: ngroups > 1 ? "float64" : dtype };
  const aKey = (i: number, k: number) => ref(transA ? [A.name, k, i] : [A.name, i, k]);
  const bKey = (k: number, j: number) => ref(transB ? [B.name, j, k] : [B.name, k, j]);
  const chunks = [rows, cols];
  const name = layerName("matmul", A.name, B.name, transA, transB, group);
  const parts = ngroups > 1 ? `${name}-part` : name;
  const generate = () => {
    const out = new Map<string, Task>();
    forEachIndex([rows.length, cols.length], ([i, j]) => {
      const sums: unknown[] = [];
      for (let g = 0; g < ngroups; g++) {
        const ks = Array.from({ length: Math.min(group, nk - g * group) }, (_, t) => g * group + t);
        const t = task(builtin("array.matmul"), [opts, ks.map((k) => aKey(i!, k)), ks.map((k) => bKey(k, j!))]);
        if (ngroups === 1) out.set(JSON.stringify([name, i, j]), t);
        else {
          const pk = JSON.stringify([parts, i, j, g]);
          out.set(pk, t);
          sums.push(pk);
        }
      }
      if (ngroups > 1) {
        // Products of the groups added in one pass (expression over all of them).
        let e = input(0, "float64");
        for (let s = 1; s < sums.length; s++) e = { k: "op", op: "add", a: [e, input(s, "float64")], dt: "float64" };
        if (dtype !== "float64") e = { k: "op", op: "cast", a: [e], dt: dtype };
        out.set(JSON.stringify([name, i, j]), task(builtin("array.map"), [e, ...sums.map((k) => ref(JSON.parse(k as string)))]));
      }
    });
    return out;
  };
  const layer = new LazyLayer(name, "matmul", rows.length * cols.length * (ngroups > 1 ? ngroups + 1 : 1), generate, [A.name, B.name], arrayMeta(chunks, dtype));
  return fromLayer(layer, chunks, dtype, [A, B]);
}

/**
 * Sum of products over the given axes: an integer n (the last n of a with
 * the first n of b) or two lists of axes.
 * @example da.tensordot(a, b, 1)
 * @example da.tensordot(a, b, [[1], [0]])
 */
export function tensordot(a: TArray, b: TArray, axes: number | [number[], number[]] = 2): TArray {
  checkOperand(a, "tensordot a");
  checkOperand(b, "tensordot b");
  const [ax, bx] = typeof axes === "number"
    ? [Array.from({ length: axes }, (_, i) => a.ndim - axes + i), Array.from({ length: axes }, (_, i) => i)]
    : axes;
  if (!Array.isArray(ax) || !Array.isArray(bx) || ax.length !== bx.length) throw Errors.badOption("tensordot axes", axes, "an integer or two lists of axes of the same length");
  const na = ax.map((d) => (d < 0 ? d + a.ndim : d)), nb = bx.map((d) => (d < 0 ? d + b.ndim : d));
  na.forEach((d, i) => {
    if (a.shape[d] !== b.shape[nb[i]!]) throw Errors.badInput(`tensordot: shape mismatch for sum: axis ${d} of a has length ${a.shape[d]}, axis ${nb[i]} of b has ${b.shape[nb[i]!]}`);
  });
  const freeA = a.shape.map((_, d) => d).filter((d) => !na.includes(d));
  const freeB = b.shape.map((_, d) => d).filter((d) => !nb.includes(d));
  const prod = (ds: number[], s: number[]) => ds.reduce((p, d) => p * s[d]!, 1);
  const a2 = reshape(transpose(a, [...freeA, ...na]), [prod(freeA, a.shape), prod(na, a.shape)]);
  const b2 = reshape(transpose(b, [...nb, ...freeB]), [prod(nb, b.shape), prod(freeB, b.shape)]);
  return reshape(matmul2(a2, b2), [...freeA.map((d) => a.shape[d]!), ...freeB.map((d) => b.shape[d]!)]);
}

/**
 * NumPy's dot: inner product of 1-D arrays, matrix product of 2-D ones.
 * @example x.dot(y)
 */
export function dot(a: TArray, b: TArray): TArray {
  checkOperand(a, "dot a");
  checkOperand(b, "dot b");
  if (a.ndim === 0 || b.ndim === 0) throw Errors.badInput("dot: use mul for scalars");
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b);
  return tensordot(a, b, [[a.ndim - 1], [b.ndim === 1 ? 0 : b.ndim - 2]]);
}
