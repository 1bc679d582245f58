// Wiring ops as index maps with no neurons: Reshape/Flatten/Squeeze/Unsqueeze (the identity on row-major data),
// Transpose, Concat and constant Pad (padded elements are constants in the affine tensor).

import type { ConcatNode, PadNode, TransposeNode } from '../ir/ops.js';
import { sizeOf, stridesOf, type Shape } from '../ir/tensor.js';
import { concatTensors, gather, type Affine } from './affine.js';

export function transposeIndex(node: TransposeNode, inShape: Shape): Int32Array {
  const outShape = node.perm.map((p) => inShape[p]);
  const xs = stridesOf(inShape);
  const ys = stridesOf(outShape);
  const idx = new Int32Array(sizeOf(outShape));
  for (let j = 0; j < idx.length; j++) {
    let src = 0;
    for (let a = 0; a < outShape.length; a++) src += (Math.floor(j / ys[a]) % outShape[a]) * xs[node.perm[a]];
    idx[j] = src;
  }
  return idx;
}

export function lowerTranspose(x: Affine, node: TransposeNode, inShape: Shape): Affine {
  return gather(x, transposeIndex(node, inShape));
}

export function lowerConcat(parts: Affine[], node: ConcatNode, shapes: Shape[], outShape: Shape): Affine {
  const all = concatTensors(parts);
  const outer = sizeOf(outShape.slice(0, node.axis));
  const inner = sizeOf(outShape.slice(node.axis + 1));
  const idx = new Int32Array(sizeOf(outShape));
  let base = 0;
  let offset = 0;
  for (let t = 0; t < parts.length; t++) {
    const block = shapes[t][node.axis] * inner;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < block; j++) idx[o * outShape[node.axis] * inner + offset + j] = base + o * block + j;
    }
    base += parts[t].size;
    offset += block;
  }
  return gather(all, idx);
}

export function lowerPad(x: Affine, node: PadNode, inShape: Shape, outShape: Shape): Affine {
  const idx = new Int32Array(sizeOf(outShape)).fill(-1);
  const xs = stridesOf(inShape);
  const ys = stridesOf(outShape);
  for (let i = 0; i < x.size; i++) {
    let dst = 0;
    for (let a = 0; a < inShape.length; a++) dst += (Math.floor(i / xs[a]) % inShape[a] + node.pads[a]) * ys[a];
    idx[dst] = i;
  }
  return gather(x, idx, node.value);
}
