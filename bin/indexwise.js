#!/usr/bin/env node
// Launcher: runs the compiled CLI (built by `npm run build`, which `npm install` runs through `prepare`).
import { main } from '../dist/cli/main.js';

main(process.argv).then((code) => {
  process.exitCode = code;
});
