// torchvision architectures with random weights at 32x32 (issue 19): import, the float64 reference against torch's
// float64 outputs, compile with the default options, and the compiled network against the reference.
//
//   apt-get install -y python3-torchvision && /usr/bin/python3 bench/torchvision/export.py   # writes /tmp/ohmnet-torchvision
//   npx tsc -p tsconfig.build.json && npx tsx bench/torchvision.ts [DIR [ARCH,ARCH...]]
//
// Prints one row per architecture (docs/benchmarks.md). "exact" means the compiled T-network agrees with ohmnet's
// float64 reference within 1e-9 relative to the output scale on the 4 inputs (the bar); the reference agrees
// with torch (float64 module, float32 weights) within the figure shown.

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus } from 'node:os';
import { importModel } from '../dist/import/index.js';
import { evaluate } from '../dist/reference/evaluate.js';
import { evaluateTnet } from '../dist/tnet/evaluate.js';
import { tnetStats } from '../dist/tnet/stats.js';
import { compileGraph } from '../dist/transform/pipeline.js';

const dir = process.argv[2] ?? '/tmp/ohmnet-torchvision';
const ARCHS = (process.argv[3] ?? 'mobilenet_v3_small,efficientnet_b0,shufflenet_v2_x0_5,resnet18,mobilenet_v2,mnasnet0_5,regnet_x_400mf,squeezenet1_1,googlenet,vit_tiny,convnext_tiny').split(',');

function relErr(a: ArrayLike<number>[], b: ArrayLike<number>[]): number {
  let scale = 1e-300;
  let err = 0;
  for (let s = 0; s < a.length; s++) {
    for (let i = 0; i < a[s].length; i++) {
      scale = Math.max(scale, Math.abs(b[s][i]));
      err = Math.max(err, Math.abs(a[s][i] - b[s][i]));
    }
  }
  return err / scale;
}

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), ${new Date().toISOString().slice(0, 10)}`);
console.log('| architecture | ops (source) | IR nodes | parameters | reference vs torch | neurons | multipliers | compiled vs reference | verdict | import s | compile s |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const arch of ARCHS) {
  const file = join(dir, `${arch}.onnx`);
  if (!existsSync(file)) {
    console.log(`| ${arch} | (missing: run bench/torchvision/export.py) |`);
    continue;
  }
  const ref = JSON.parse(readFileSync(join(dir, `${arch}.json`), 'utf8')) as { inputs: number[][]; outputs: number[][] };
  let t = performance.now();
  let graph;
  try {
    graph = importModel(file);
  } catch (e) {
    console.log(`| ${arch} | refused: ${(e as Error).message.slice(0, 200)} |`);
    continue;
  }
  const importS = (performance.now() - t) / 1000;
  const ops = [...new Set(graph.nodes.map((n) => n.sourceOp))].sort().join(', ');
  const params = graph.nodes.reduce((s, n) => s + ('weight' in n ? n.weight.data.length : 0), 0);
  const out = evaluate(graph, ref.inputs).outputs;
  const vsTorch = relErr(out, ref.outputs);
  t = performance.now();
  const c = compileGraph(graph, { calibration: ref.inputs });
  const compileS = (performance.now() - t) / 1000;
  const st = tnetStats(c.tnet);
  const vsRef = relErr(evaluateTnet(c.tnet, ref.inputs).outputs, out);
  console.log(`| ${arch} | ${ops} | ${graph.nodes.length} | ${params.toLocaleString('en-US')} | ${vsTorch.toExponential(1)} | ${st.neurons.toLocaleString('en-US')} | ${(st.blocks.multiplier ?? 0).toLocaleString('en-US')} | ${vsRef.toExponential(1)} | ${vsRef <= 1e-9 ? 'exact' : 'NOT exact'} | ${importS.toFixed(1)} | ${compileS.toFixed(1)} |`);
}
