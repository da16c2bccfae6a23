/**
 * dd.concat: frames one after the other, as more partitions (nothing is
 * copied or computed until compute). The frames must have the same column
 * names and types; columns are put in the first frame's order. Divisions
 * stay known when every frame's are and they follow each other in order.
 */
import { Errors } from "../../../errors";
import { builtin, LayeredGraph, ref, task } from "../../../graph";
import { DataFrame } from "../frame";
import { Division, layerMeta, layerName, taskLayer } from "../layers";

export function concat(frames: DataFrame[]): DataFrame {
  if (!Array.isArray(frames) || frames.length === 0 || frames.some((f) => !(f instanceof DataFrame))) {
    throw Errors.badOption("dd.concat(frames)", frames, "a non-empty array of DataFrames");
  }
  const first = frames[0]!;
  const want = first.fields.map((f) => `${f.name}:${f.dtype}`).sort().join(", ");
  frames.forEach((f, k) => {
    const got = f.fields.map((x) => `${x.name}:${x.dtype}`).sort().join(", ");
    if (got !== want) throw Errors.badInput(`dd.concat: frame ${k} has columns ${got}, frame 0 has ${want}; select, rename or astype them to match first`);
  });
  const parts: [string, number][] = frames.flatMap((f) => Array.from({ length: f.npartitions }, (_, i) => [f.name, i] as [string, number]));
  let divisions: Division[] | null = null;
  const index = frames.every((f) => f.index === first.index) ? first.index : undefined;
  if (index !== undefined && frames.every((f) => f.divisions !== null)) {
    const ordered = frames.every((f, k) => k === 0 || (frames[k - 1]!.divisions!.at(-1)! as number) <= (f.divisions![0] as number));
    if (ordered) divisions = [...frames.flatMap((f) => f.divisions!.slice(0, -1)), frames.at(-1)!.divisions!.at(-1)!];
  }
  const names = first.columns;
  const meta = { npartitions: parts.length, divisions, fields: first.fields };
  const name = layerName("concat", frames.map((f) => f.name));
  const layer = taskLayer(name, "concat", parts.length, (j) => task(builtin("dataframe.select"), [ref(parts[j]!), names]), frames.map((f) => f.name), layerMeta(meta));
  return new DataFrame(name, LayeredGraph.from(layer, ...frames.map((f) => f.graph())), meta, divisions ? index : undefined);
}
