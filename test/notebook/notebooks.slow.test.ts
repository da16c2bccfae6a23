/**
 * Every examples/*.ipynb, executed end to end by a real Jupyter client
 * (nbconvert) on the Tessera kernel, then checked against the expectations
 * its cells carry (notebook-check.ts). A notebook added to examples/ is
 * tested here without any change to this file.
 */
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import * as path from "node:path";
import { checkNotebook } from "./notebook-check";
import { Workspace, exampleNotebooks, executeNotebook, workspace } from "./nbconvert";

let ws: Workspace;

before(async () => {
  ws = await workspace();
});

after(() => ws?.remove());

const notebooks = exampleNotebooks();

test("there are example notebooks to run", () => {
  assert.ok(notebooks.length >= 5, `found ${notebooks.length}`);
});

for (const nb of notebooks) {
  test(`examples/${path.basename(nb)} runs end to end with the outputs its cells expect`, async () => {
    const out = await executeNotebook(ws, nb);
    const { problems, checked } = checkNotebook(out);
    assert.deepEqual(problems, []);
    assert.ok(checked > 0, "the notebook states what its cells must show (metadata.tessera.expect)");
  });
}
