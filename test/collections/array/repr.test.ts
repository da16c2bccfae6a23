import { test } from "node:test";
import assert from "node:assert/strict";
import { MIMEBUNDLE, MimeBundle, da } from "../../../kernel";

test("text and HTML reprs show bytes, shape, chunks, graph size and dtype; SVG draws the grid", () => {
  const x = da.ones([1000, 2000], { chunks: [250, 500] }).add(1);
  const text = x.reprText();
  assert.match(text, /tessera\.array<add, shape=\[1000, 2000\], dtype=float64, chunksize=\[250, 500\]>/);
  assert.match(text, /Bytes\s+15\.3 MiB\s+977 KiB/);
  assert.match(text, /2 layers, 32 tasks\s+16 chunks in a 4 × 4 grid/);
  const bundle = (x as unknown as { [MIMEBUNDLE](): MimeBundle })[MIMEBUNDLE]();
  const html = bundle["text/html"] as string;
  assert.match(html, /<table class="tessera-repr">/);
  assert.match(html, /<svg /);
  // A 4 × 4 grid: 5 horizontal and 5 vertical lines.
  assert.equal((html.match(/<line /g) ?? []).length, 10);
  const cube = da.zeros([10, 20, 30], { chunks: [5, 10, 10] }).reprHtml();
  assert.match(cube, /<polygon/);
  assert.match(da.zeros([7]).reprHtml(), /<svg width=/);
  const masked = da.arange(10).mask(da.arange(10).gt(4));
  assert.match(masked.reprText(), /shape=\[\?\]/);
});
