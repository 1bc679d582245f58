// The CLI as it runs under the supervisor (supervisor.ts): in a worker thread, so the main thread stays free to handle
// signals however long a synchronous stage computes. Output goes through the worker's stdout/stderr (piped by the
// supervisor); progress, cleanup registrations and "output written" events go to the supervisor as messages.

import { parentPort, workerData } from 'node:worker_threads';
import { onOutputWritten } from '../io/output-dir.js';
import { setCleanupMirror } from '../util/cleanup.js';
import type { Progress } from '../util/progress.js';
import type { CliIO } from './context.js';
import { main } from './main.js';

export type ToSupervisor =
  | { readonly type: 'cleanup-add'; readonly id: number; readonly resource: import('../util/cleanup.js').CleanupResource }
  | { readonly type: 'cleanup-remove'; readonly id: number }
  | { readonly type: 'written'; readonly target: string }
  | { readonly type: 'stage'; readonly stage: number; readonly name: string; readonly total?: number }
  | { readonly type: 'tick'; readonly stage: number; readonly n: number }
  | { readonly type: 'stage-done'; readonly stage: number }
  | { readonly type: 'exit'; readonly code: number };

const port = parentPort!;
const post = (m: ToSupervisor) => port.postMessage(m);
const data = workerData as { argv: string[]; interactive: boolean };

setCleanupMirror({ added: (id, resource) => post({ type: 'cleanup-add', id, resource }), removed: (id) => post({ type: 'cleanup-remove', id }) });
onOutputWritten((target) => post({ type: 'written', target }));

let stages = 0;
const progress: Progress = {
  stage(name, total) {
    const stage = stages++;
    post({ type: 'stage', stage, name, ...(total !== undefined ? { total } : {}) });
    return { tick: (n = 1) => post({ type: 'tick', stage, n }), done: () => post({ type: 'stage-done', stage }) };
  },
};

/** Writes and resolves once the text is handed to the stream (so 'exit' follows every line). */
function write(stream: NodeJS.WriteStream, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
}

const io: CliIO = { out: (t) => write(process.stdout, t), err: (t) => write(process.stderr, t), interactive: data.interactive, progress };
const code = await main(data.argv, io);
post({ type: 'exit', code });
