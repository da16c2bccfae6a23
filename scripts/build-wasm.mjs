// Assembles every kernel/**/*.wat into dist/kernel/**/*.wasm with wabt (the WebAssembly
// Binary Toolkit, compiled to JS): the WebAssembly kernels are written as text and shipped
// as bytes next to the compiled TypeScript that loads them.
import { readdirSync, readFileSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import initWabt from "wabt";

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "..");

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith(".wat") ? [p] : [];
  });
}

const wabt = await initWabt();
for (const file of walk(path.join(root, "kernel"))) {
  const rel = path.relative(root, file);
  const mod = wabt.parseWat(rel, readFileSync(file, "utf8"), { simd: true });
  try {
    mod.validate();
    const { buffer } = mod.toBinary({});
    const out = path.join(root, "dist", rel.replace(/\.wat$/, ".wasm"));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, buffer);
  } finally {
    mod.destroy();
  }
}
