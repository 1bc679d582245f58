#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`).
import { installSignalCleanup, main } from '../dist/cli/main.js';
installSignalCleanup();
main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
