import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DISPLAY_NAME, KernelspecError, installSpec, kernelSpec, listSpecs, specDir, uninstallSpec, userDataDir } from "../../kernel/notebook/kernelspec";

const ROOT = path.resolve(__dirname, "..", "..", "..");

test("the user data folder follows jupyter_core's rules", () => {
  assert.equal(userDataDir({ JUPYTER_DATA_DIR: "/j" }, "linux", "/home/u"), "/j");
  assert.equal(userDataDir({}, "linux", "/home/u"), "/home/u/.local/share/jupyter");
  assert.equal(userDataDir({ XDG_DATA_HOME: "/x" }, "linux", "/home/u"), "/x/jupyter");
  assert.equal(userDataDir({}, "darwin", "/Users/u"), "/Users/u/Library/Jupyter");
  assert.equal(userDataDir({ APPDATA: "C:\\AppData" }, "win32", "C:\\u"), path.join("C:\\AppData", "jupyter"));
});

test("the kernelspec starts this installation's CLI with absolute paths", () => {
  const spec = kernelSpec("/opt/tessera", "/usr/bin/node");
  assert.deepEqual(spec.argv, ["/usr/bin/node", "/opt/tessera/bin/tessera.js", "kernel", "start", "--connection-file", "{connection_file}"]);
  assert.equal(spec.display_name, DISPLAY_NAME);
  assert.equal(spec.language, "typescript");
});

test("install, list and uninstall under a prefix and in the user folder", (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tessera-spec-"));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const env = { HOME: tmp, JUPYTER_DATA_DIR: path.join(tmp, "user") };
  const dir = installSpec({ prefix: tmp }, ROOT, env);
  assert.equal(dir, path.join(tmp, "share", "jupyter", "kernels", "tessera"));
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(dir, "kernel.json"), "utf8")), kernelSpec(ROOT));
  const userDir = installSpec({ user: true }, ROOT, env);
  assert.equal(userDir, path.join(tmp, "user", "kernels", "tessera"));
  assert.deepEqual(listSpecs(env, [tmp]).map((f) => f.dir), [userDir, dir], "the user's first, as Jupyter searches");
  assert.equal(uninstallSpec({ prefix: tmp }, env), dir);
  assert.ok(!fs.existsSync(dir));
  assert.throws(() => uninstallSpec({ prefix: tmp }, env), (e: Error) => e instanceof KernelspecError && e.message.includes(`installed ones: ${userDir}`));
});

test("an unknown prefix is refused with the fix", () => {
  assert.throws(() => specDir({ prefix: "/no/such/prefix" }), /--prefix "\/no\/such\/prefix": no such folder\. Pass the prefix of the Python environment Jupyter runs in .*or use --user/);
});
