// The models and option sets whose circuits are recorded in test/golden/realization/ (see
// scripts/record-realization-golden.ts): every fixture model, with the option sets the tests use.
import { join } from 'node:path';
import { FIXTURES, MODEL_FIXTURES, ROOT } from '../helpers.js';

export const GOLDEN_DIR = join(ROOT, 'test', 'golden', 'realization');

export interface GoldenCase {
  readonly id: string;
  readonly model: string;
  readonly flags: readonly string[];
}

const OPTION_SETS: Record<string, readonly string[]> = {
  // The defaults (fan-in/fan-out 100, E96 100k..1M, R_f min-error per layer).
  default: [],
  // The transform tests' (16,16) with E24, 1% tolerance in pair selection, R_f per neuron, macro op-amps.
  fan16: ['--fan-in', '16', '--fan-out', '16', '--resistors', 'E24', '--tolerance', '0.01', '--trials', '0', '--feedback-per', 'neuron', '--opamp', 'macro'],
  // The tightest constraints the tests use, (3,5), with the patent's R_f rule and a 1 V signal limit.
  fan3x5: ['--fan-in', '3', '--fan-out', '5', '--r-feedback', 'patent', '--signal-limit', '1'],
};

export const GOLDEN_CASES: GoldenCase[] = [
  // Every model under every set, but for the largest circuits: the residual CNN (2.2 M resistors at (3,5)) keeps
  // the default set, and digits_cnn_bn (digits_cnn's weights with the batch norms kept) the default and (16,16).
  ...MODEL_FIXTURES.flatMap((m) => Object.entries(OPTION_SETS)
    .filter(([set]) => !(m === 'residual' && set !== 'default') && !(m === 'digits_cnn_bn' && set === 'fan3x5'))
    .map(([set, flags]) => ({ id: `${m}-${set}`, model: m, flags }))),
  // The approximate construction and an optimal resistor set, on the models their tests use.
  { id: 'digits_cnn-approx', model: 'digits_cnn', flags: ['--fan-in', '8', '--fan-out', '8', '--approx', '1', '--approx-method', 'svd'] },
  { id: 'iris_mlp-optimal', model: 'iris_mlp', flags: ['--resistors', 'optimal:12', '--tolerance', '0.001', '--trials', '0'] },
  { id: 'xor-e24-fixed', model: 'xor', flags: ['--resistors', 'E24', '--r-feedback', '1M'] },
];

export function goldenArgs(c: GoldenCase, out: string): string[] {
  const fx = join(FIXTURES, `${c.model}.json`);
  return ['compile', join(FIXTURES, `${c.model}.onnx`), '-o', out, '--calibration', fx, ...c.flags];
}
