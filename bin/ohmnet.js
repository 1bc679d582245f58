#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm run build` (run automatically by `npm ci` via `prepare`). It runs
// in a worker thread under a supervisor that handles signals and the terminal (dist/cli/supervisor.js).
import { supervise } from '../dist/cli/supervisor.js';
supervise(process.argv.slice(2));
