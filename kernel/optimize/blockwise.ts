/**
 * Blockwise fusion: a layer-level pass, run before any task exists.
 *
 * When a blockwise layer P is read by exactly one other layer C, itself
 * blockwise, block for block (no broadcasting of P's blocks), P disappears
 * and C computes P's block inline: `(x + 1).mean()` becomes one task per
 * block of x that adds and reduces, and no `x + 1` chunk is ever stored or
 * sent anywhere. The fused layer keeps C's name (its keys do not change) and
 * lists the layers it absorbed in `meta.fused`, so the layer graph a panel
 * draws shows the fusion.
 *
 * How P's work enters C: a collection may register a combiner for C's kernel
 * (array kernels merge elementwise expressions into one generated loop);
 * otherwise P's call becomes a nested call evaluated inline (generic, for any
 * callable: user functions in mapBlocks fuse too).
 *
 * Layers in `keep` (outputs, layers whose chunks are already stored) are
 * never fused away.
 */
import { BlockArg, BlockwiseLayer, BlockwiseSpec, Callable, Layer, LayeredGraph, inputIndex } from "../graph";

/**
 * Merges producer `p` into consumer `c`, or declines (undefined). `p` is
 * already expressed in `c`'s index letters; `at` is the producer's layer name.
 */
export type BlockwiseCombiner = (c: BlockwiseSpec, p: BlockwiseSpec, at: string) => { fn: Callable; args: readonly BlockArg[] } | undefined;

const combiners = new Map<string, BlockwiseCombiner>();

/** Registers a combiner for consumers whose callable is the built-in kernel `kernel`. */
export function registerBlockwiseCombiner(kernel: string, combiner: BlockwiseCombiner): void {
  combiners.set(kernel, combiner);
}

/** The graph with chains of blockwise layers fused; the same object when nothing fuses. */
export function fuseBlockwise(graph: LayeredGraph, keep: ReadonlySet<string>): LayeredGraph {
  const layers = new Map<string, Layer>(graph.layers);
  let changed = false;
  for (;;) {
    const readers = layerReaders(layers);
    let fusedOne = false;
    for (const c of layers.values()) {
      if (!(c instanceof BlockwiseLayer)) continue;
      for (const pName of c.dependencies) {
        const p = layers.get(pName);
        if (!(p instanceof BlockwiseLayer) || keep.has(pName)) continue;
        const rs = readers.get(pName);
        if (rs === undefined || rs.size !== 1) continue;
        const merged = fusePair(c.spec, p.spec);
        if (merged === undefined) continue;
        layers.delete(pName);
        layers.set(c.name, new BlockwiseLayer(merged));
        fusedOne = changed = true;
        break;
      }
      if (fusedOne) break;
    }
    if (!fusedOne) break;
  }
  return changed ? LayeredGraph.of(...layers.values()) : graph;
}

function layerReaders(layers: ReadonlyMap<string, Layer>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const l of layers.values()) {
    for (const d of l.dependencies) {
      let s = out.get(d);
      if (s === undefined) out.set(d, (s = new Set()));
      s.add(l.name);
    }
  }
  return out;
}

/** Every (top-level or nested) block argument of `args` that reads `name`. */
function occurrences(args: readonly BlockArg[], name: string, out: BlockArg[] = []): BlockArg[] {
  for (const a of args) {
    if ((a.kind === "block" || a.kind === "blocks") && a.name === name) out.push(a);
    else if (a.kind === "sub") occurrences(a.args, name, out);
  }
  return out;
}

function fusePair(c: BlockwiseSpec, p: BlockwiseSpec): BlockwiseSpec | undefined {
  const uses = occurrences(c.args, p.name);
  if (uses.length === 0 || uses.some((u) => u.kind !== "block")) return undefined;
  const first = uses[0] as Extract<BlockArg, { kind: "block" }>;
  if (uses.some((u) => (u as typeof first).ind !== first.ind)) return undefined;
  if (first.ind.length !== p.ind.length) return undefined;
  // No broadcasting of P's blocks inside C: each P block would be computed many times.
  for (let k = 0; k < p.ind.length; k++) {
    const pos = c.ind.indexOf(first.ind[k]!);
    const cBlocks = pos < 0 ? 1 : c.numblocks[pos]!;
    if (p.numblocks[k] !== cBlocks) return undefined;
  }
  if (hasContraction(p.args)) return undefined;
  const rename = new Map<string, string>();
  for (let k = 0; k < p.ind.length; k++) rename.set(p.ind[k]!, first.ind[k]!);
  // P's per-block literals were keyed by P's own block index: translate from C's.
  const toP = (cIdx: readonly number[]) => inputIndex(c.ind, cIdx, first.ind, p.numblocks);
  const renamed: BlockwiseSpec = { ...p, ind: first.ind, args: p.args.map((a) => renameArg(a, rename, toP)) };

  const fused: { fn: Callable; args: readonly BlockArg[] } | undefined = (c.fn.kind === "builtin" ? combiners.get(c.fn.name)?.(c, renamed, p.name) : undefined)
    ?? (uses.length === 1 ? { fn: c.fn, args: substitute(c.args, p.name, { kind: "sub", fn: renamed.fn, args: renamed.args }) } : undefined);
  if (fused === undefined) return undefined;
  const fusedNames = [...((c.meta?.["fused"] as string[] | undefined) ?? []), ...((p.meta?.["fused"] as string[] | undefined) ?? []), p.name];
  const ops = [...((p.meta?.["fusedOps"] as string[] | undefined) ?? []), p.op];
  const meta = { ...(c.meta ?? { collection: "unknown" }), fused: fusedNames, fusedOps: [...((c.meta?.["fusedOps"] as string[] | undefined) ?? []), ...ops] };
  return { ...c, fn: fused.fn, args: fused.args, meta };
}

function hasContraction(args: readonly BlockArg[]): boolean {
  return args.some((a) => a.kind === "blocks" || (a.kind === "sub" && hasContraction(a.args)));
}

function renameArg(a: BlockArg, rename: ReadonlyMap<string, string>, toP: (idx: readonly number[]) => number[]): BlockArg {
  switch (a.kind) {
    case "block":
      return { ...a, ind: [...a.ind].map((l) => rename.get(l) ?? l).join("") };
    case "perBlock": {
      const f = a.value;
      return { kind: "perBlock", value: (idx) => f(toP(idx)) };
    }
    case "sub":
      return { ...a, args: a.args.map((x) => renameArg(x, rename, toP)) };
    default:
      return a;
  }
}

function substitute(args: readonly BlockArg[], name: string, by: BlockArg): BlockArg[] {
  return args.map((a) => {
    if (a.kind === "block" && a.name === name) return by;
    if (a.kind === "sub") return { ...a, args: substitute(a.args, name, by) };
    return a;
  });
}
