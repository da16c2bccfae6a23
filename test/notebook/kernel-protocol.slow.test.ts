/**
 * The kernel over the real wire protocol (ZeroMQ, signed messages), as any
 * Jupyter client drives it: execute, streams, displays updated in place,
 * rich values, a type error, a task error mapped to its cell line, interrupts
 * (SIGINT and interrupt_request) that stop the work within a second, and a
 * restart that leaves no process, port or spill file behind.
 *
 * The kernel runs in a folder with no node_modules above it, so `tessera`
 * resolves only through the kernel's own fallback.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { KERNEL_ARGV, tempDir } from "./suite";
import { KernelClient, Message, outputs, portIsFree, summary, within } from "./jupyter-client";

let k: KernelClient;
let tmp: { dir: string; remove(): void };

const type = (t: string) => (m: Message) => m.header.msg_type === t;
const resultText = (iopub: Message[]) => iopub.find(type("execute_result"))?.content["data"]["text/plain"] as string | undefined;
/** The line (1-based) of `code` that contains `needle`. */
const lineOf = (code: string, needle: string) => code.split("\n").findIndex((l) => l.includes(needle)) + 1;

before(async () => {
  tmp = tempDir("kernel-protocol");
  fs.mkdirSync(path.join(tmp.dir, "notebooks"));
  k = await KernelClient.start(KERNEL_ARGV, { dir: path.join(tmp.dir, "run"), cwd: path.join(tmp.dir, "notebooks") });
});

after(async () => {
  await k?.close();
  tmp.remove();
});

test("kernel_info names the Tessera kernel", async () => {
  const r = await k.send("kernel_info_request").reply;
  assert.equal(r.content["implementation"], "tessera");
  assert.equal(r.content["language_info"].name, "typescript");
});

test("execute: execute_input, then the value as execute_result with its count", async () => {
  const code = `import { delayed, compute, persist, LocalCluster, currentRuntime } from "tessera";\nconst inc = delayed(function inc(x: number) { return x + 1; });\n6 * 7`;
  const { reply, iopub } = await k.execute(code);
  assert.equal(reply.content["status"], "ok", summary(iopub));
  const input = iopub.find(type("execute_input"))!;
  assert.equal(input.content["execution_count"], reply.content["execution_count"]);
  assert.equal(resultText(iopub), "42");
  assert.equal(iopub.find(type("execute_result"))!.content["execution_count"], reply.content["execution_count"]);
});

test("stream: console output arrives as stdout", async () => {
  const { iopub } = await k.execute(`console.log("hello", 1 + 2)`);
  assert.deepEqual(outputs(iopub).map((o) => [o.type, o.text]), [["stream", "hello 3\n"]]);
});

test("a compute shows a progress display, updated in place to its final state", async () => {
  const code = [
    `const spin = delayed(function spin(i: number, ms: number) { const end = Date.now() + ms; let n = 0; while (Date.now() < end) n++; return i * i; });`,
    `const sumOf = delayed(function sumOf(...xs: number[]) { return xs.reduce((a, b) => a + b, 0); });`,
    `await sumOf(...Array.from({ length: 6 }, (_, i) => spin(i, 60))).compute()`,
  ].join("\n");
  const { reply, iopub } = await k.execute(code);
  assert.equal(reply.content["status"], "ok", summary(iopub));
  assert.equal(resultText(iopub), String([0, 1, 2, 3, 4, 5].reduce((a, i) => a + i * i, 0)));
  const shown = iopub.find(type("display_data"))!;
  const id = shown.content["transient"].display_id as string;
  assert.ok(id, "the progress display has a display_id");
  assert.match(shown.content["data"]["text/html"], /class="tessera-progress"/);
  const updates = iopub.filter((m) => type("update_display_data")(m) && m.content["transient"].display_id === id);
  assert.ok(updates.length >= 1, "updated in place");
  const final = updates[updates.length - 1]!.content["data"];
  assert.match(final["text/plain"], /^Computed 7 tasks in 7 layers in \d+/);
  assert.match(final["text/plain"], /nothing spilled/);
  assert.match(final["text/html"], /data-status="done"/);
  assert.ok(iopub.indexOf(updates[updates.length - 1]!) < iopub.indexOf(iopub.find(type("execute_result"))!), "final state before the value");
});

test("a collection as the last value shows as HTML with a text fallback", async () => {
  const { iopub } = await k.execute(`sumOf(inc(1), inc(2))`);
  const data = iopub.find(type("execute_result"))!.content["data"];
  assert.match(data["text/plain"], /^Delayed\('sumOf-[0-9a-f]+'\): 3 layers, 3 tasks$/);
  assert.match(data["text/html"], /<table class="tessera-repr">/);
  const svg = (await k.execute(`sumOf(inc(1), inc(2)).visualize()`)).iopub.find(type("execute_result"))!.content["data"];
  assert.match(svg["image/svg+xml"], /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"[\s\S]*>sumOf<\/text>[\s\S]*<\/svg>$/);
});

test("a type error is a Jupyter error naming the line, and the next cell still runs", async () => {
  const { reply, iopub } = await k.execute(`const ok = 1;\nconst n: number = "not a number";`);
  assert.equal(reply.content["status"], "error");
  assert.equal(reply.content["ename"], "TypeScriptError");
  assert.match(reply.content["evalue"], /^TS2322: Type 'string' is not assignable to type 'number'/);
  const err = iopub.find(type("error"))!;
  assert.match(err.content["traceback"][0], /^Cell In\[\d+\], line 2:7 - TS2322/);
  const next = k.execute(`"still alive"`); // sent at once: tslab used to abort requests for 200 ms after an error
  assert.equal(resultText((await next).iopub), "'still alive'");
});

test("a task error names the task and operation, with the user function's frame at its cell line", async () => {
  const code = [
    `function explode(x: number) {`,
    `  // comments and types move lines in the compiled code`,
    `  const y: number = x * 2;`,
    ``,
    `  if (y > 3) throw new RangeError("too big: " + y);`,
    `  return y;`,
    `}`,
    `await delayed(explode)(5).compute()`,
  ].join("\n");
  const { reply, iopub } = await k.execute(code);
  assert.equal(reply.content["status"], "error");
  assert.equal(reply.content["ename"], "TaskError");
  assert.match(reply.content["evalue"], /^task explode-[0-9a-f]+ \(operation "explode"\) failed on thread-\d+: RangeError: too big: 10$/);
  const tb = iopub.find(type("error"))!.content["traceback"] as string[];
  const count = reply.content["execution_count"] as number;
  const line = lineOf(code, "throw");
  assert.ok(tb.some((l) => new RegExp(`^\\s+at explode \\(In\\[${count}\\]:${line}:\\d+\\)$`).test(l)), tb.join("\n"));
  assert.ok(tb.includes(`Cell In[${count}], line ${line}:`), tb.join("\n"));
  assert.ok(!tb.some((l) => /dist\/kernel|node:internal/.test(l)), `engine frames are hidden:\n${tb.join("\n")}`);
});

test("an error thrown by the cell itself points at its line", async () => {
  const code = `const a = 1;\nif (a > 0) throw new Error("plain failure");`;
  const { reply, iopub } = await k.execute(code);
  assert.equal(reply.content["ename"], "Error");
  const tb = iopub.find(type("error"))!.content["traceback"] as string[];
  assert.ok(tb.some((l) => new RegExp(`In\\[${reply.content["execution_count"]}\\]:2:\\d+`).test(l)), tb.join("\n"));
});

/** Starts a long computation, waits for its progress display, interrupts it with `how`. */
async function interruptLongRun(how: () => Promise<unknown> | void) {
  const request = k.send("execute_request", { code: `await sumOf(...Array.from({ length: 8 }, (_, i) => spin(i, 5000))).compute()`, silent: false });
  await within(request.waitFor(type("display_data")), 30_000, "the run's progress display");
  const t0 = Date.now();
  await how();
  const reply = await within(request.reply, 5_000, "the interrupted cell's reply");
  await request.idle;
  return { reply, ms: reply.at - t0, iopub: request.iopub };
}

async function assertWorkersFree() {
  // Eight 5-second tasks were running on the workers: a new computation finishes at once only if they stopped.
  const t0 = Date.now();
  const { iopub } = await k.execute(`[await sumOf(spin(1, 1), spin(2, 1)).compute(), currentRuntime().store.stats().count]`);
  assert.equal(resultText(iopub), "[ 5, 0 ]", "the new run computed; no chunk of the cancelled run is left");
  assert.ok(Date.now() - t0 < 2500, `the workers were free (took ${Date.now() - t0} ms)`);
}

test("interrupt (SIGINT) cancels the running computation within a second and frees the workers", async () => {
  const { reply, ms, iopub } = await interruptLongRun(() => k.interrupt());
  assert.equal(reply.content["status"], "error");
  assert.equal(reply.content["ename"], "KernelInterrupt");
  assert.ok(ms < 1000, `reply ${ms} ms after the interrupt`);
  const final = iopub.filter(type("update_display_data")).pop()!;
  assert.match(final.content["data"]["text/plain"], /^Cancelled after/);
  await assertWorkersFree();
});

test("interrupt_request on the control channel does the same", async () => {
  let ctl: Message | undefined;
  const { reply, ms } = await interruptLongRun(async () => {
    ctl = await k.send("interrupt_request", {}, "control").reply;
  });
  assert.equal(ctl!.header.msg_type, "interrupt_reply");
  assert.equal(reply.content["ename"], "KernelInterrupt");
  assert.ok(ms < 1000, `reply ${ms} ms after the interrupt`);
  await assertWorkersFree();
});

test("restart: the old kernel exits by itself, leaving no process, port or spill file; the new one runs", async () => {
  const spill = path.join(tmp.dir, "spill");
  fs.mkdirSync(spill);
  const code = [
    `const cluster = await LocalCluster.start({ workers: 2, memoryLimit: "2MB", spillDir: ${JSON.stringify(spill)} });`,
    `const block = delayed(function block(i: number) { return new Float64Array(100_000).fill(i); });`,
    `const kept = await persist(...Array.from({ length: 8 }, (_, i) => block(i)));`,
    `cluster.runtime.store.stats().spilled > 0`,
  ].join("\n");
  const { reply, iopub } = await k.execute(code);
  assert.equal(reply.content["status"], "ok", summary(iopub));
  assert.equal(resultText(iopub), "true");
  assert.ok(iopub.some((m) => type("display_data")(m) && /LocalCluster/.test(m.content["data"]["text/html"] ?? "")), "the cell shows the cluster it started");
  assert.ok(fs.readdirSync(spill).length > 0, "chunks were spilled to disk");
  const pid = k.pid;
  const shut = k.send("shutdown_request", { restart: true }, "control");
  assert.equal((await shut.reply).content["restart"], true);
  const exit = await within(k.exited, 3000, "the kernel to exit");
  assert.deepEqual(exit, { code: 0, signal: null });
  assert.deepEqual(fs.readdirSync(spill), [], "no spill file left");
  assert.throws(() => process.kill(-pid, 0), /ESRCH/, "no process left in the kernel's group");
  for (const port of [k.conn.shell_port, k.conn.iopub_port, k.conn.control_port, k.conn.hb_port, k.conn.stdin_port]) {
    assert.ok(await portIsFree(port), `port ${port} is closed`);
  }
  const old = k;
  await old.close();
  k = await KernelClient.start(KERNEL_ARGV, { dir: path.join(tmp.dir, "run"), cwd: path.join(tmp.dir, "notebooks"), connection: { conn: old.conn, file: old.connectionFile } });
  const again = await k.execute(`import { delayed } from "tessera";\nawait delayed(function twice(x: number) { return 2 * x; })(21).compute()`);
  assert.equal(resultText(again.iopub), "42");
});
