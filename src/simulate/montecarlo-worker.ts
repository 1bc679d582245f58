// Worker thread for Monte Carlo: runs trials [from, to) and posts their figures back.

import { parentPort, workerData } from 'node:worker_threads';
import type { Realized } from '../realize/realize.js';
import { runTrial, type ErrorFigures, type TrialSpec } from './realized.js';

const d = workerData as { realized: Realized; samples: Float64Array[]; reference: Float64Array[]; from: number; to: number; spec: TrialSpec };
const results: ErrorFigures[] = [];
for (let t = d.from; t < d.to; t++) {
  results.push(runTrial(d.realized, d.samples, d.reference, t, d.spec));
  parentPort!.postMessage({ trial: true });
}
parentPort!.postMessage({ results });
