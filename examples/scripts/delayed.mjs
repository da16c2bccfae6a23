// Delayed: lazy function calls that run in parallel on worker threads.
// Run with: node examples/scripts/delayed.mjs
import { LocalCluster, compute, delayed } from "tessera";

const cluster = await LocalCluster.start();
console.log(String(cluster));

// Functions run on worker threads, so they must be self-contained.
const load = delayed(function load(i) {
  let s = 0;
  for (let j = 0; j < 2_000_000; j++) s += Math.sin(i + j);
  return s;
});
const combine = delayed(function combine(...parts) {
  return parts.reduce((a, b) => a + b, 0);
});

const parts = Array.from({ length: 8 }, (_, i) => load(i));
const total = combine(...parts);
console.log("built", total.visualize().layers.length, "layers; nothing has run yet");

let t0 = performance.now();
const [value] = await compute(total);
console.log(`threads: ${value.toFixed(6)} in ${(performance.now() - t0).toFixed(0)} ms`);

t0 = performance.now();
const again = await total.compute({ scheduler: "sync" });
console.log(`sync:    ${again.toFixed(6)} in ${(performance.now() - t0).toFixed(0)} ms (one thread, for debugging)`);

// A closure over an outside variable is refused before anything runs, with the fix.
const k = 3;
try {
  await delayed((x) => x * k)(2).compute();
} catch (e) {
  console.log("refused:", e.message.split(". ")[0]);
}
console.log("with captures:", await delayed((x) => x * k, { captures: { k } })(2).compute());

await cluster.close();
