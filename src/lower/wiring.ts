// Wiring ops as index maps with no neurons: Reshape/Flatten/Squeeze/Unsqueeze (the identity on row-major data),
// Transpose, Concat and constant Pad (padded elements are constants in the affine tensor). The index maps are
// ir/kernels.ts's, the ones the reference evaluator gathers with.

import type { ConcatNode, GatherNode, PadNode, SliceNode, TransposeNode } from '../ir/ops.js';
import { concatIndex, gatherIndex, padIndex, sliceIndex, transposeIndex } from '../ir/kernels.js';
import type { Shape } from '../ir/tensor.js';
import { concatTensors, gather, type Affine } from './affine.js';

export function lowerTranspose(x: Affine, node: TransposeNode, inShape: Shape): Affine {
  return gather(x, transposeIndex(inShape, node.perm));
}

// The output shape follows from the inputs' (the `_outShape` parameters remain for to-tnet.ts's call sites).
export function lowerConcat(parts: Affine[], node: ConcatNode, shapes: Shape[], _outShape: Shape): Affine {
  return gather(concatTensors(parts), concatIndex(shapes, node.axis));
}

export function lowerPad(x: Affine, node: PadNode, inShape: Shape, _outShape: Shape): Affine {
  return gather(x, padIndex(inShape, node.pads), node.value);
}

/** Slice and Gather: the selected elements, in the selection's row-major order (the reshape after it is free). */
export function lowerSlice(x: Affine, node: SliceNode, inShape: Shape): Affine {
  return gather(x, sliceIndex(inShape, node.starts, node.ends, node.steps));
}

/** Gather along one axis by a list of indices; an index of -1 is the constant 0. */
export function lowerGather(x: Affine, node: GatherNode, inShape: Shape): Affine {
  return gather(x, gatherIndex(inShape, node.axis, node.indices), 0);
}
