/**
 * Runtime files: written when a dashboard starts, removed when it closes
 * and when its process exits; left behind only by a killed process, and
 * then cleaned by the reader, which checks the pid.
 */
import { after, test } from "node:test";
import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DashboardServer, Runtime } from "../../kernel";
import { listDashboards, pidAlive, runtimeDir } from "../../kernel/diagnostics";
import { PROTOCOL_VERSION, parseRuntimeFile } from "../../kernel/protocol";
import { tempDir } from "./client";

const dir = tempDir("tessera-runtime-files-");
const rt = new Runtime({ workers: 1, scheduler: "sync" });
after(async () => {
  await rt.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a dashboard announces itself in <runtime dir>/<pid>.json, readable by its user only, and removes it on close", async () => {
  const d = await DashboardServer.start(rt, { runtimeDir: dir });
  const file = path.join(dir, `${process.pid}.json`);
  assert.equal(d.runtimeFile, file);
  const parsed = parseRuntimeFile(fs.readFileSync(file, "utf8"));
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.message, { url: d.link, token: d.token, pid: process.pid, startTime: d.model.info.startTime, protocol: PROTOCOL_VERSION });
  if (process.platform !== "win32") assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  const second = await DashboardServer.start(rt, { runtimeDir: dir });
  assert.equal(second.runtimeFile, path.join(dir, `${process.pid}-2.json`));
  assert.deepEqual((await listDashboards({ dir })).map((e) => e.url), [d.link, second.link]);
  await d.close();
  assert.equal(fs.existsSync(file), false);
  assert.deepEqual((await listDashboards({ dir })).map((e) => e.url), [second.link]);
  await second.close();
  assert.deepEqual(fs.readdirSync(dir), []);
});

const KERNEL = path.join(__dirname, "..", "..", "kernel");

/** A kernel process that starts a LocalCluster, prints its runtime file and link, then exits, throws, or waits. */
function kernelProcess(mode: "wait" | "exit" | "throw") {
  const code = `
    const { LocalCluster } = require(${JSON.stringify(KERNEL)});
    LocalCluster.start({ workers: 1 }).then((c) => {
      process.stdout.write(JSON.stringify({ file: c.dashboard.runtimeFile, link: c.dashboardLink }) + "\\n");
      if (${JSON.stringify(mode)} === "exit") process.exit(0);
      if (${JSON.stringify(mode)} === "throw") setImmediate(() => { throw new Error("a bug in the notebook kernel"); });
      setInterval(() => {}, 1000);
    });`;
  const child = spawn(process.execPath, ["-e", code], { env: { ...process.env, TESSERA_RUNTIME_DIR: dir }, stdio: ["ignore", "pipe", "pipe"] });
  const announced = new Promise<{ file: string; link: string }>((resolve, reject) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]!));
    });
    child.once("exit", (c) => reject(new Error(`kernel process exited (${c}) before announcing: ${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (c, signal) => resolve(c ?? (signal === null ? null : -1))));
  return { child, announced, exited };
}

test("a kernel process killed with SIGKILL leaves its file; readers ignore it and delete it", async () => {
  const k = kernelProcess("wait");
  const { file, link } = await k.announced;
  assert.equal(file, path.join(dir, `${k.child.pid}.json`));
  const live = await listDashboards({ dir });
  assert.deepEqual(live.map((e) => [e.pid, e.url]), [[k.child.pid, link]]);
  // The dashboard of another process answers with its token.
  assert.equal((await fetch(link)).status, 200);
  k.child.kill("SIGKILL");
  assert.equal(await k.exited, -1);
  assert.equal(fs.existsSync(file), true, "a killed process cannot remove its file");
  assert.equal(pidAlive(k.child.pid!), false);
  assert.deepEqual(await listDashboards({ dir, clean: false }), []);
  assert.equal(fs.existsSync(file), true, "clean: false leaves it");
  assert.deepEqual(await listDashboards({ dir }), []);
  assert.equal(fs.existsSync(file), false, "the reader deleted the stale file");
});

test("a process that exits, or dies of an uncaught error, without closing its cluster removes its file", async () => {
  const exit = kernelProcess("exit");
  const crash = kernelProcess("throw");
  const [a, b] = await Promise.all([exit.announced, crash.announced]);
  assert.equal(await exit.exited, 0);
  assert.equal(await crash.exited, 1);
  assert.equal(fs.existsSync(a.file), false);
  assert.equal(fs.existsSync(b.file), false);
});

test("the reader skips files it cannot read as runtime files, and tells why", async () => {
  const dead = spawnSync(process.execPath, ["-e", ""]).pid;
  fs.writeFileSync(path.join(dir, `${dead}.json`), JSON.stringify({ url: "http://127.0.0.1:1/?token=t", token: "t", pid: dead, startTime: 1, protocol: 1 }));
  fs.writeFileSync(path.join(dir, "123.json"), "{ half a file");
  fs.writeFileSync(path.join(dir, "456.json"), JSON.stringify({ url: "http://x", pid: 456 }));
  fs.writeFileSync(path.join(dir, "notes.txt"), "not ours");
  const problems: string[] = [];
  assert.deepEqual(await listDashboards({ dir, onProblem: (f, why) => problems.push(`${path.basename(f)}: ${why}`) }), []);
  problems.sort();
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^123\.json: not JSON \(.*position 2/);
  assert.equal(problems[1], "456.json: runtime file.token is missing");
  assert.equal(fs.existsSync(path.join(dir, `${dead}.json`)), false, "the dead process's file was deleted");
  assert.equal(fs.existsSync(path.join(dir, "123.json")), true, "files it cannot read are left alone");
  for (const f of ["123.json", "456.json", "notes.txt"]) fs.rmSync(path.join(dir, f));
  assert.deepEqual(await listDashboards({ dir: path.join(dir, "missing") }), [], "no folder: no dashboards");
});

test("the runtime folder follows each platform's convention, or TESSERA_RUNTIME_DIR", () => {
  const home = "/home/ada";
  assert.equal(runtimeDir({ TESSERA_RUNTIME_DIR: "/tmp/x" }, "linux", home), "/tmp/x");
  assert.equal(runtimeDir({ XDG_RUNTIME_DIR: "/run/user/1000" }, "linux", home), "/run/user/1000/tessera");
  assert.equal(runtimeDir({}, "linux", home), "/home/ada/.local/share/tessera/runtime");
  assert.equal(runtimeDir({ XDG_DATA_HOME: "/data" }, "linux", home), "/data/tessera/runtime");
  assert.equal(runtimeDir({}, "darwin", home), "/home/ada/Library/Application Support/tessera/runtime");
  assert.equal(runtimeDir({ APPDATA: "C:/Users/ada/AppData/Roaming" }, "win32", home), path.join("C:/Users/ada/AppData/Roaming", "tessera", "runtime"));
});
