// The refusals the importer can tell from the graph alone, before importing any node: ops it does not support, ops
// an analog network cannot compute exactly, and recurrent forms it does not lower. All of them are listed at once,
// in graph order and grouped by op, ahead of anything the import itself would complain about: a PyTorch export whose
// real blocker is an unsupported op must not first be told about a Transpose that torch inserted around it.

import onnxProto from 'onnx-proto';
import { SUPPORTED_ONNX_OPS } from './onnx-ops.js';
import { toNumber } from './onnx-tensor.js';

type NodeProto = onnxProto.onnx.INodeProto;

/** One node the importer refuses, and why (a clause, without the node's name). */
export interface StaticRefusal {
  readonly node: string;
  readonly op: string;
  readonly why: string;
}

/**
 * Ops that need a division by, a square root of, or a product of activations in a way a resistor network with
 * op-amps cannot compute exactly (ohmnet's analog blocks are weighted sums, piecewise-linear and fixed sigmoid-like
 * transfer functions, and multipliers of two signals).
 */
export const NOT_ANALOG_ONNX_OPS: Readonly<Record<string, string>> = {
  LayerNormalization: 'it divides each sample by the standard deviation of its own activations (a square root and a division of signals), which has no exact analog circuit',
  InstanceNormalization: 'it divides each channel by the standard deviation of its own activations (a square root and a division of signals), which has no exact analog circuit',
  GroupNormalization: 'it divides each group by the standard deviation of its own activations (a square root and a division of signals), which has no exact analog circuit',
  LpNormalization: 'it divides by a norm of the activations (a division of signals), which has no exact analog circuit',
  MeanVarianceNormalization: 'it divides by the standard deviation of the activations (a square root and a division of signals), which has no exact analog circuit',
  Sqrt: 'a square root of a signal has no exact analog circuit',
  Reciprocal: 'a reciprocal of a signal (a division) has no exact analog circuit',
  Pow: 'a power of a signal has no exact analog circuit',
  Log: 'a logarithm of a signal has no exact analog circuit in ohmnet\'s cell library',
  Exp: 'an exponential of a signal has no exact analog circuit in ohmnet\'s cell library',
  Erf: 'the error function (exact GELU) has no analog block in ohmnet\'s cell library',
  ReduceL2: 'a norm (a square root of a sum of squares) has no exact analog circuit',
  LRN: 'local response normalization divides by a power of the activations, which has no exact analog circuit',
};

/** Why a recurrent node's attributes are refused, or null (mirrors OnnxImporter.importRecurrent's checks). */
function recurrentRefusal(node: NodeProto, op: string): string | null {
  const attr = (n: string) => (node.attribute ?? []).find((a) => a.name === n);
  const direction = attr('direction');
  const dir = direction?.s && direction.s.length > 0 ? Buffer.from(direction.s).toString('utf8') : 'forward';
  if (dir !== 'forward') return `direction '${dir.slice(0, 20)}' is not supported; export a forward (unidirectional) layer: bidirectional and reverse recurrences are not lowered yet`;
  if (attr('clip')) return 'clip (cell input clipping) is not supported; export the layer without clip';
  if (op === 'LSTM' && attr('input_forget') && toNumber(attr('input_forget')!.i) !== 0) return 'input_forget = 1 (coupled input and forget gates) is not supported; export a standard LSTM (input_forget = 0)';
  const acts = attr('activations');
  const names = (acts?.strings ?? []).map((b) => Buffer.from(b).toString('utf8').toLowerCase());
  const bad = names.find((f) => !['sigmoid', 'tanh', 'relu', 'hardsigmoid'].includes(f));
  if (bad !== undefined) return `the activation ${bad.slice(0, 20)} is not supported; use Sigmoid, Tanh, Relu or HardSigmoid`;
  // HardSigmoid is the one parametric activation read (its alpha / beta; the importer checks their count).
  if ((attr('activation_alpha') || attr('activation_beta')) && !names.includes('hardsigmoid')) return 'parametric activations (activation_alpha / activation_beta) are not supported';
  const seq = node.input?.[4];
  if (seq !== undefined && seq !== null && seq !== '') return 'a sequence_lens input is not supported; export without it (every sample of a file has the same length)';
  return null;
}

/** The reason of a node whose op ohmnet does not read at all (the message then lists the ops it reads). */
export const UNSUPPORTED = 'an op ohmnet does not support';

/** Every node refused from the graph alone, in graph order; `nameOf` gives each node's unique name. */
export function staticRefusals(nodes: readonly NodeProto[], nameOf: (node: NodeProto) => string): StaticRefusal[] {
  const out: StaticRefusal[] = [];
  const supported = new Set<string>(SUPPORTED_ONNX_OPS);
  for (const node of nodes) {
    const op = node.opType ?? '';
    if (!op || op === 'Constant' && !node.domain) continue;
    const name = nameOf(node);
    if (node.domain && node.domain !== 'ai.onnx') out.push({ node: name, op, why: `an op from domain '${node.domain.slice(0, 40)}'; only the default ONNX domain is supported` });
    else if (Object.hasOwn(NOT_ANALOG_ONNX_OPS, op)) out.push({ node: name, op, why: `cannot be compiled exactly: ${NOT_ANALOG_ONNX_OPS[op]}` });
    else if (!supported.has(op)) out.push({ node: name, op, why: UNSUPPORTED });
    else if (op === 'LSTM' || op === 'GRU' || op === 'RNN') {
      const why = recurrentRefusal(node, op);
      if (why) out.push({ node: name, op, why });
    }
  }
  return out;
}

/** The refusals grouped by op and reason, in the order each group first appears. */
export function groupRefusals(list: readonly StaticRefusal[]): { op: string; why: string; nodes: string[] }[] {
  const groups = new Map<string, { op: string; why: string; nodes: string[] }>();
  for (const r of list) {
    const key = `${r.op}\u0000${r.why}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { op: r.op, why: r.why, nodes: [] }));
    g.nodes.push(r.node);
  }
  return [...groups.values()];
}
