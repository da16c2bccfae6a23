// DataFrames: the seed notes' Dask DataFrame examples in Tessera's TypeScript form.
// Run with: node examples/scripts/dataframe.mjs
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, compute, dd, delayed } from "tessera";

// A small "large_file.csv": id, name, x, y, timestamp.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-example-"));
const file = path.join(dir, "large_file.csv");
const names = ["Alice", "Bob", "Carol", "Dan"];
const lines = ["id,name,x,y,timestamp"];
for (let i = 0; i < 200_000; i++) {
  const name = names[i % 4], x = (i % 1000) / 10;
  const y = (i % 4 + 1) * x + ((i * 7919) % 100) / 100;
  lines.push(`${i},${name},${x},${y.toFixed(3)},2024-01-${String(1 + (i % 28)).padStart(2, "0")}T12:00:00`);
}
fs.writeFileSync(file, lines.join("\n") + "\n");

const cluster = await LocalCluster.start();

// dd.read_csv('large_file.csv', blocksize=25e6) — here 1 MB blocks, so the small file has several partitions.
const ddf = dd.readCsv(file, { blocksize: 1e6 });
console.log(ddf.reprText()); // columns, types, npartitions, divisions: nothing read but a sample

console.log(String(await ddf.head(3))); // reads the first block only, no compute() needed
console.log(String(await ddf.tail(2))); // reads the last block only

// Aggregations, and several results from one read.
const means = ddf.groupBy("name").agg({ x: "mean", y: "sum" });
const [table, avg, n] = await compute(means, ddf.filter(ddf.col("x").gt(50)).col("y").mean(), ddf.numRows());
console.log(String(table), "\nmean y where x > 50:", avg.toFixed(3), "rows:", n);

// Groupby apply with a model per group; meta says the result is one object column.
function train(part) {
  if (!part.numRows) return undefined;
  let n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < part.numRows; i++) {
    const x = part.x[i], y = part.y[i];
    n++; sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { slope: a, intercept: (sy - a * sx) / n };
}
const models = await ddf.groupBy("name").apply(train, { meta: { name: "LinearRegression", type: "object" } }).compute();
console.log(models.toRecords());

// Dates, memory, info.
const withTime = ddf.assign({ day: dd.toDatetime(ddf.col("timestamp")).dt.day() });
console.log("distinct days:", await withTime.col("day").nunique().compute());
console.log("bytes per column:", await ddf.memoryUsage().compute());
console.log(await ddf.info());

// from_delayed: concatenate delayed pieces into one DataFrame.
const piece = delayed((k) => ({ k: Array.from({ length: 3 }, (_, i) => k * 10 + i) }));
const fromPieces = dd.fromDelayed([piece(1), piece(2)], { meta: { k: "float64" } });
console.log("fromDelayed:", Array.from((await fromPieces.compute()).col("k")));

await cluster.close();
fs.rmSync(dir, { recursive: true, force: true });
