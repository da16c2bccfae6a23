#!/usr/bin/env node
"use strict";
// The `tessera` command (kernel/cli, compiled into dist/).
const fs = require("node:fs");
const path = require("node:path");

const entry = path.join(__dirname, "..", "dist", "kernel", "cli", "main.js");
if (!fs.existsSync(entry)) {
  console.error(`tessera: ${entry} is missing; build Tessera first: npm run build (in ${path.dirname(__dirname)})`);
  process.exit(1);
}
require(entry)
  .main(process.argv)
  .then((code) => {
    if (code !== 0) process.exitCode = code;
  });
