/**
 * How elementwise work fuses into its consumer (registered with the
 * optimizer's blockwise pass): an "array.map" producer is not called as a
 * task of its own inside the consumer, its expression is substituted into
 * the consumer's expression, so the fused chain is one generated loop:
 * `x.add(1).mul(2).sum()` reads x once and keeps no temporary array.
 *
 * Consumers whose arguments are [...literals, ...operands] with
 * expressions over the operands: "array.map" (one expression at args[0]) and
 * "array.partial" (a reduction spec at args[0] whose `exprs` read the
 * operands, a placement at args[1]). Identical operands are merged, so
 * `x.add(1).mul(x)` reads x once.
 */
import { BlockArg, BlockwiseSpec } from "../../graph";
import { registerBlockwiseCombiner } from "../../optimize";
import { Expr, input, mapInputs } from "./expr";
import type { PartialSpec } from "./kernels/reduce";

const sameOperand = (a: BlockArg, b: BlockArg) => a.kind === "block" && b.kind === "block" && a.name === b.name && a.ind === b.ind;

/** Operands of the merged call and the producer's expression over them. */
function merge(consumerOps: readonly BlockArg[], producer: BlockwiseSpec): { ops: BlockArg[]; at: number[]; pexpr: Expr } | undefined {
  if (producer.fn.kind !== "builtin" || producer.fn.name !== "array.map") return undefined;
  const pe = (producer.args[0] as { kind: "lit"; value: Expr }).value;
  const pops = producer.args.slice(1);
  // Consumer operands reading the producer disappear; the producer's operands join (deduplicated).
  const at = consumerOps.flatMap((o, i) => (o.kind === "block" && o.name === producer.name ? [i] : []));
  const ops = consumerOps.filter((_, i) => !at.includes(i));
  const where = pops.map((p) => {
    const j = ops.findIndex((o) => sameOperand(o, p));
    return j >= 0 ? j : ops.push(p) - 1;
  });
  return { ops, at, pexpr: mapInputs(pe, (i, dt) => input(where[i]!, dt)) };
}

/** A consumer expression rewritten over the merged operands. */
function rewrite(e: Expr, consumerOps: readonly BlockArg[], m: { ops: BlockArg[]; at: number[]; pexpr: Expr }): Expr {
  const kept = consumerOps.map((o, i) => (m.at.includes(i) ? -1 : m.ops.indexOf(o)));
  return mapInputs(e, (i, dt) => (m.at.includes(i) ? m.pexpr : input(kept[i]!, dt)));
}

registerBlockwiseCombiner("array.map", (c, p) => {
  const ops = c.args.slice(1);
  const m = merge(ops, p);
  if (m === undefined) return undefined;
  const e = rewrite((c.args[0] as { kind: "lit"; value: Expr }).value, ops, m);
  return { fn: c.fn, args: [{ kind: "lit", value: e }, ...m.ops] };
});

registerBlockwiseCombiner("array.partial", (c, p) => {
  const ops = c.args.slice(2);
  const m = merge(ops, p);
  if (m === undefined) return undefined;
  const spec = (c.args[0] as { kind: "lit"; value: PartialSpec }).value;
  const fused: PartialSpec = { ...spec, exprs: spec.exprs.map((e) => rewrite(e, ops, m)) };
  return { fn: c.fn, args: [{ kind: "lit", value: fused }, c.args[1]!, ...m.ops] };
});
