/** The tessera command as a user runs it: exit codes and one-line errors with the fix. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const BIN = path.resolve(__dirname, "..", "..", "..", "bin", "tessera.js");
const run = (args: string[], env: NodeJS.ProcessEnv = {}) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: "utf8", env: { ...process.env, ...env } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test("kernel install --prefix writes the kernelspec; list finds it; uninstall removes it", (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-cli-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env = { JUPYTER_DATA_DIR: path.join(tmp, "user") };
  let r = run(["kernel", "install", "--prefix", tmp], env);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Installed the kernelspec "tessera" \(Tessera \(TypeScript\)\) in .*share\/jupyter\/kernels\/tessera$/m);
  r = run(["kernel", "list", "--prefix", tmp], env);
  assert.match(r.out, new RegExp(`^tessera  ${tmp}/share/jupyter/kernels/tessera  \\(${process.execPath} .*bin/tessera.js\\)$`, "m"));
  r = run(["kernel", "uninstall", "--prefix", tmp], env);
  assert.equal(r.code, 0, r.err);
  r = run(["kernel", "uninstall", "--prefix", tmp], env);
  assert.equal(r.code, 1);
  assert.match(r.err, /^tessera: no "tessera" kernelspec in /);
});

test("bad arguments exit 1 with a message naming the value and the fix", () => {
  let r = run(["kernel", "install", "--prefix", "/no/such/dir"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--prefix "\/no\/such\/dir": no such folder/);
  r = run(["kernel", "install", "--user", "--prefix", "/tmp"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /--user and --prefix \/tmp name two places: pass one of them/);
  r = run(["kernel", "frobnicate"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /unknown command 'frobnicate'/);
  r = run(["kernel", "start"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /required option '--connection-file <file>' not specified/);
  r = run(["kernel", "start", "--connection-file", "/no/such/file.json"]);
  assert.equal(r.code, 1);
  assert.match(r.err, /connection file "\/no\/such\/file.json" does not exist/);
});
