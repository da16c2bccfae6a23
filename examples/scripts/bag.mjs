// Bags: partitioned collections of plain objects — the seed notes' Dask Bag material.
// Run with: node examples/scripts/bag.mjs
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { LocalCluster, db } from "tessera";

// Some JSON lines to read: 30,000 people in three files.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-bag-example-"));
const occupations = ["Data Engineer", "Civil Analyst", "Sales Manager", "Farm Technician", "Audio Scientist"];
for (let f = 0; f < 3; f++) {
  const lines = [];
  for (let i = 0; i < 10_000; i++) {
    const id = f * 10_000 + i;
    lines.push(JSON.stringify({ id, name: `P${id}`, occupation: occupations[(id * 7) % 5], age: 18 + ((id * 13) % 60), tags: ["a", "b"].slice(0, id % 3) }));
  }
  fs.writeFileSync(path.join(dir, `people-${f}.jsonl`), lines.join("\n") + "\n");
}

const cluster = await LocalCluster.start();

// A heterogeneous list, as in the notes; take(n) gives the first n items.
const mixed = db.fromSequence([[1, 2], {}, [3, 4, 5], "python"]);
console.log(String(mixed), await mixed.take(2));

// Named functions as data: map and filter.
function sqr(x) { return x ** 2; }
function even(x) { return x % 2 === 0; }
console.log(await db.fromSequence([1, 2, 3, 4]).map(sqr).compute(), await db.fromSequence([1, 2, 3, 4]).filter(even).compute());

// JSON lines: read and parse in the workers, one task per block of each file.
const bag = db.readText(path.join(dir, "people-*.jsonl")).map(JSON.parse);
console.log(String(bag), await bag.map((r) => r.occupation).take(2));

const top = await bag.filter((r) => r.age > 30).pluck("occupation").frequencies().topk(3, ([, n]) => n).compute();
console.log("top occupations over 30:", top);

// Per-key reductions: foldBy keeps items in place; groupBy shuffles them (slower).
const byOccupation = await bag.foldBy("occupation", (n, _r) => n + 1, 0, (a, b) => a + b, 0).compute();
console.log("people per occupation:", Object.fromEntries(byOccupation));

// Functions run on worker threads: pass outside values explicitly.
const minAge = 60;
try {
  await bag.filter((r) => r.age >= minAge).count().compute();
} catch (e) {
  console.log("refused:", e.message.split(". ")[0]);
}
console.log("with captures:", await bag.filter(db.withCaptures((r) => r.age >= minAge, { minAge })).count().compute());

await cluster.close();
fs.rmSync(dir, { recursive: true, force: true });
