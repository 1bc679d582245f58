// The installed binary's main thread (bin/ohmnet.js): runs the CLI in a worker thread (worker.ts) and stays idle, so
// Ctrl-C, SIGTERM and SIGHUP act at once even while a synchronous stage computes for minutes (issue 20, item 6). On a
// signal it stops the worker, undoes what the worker registered (child process groups such as ngspice, temporary
// files and directories, the output lock), prints one true line and exits 128 + the signal number. It also owns the
// terminal: progress bars are drawn here from the worker's messages, and a closed or full standard output is one
// line and exit 2, not a stack trace (item 9).

import { Worker } from 'node:worker_threads';
import { EXIT } from '../errors.js';
import { releaseResource, type CleanupResource } from '../util/cleanup.js';
import type { StageProgress } from '../util/progress.js';
import { interruptedMessage, SIGNAL_EXIT } from './signals.js';
import { terminalProgress } from './progress.js';
import type { ToSupervisor } from './worker.js';

function workerUrl(): URL {
  const here = new URL(import.meta.url);
  return new URL(here.pathname.endsWith('.ts') ? './worker.ts' : './worker.js', here);
}

export function supervise(argv: string[]): void {
  let worker: Worker | null = null;
  const resources = new Map<number, CleanupResource>();
  const bars = new Map<number, StageProgress>();
  const progress = terminalProgress(process.stderr);
  // OHMNET_PROGRESS_LOG=1: one line per stage on stderr, terminal or not (for scripts and the interrupt tests).
  const log = process.env.OHMNET_PROGRESS_LOG === '1';
  let written: string | null = null;
  let code: number | null = null;
  let finishing = false;

  const cleanup = () => {
    for (const r of [...resources.values()].reverse()) releaseResource(r);
    resources.clear();
  };
  const finish = (exitCode: number, line?: string) => {
    if (finishing) return;
    finishing = true;
    void (worker?.terminate() ?? Promise.resolve()).finally(() => {
      cleanup();
      if (line) process.stderr.write(`${line}\n`);
      process.exit(exitCode);
    });
    // A worker blocked in a system call cannot be terminated at once: do not wait for it longer than a second.
    setTimeout(() => {
      cleanup();
      if (line) process.stderr.write(`${line}\n`);
      process.exit(exitCode);
    }, 1000).unref();
  };

  // Handlers first: a signal that arrives while the worker starts is handled too.
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(sig, () => finish(SIGNAL_EXIT[sig], interruptedMessage(sig, written)));
  const w = new Worker(workerUrl(), { workerData: { argv, interactive: Boolean(process.stderr.isTTY) || process.env.OHMNET_PROGRESS_LOG === '1' }, stdout: true, stderr: true });
  worker = w;
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    finish(EXIT.badInput, `ohmnet: error: cannot write to standard output: ${e.code === 'EPIPE' ? 'the reader closed the pipe' : e.code === 'ENOSPC' ? 'no space left on the device' : e.message} (${e.code ?? 'error'})`);
  });
  w.stdout.pipe(process.stdout);
  w.stderr.pipe(process.stderr);

  w.on('message', (m: ToSupervisor) => {
    switch (m.type) {
      case 'cleanup-add':
        resources.set(m.id, m.resource);
        return;
      case 'cleanup-remove':
        resources.delete(m.id);
        return;
      case 'written':
        written = m.target;
        return;
      case 'stage':
        if (log) process.stderr.write(`ohmnet: stage ${m.name}\n`);
        if (process.stderr.isTTY) bars.set(m.stage, progress.stage(m.name, m.total));
        return;
      case 'tick':
        bars.get(m.stage)?.tick(m.n);
        return;
      case 'stage-done':
        bars.get(m.stage)?.done();
        bars.delete(m.stage);
        return;
      case 'exit':
        code = m.code;
        return;
    }
  });
  w.on('error', (e) => {
    const debug = process.env.OHMNET_DEBUG === '1';
    finish(EXIT.internal, `ohmnet: internal error: ${e?.message ?? String(e)} (this is a bug in ohmnet; rerun with OHMNET_DEBUG=1 for details and please report it)${debug && e.stack ? `\n${e.stack}` : ''}`);
  });
  w.on('exit', (exitCode) => {
    if (finishing) return;
    cleanup();
    // Let the piped output drain before the process ends.
    const done = () => {
      process.exitCode = code ?? (exitCode === 0 ? EXIT.ok : EXIT.internal);
    };
    let pending = 2;
    const one = () => (--pending === 0 ? done() : undefined);
    for (const stream of [w.stdout, w.stderr]) {
      if (stream.readableEnded) one();
      else stream.once('end', one);
    }
  });
}
