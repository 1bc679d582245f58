// The options of the golden scheduler files (test/scale/golden/, scripts/golden-submit.ts).
import type { SubmitOptions } from '../../src/scale/submit.js';

export const GOLDEN_OPTIONS: SubmitOptions = {
  job: ['run', 'models/iris mlp.onnx', '--inputs', 'test.json', '--stage', 'realized', '--tolerance', '0.01', '--trials', '200', '--seed', '7'],
  shards: 8, dir: '/shared/ohmnet-job', partition: 'cpu', account: 'chipteam', timeLimit: '01:00:00',
  image: 'registry.example.com/ohmnet:0.1', pvc: 'ohmnet-work', parallelism: 4,
};
