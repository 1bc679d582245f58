// `ohmnet demo`: the README's main job. Compiles the bundled digits CNN (fixtures/digits_cnn.onnx, trained on sklearn
// digits, shipped with the package) with sensible options, calibrated and measured on the 360 held-out digits
// (fixtures/digits_test.json): fan-in and fan-out 32, signal limit 5 V, E96 resistors over 100k..1M, 1% resistor
// tolerance with 50 Monte Carlo trials, and SPICE verification of 20 samples. Works offline on a fresh install.

import { fileURLToPath } from 'node:url';
import type { CliIO } from './context.js';
import { compileCommand, type CompileCommandFlags } from './compile.js';
import type { SpiceFlags } from './compile-flags.js';

export interface DemoFlags extends SpiceFlags {
  output?: string;
  force?: boolean;
  json?: boolean;
  config?: string;
}

/** Bundled files live two levels above this module, in src/ and in dist/ alike. */
export function bundled(file: string): string {
  return fileURLToPath(new URL(`../../fixtures/${file}`, import.meta.url));
}

export const DEMO_OPTIONS: Readonly<CompileCommandFlags> = {
  fanIn: '32',
  fanOut: '32',
  signalLimit: '5',
  resistors: 'E96',
  rMin: '100k',
  rMax: '1M',
  tolerance: '0.01',
  trials: '50',
  verify: true,
  samples: '20',
};

export async function demoCommand(flags: DemoFlags, io: CliIO): Promise<number> {
  const out = flags.output ?? 'ohmnet-demo';
  const options: CompileCommandFlags = {
    ...DEMO_OPTIONS,
    calibration: bundled('digits_test.json'),
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
    output: out,
  };
  if (!flags.json) io.out(`ohmnet demo: compiling the bundled digits CNN (${bundled('digits_cnn.onnx')}) into ${out}/\n`);
  const code = await compileCommand(bundled('digits_cnn.onnx'), options, io);
  if (!flags.json) io.out(`\nopen ${out}/report.html in a browser for the full report`);
  return code;
}
