// Benchmark networks built in code with seeded random weights (no large fixture files).

import type { Graph, Node } from '../src/ir/ops.js';
import { Rng } from '../src/util/random.js';

/**
 * MobileNet v1 (alpha = 1) as in Keras for a 32x32x3 input (the patent's "MobileNet 32x32 and alpha=1" for CIFAR-10):
 * conv 3x3/2 (32), then 13 depthwise-separable blocks (depthwise 3x3 + pointwise 1x1, each with batch norm and
 * ReLU6), global average pooling, dense 1024 -> 10 and softmax. "same" padding for stride 2 pads bottom/right
 * (Keras' ZeroPadding2D((0,1),(0,1))). Weights: He-normal; batch-norm statistics random but plausible.
 */
export function mobilenetV1(seed = 1, classes = 10): Graph {
  const rng = new Rng(seed);
  const nodes: Node[] = [];
  let x = 'input';
  let c = 3;
  let hw = 32;
  let k = 0;
  const he = (n: number, fanIn: number) => Float64Array.from({ length: n }, () => rng.normal() * Math.sqrt(2 / fanIn));
  const u = (n: number, lo: number, hi: number) => Float64Array.from({ length: n }, () => rng.uniform(lo, hi));
  const convBnRelu6 = (out: number, kernel: number, stride: number, group: number) => {
    const cin = c / group;
    const pad = kernel === 3 ? (stride === 1 ? [1, 1, 1, 1] : [0, 0, 1, 1]) : [0, 0, 0, 0];
    const name = `l${k++}`;
    nodes.push({
      kind: 'conv', name: `${name}/conv`, inputs: [x], output: `${name}/c`, sourceOp: 'Conv',
      weight: { shape: [out, cin, kernel, kernel], data: he(out * cin * kernel * kernel, cin * kernel * kernel) },
      bias: null, strides: [stride, stride], pads: pad, dilations: [1, 1], group,
    });
    nodes.push({ kind: 'batchnorm', name: `${name}/bn`, inputs: [`${name}/c`], output: `${name}/b`, sourceOp: 'BatchNormalization', scale: u(out, 0.5, 1.5), bias: u(out, -0.1, 0.1), mean: u(out, -0.1, 0.1), variance: u(out, 0.5, 1.5), epsilon: 1e-3 });
    nodes.push({ kind: 'activation', name: `${name}/relu6`, inputs: [`${name}/b`], output: `${name}/r`, sourceOp: 'Clip', fn: { type: 'clip', min: 0, max: 6 } });
    x = `${name}/r`;
    c = out;
    hw = Math.ceil(hw / stride);
  };
  convBnRelu6(32, 3, 2, 1);
  const blocks: [number, number][] = [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]];
  for (const [out, stride] of blocks) {
    convBnRelu6(c, 3, stride, c);
    convBnRelu6(out, 1, 1, 1);
  }
  nodes.push({ kind: 'reducemean', name: 'gap', inputs: [x], output: 'gap', sourceOp: 'GlobalAveragePool', axes: [1, 2], keepDims: true });
  nodes.push({ kind: 'reshape', name: 'flatten', inputs: ['gap'], output: 'flat', sourceOp: 'Flatten', shape: [c] });
  nodes.push({ kind: 'dense', name: 'fc', inputs: ['flat'], output: 'logits', sourceOp: 'Gemm', weight: { shape: [classes, c], data: he(classes * c, c) }, bias: u(classes, -0.1, 0.1) });
  nodes.push({ kind: 'softmax', name: 'softmax', inputs: ['logits'], output: 'probs', sourceOp: 'Softmax', axes: [0] });
  void hw;
  return { name: 'mobilenet_v1_32', origin: 'bench/models.ts (random weights)', input: { name: 'input', shape: [3, 32, 32] }, output: 'probs', nodes };
}

/**
 * Binas et al.'s MNIST network shape, 196-100-50-10 with ReLU (25,100 MACs; 14x14 inputs), with He-normal random
 * weights: not trained, so its outputs mean nothing, but its size, fan-in and signal levels are those of the network
 * whose 0.12 pJ per operation ohmnet's figures are set beside.
 */
export function binasMlp(seed = 1): Graph {
  const rng = new Rng(seed);
  const sizes = [196, 100, 50, 10];
  const nodes: Node[] = [];
  let x = 'input';
  for (let l = 0; l + 1 < sizes.length; l++) {
    const [inn, out] = [sizes[l], sizes[l + 1]];
    const y = `d${l}`;
    nodes.push({ kind: 'dense', name: y, inputs: [x], output: y, sourceOp: 'Gemm', weight: { shape: [out, inn], data: Float64Array.from({ length: out * inn }, () => rng.normal() * Math.sqrt(2 / inn)) }, bias: Float64Array.from({ length: out }, () => rng.uniform(-0.05, 0.05)) });
    x = y;
    if (l + 2 < sizes.length) {
      nodes.push({ kind: 'activation', name: `r${l}`, inputs: [x], output: `r${l}`, sourceOp: 'Relu', fn: { type: 'relu' } });
      x = `r${l}`;
    }
  }
  return { name: 'binas_mlp_196_100_50_10', origin: 'bench/models.ts (random weights)', input: { name: 'input', shape: [196] }, output: x, nodes };
}
