// `ohmnet demo`: the README's main job. Compiles the bundled digits CNN (fixtures/digits_cnn.onnx, trained on sklearn
// digits, shipped with the package) with the demo preset (presets/demo.ts): calibrated on the 1,437 training digits,
// measured on the 360 held-out digits with their labels, Monte Carlo and SPICE included. Works offline.

import { fileURLToPath } from 'node:url';
import { importModel } from '../import/index.js';
import { prepareOutputDir, type PreparedOutput } from '../io/output-dir.js';
import { readSampleFile } from '../io/sample-file.js';
import { DEMO_FILES, DEMO_PRESET } from '../presets/demo.js';
import type { CliIO } from './context.js';
import { compileGraphCommand } from './compile.js';
import { flowOptionsFrom } from './option-table.js';

export interface DemoFlags {
  [flag: string]: unknown;
  output?: string;
  force?: boolean;
  json?: boolean;
  config?: string;
}

/** Bundled files live two levels above this module, in src/ and in dist/ alike. */
export function bundled(file: string): string {
  return fileURLToPath(new URL(`../../fixtures/${file}`, import.meta.url));
}

export async function demoCommand(flags: DemoFlags, io: CliIO): Promise<number> {
  const dir = flags.output ?? 'ohmnet-demo';
  const model = bundled(DEMO_FILES.model);
  const out = prepareOutputDir(dir, flags.force ?? false, [model, bundled(DEMO_FILES.calibration), bundled(DEMO_FILES.test)]);
  try {
    return await demoInto(out, model, flags, io);
  } finally {
    out.release();
  }
}

async function demoInto(out: PreparedOutput, model: string, flags: DemoFlags, io: CliIO): Promise<number> {
  const graph = importModel(model);
  const options = {
    ...DEMO_PRESET,
    calibration: readSampleFile(bundled(DEMO_FILES.calibration), graph.input.shape),
    test: readSampleFile(bundled(DEMO_FILES.test), graph.input.shape),
    ...flowOptionsFrom(flags, graph, ['spice']),
  };
  if (!flags.json) io.out(`ohmnet demo: compiling the bundled digits CNN (${model}) into ${out.dir}/\n`);
  const code = await compileGraphCommand(graph, model, options, { ...flags, output: out.dir, verify: true }, io, out);
  if (!flags.json) io.out(`\nopen ${out.dir}/report.html in a browser for the full report`);
  return code;
}
