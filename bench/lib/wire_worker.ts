/**
 * The worker side of bench/wire_bag.ts: makes a partition of W4 records
 * (producer) or receives one and touches every record (consumer), sending
 * it as a structured clone or as the engine's msgpack wire form.
 */
import * as fs from "node:fs";
import { parentPort, workerData } from "node:worker_threads";
import { markPackable, packValue, unpackValue } from "../../kernel/worker/wire";

const { file, bytes } = workerData as { file: string; bytes: number };
const fd = fs.openSync(file, "r");
const buf = Buffer.allocUnsafe(bytes);
const n = fs.readSync(fd, buf, 0, bytes, 0);
fs.closeSync(fd);
const text = buf.toString("utf8", 0, n);
const records = text.slice(0, text.lastIndexOf("\n")).split("\n").map((l) => JSON.parse(l) as { age: number });

parentPort!.on("message", (m: { cmd: "produce" | "consume"; mode: "clone" | "msgpack"; value?: unknown }) => {
  const t0 = performance.now();
  if (m.cmd === "produce") {
    const value = m.mode === "clone" ? records : packValue(markPackable(records.slice()));
    parentPort!.postMessage({ value, ms: performance.now() - t0 });
  } else {
    const part = (m.mode === "clone" ? m.value : unpackValue(m.value)) as { age: number }[];
    let over30 = 0;
    for (const r of part) if (r.age > 30) over30++;
    parentPort!.postMessage({ over30, ms: performance.now() - t0 });
  }
});
