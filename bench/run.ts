/**
 * Runs one benchmark by name: `npm run bench -- w5`. Each benchmark prints
 * its figures and rewrites its own section of bench/RESULTS.md.
 */
const BENCHMARKS: Record<string, () => Promise<{ main(args: string[]): Promise<void> }>> = {
  w1: () => import("./w1_array"),
  w2: () => import("./w2_matmul"),
  w4: () => import("./w4_bag"),
  w5: () => import("./w5_scheduler"),
  wire: () => import("./wire_bag"),
  zarr: () => import("./zarr_io"),
  w3: () => import("./w3_csv"),
  w6: () => import("./w6_groupby_apply"),
  csvlib: () => import("./csvlib"),
};

async function run(): Promise<void> {
  const [name, ...args] = process.argv.slice(2);
  const load = name === undefined ? undefined : BENCHMARKS[name];
  if (load === undefined) {
    console.error(`usage: npm run bench -- <name> [args]\nbenchmarks: ${Object.keys(BENCHMARKS).join(", ")}`);
    process.exit(2);
  }
  await (await load()).main(args);
}

run().catch((e) => {
  console.error(e);
  process.exit(1);
});
