// The structural rules onnx.checker enforces on a graph, checked before any node is imported (and before anything is
// allocated): every tensor name is assigned once (graph inputs, initializers and node outputs share one namespace,
// so a second writer cannot silently replace the first), every node input names a tensor assigned earlier, and an
// input assigned later is reported as what it is, a cycle or nodes out of topological order. Linear in the size of
// the graph: one map of producers, and Kahn's algorithm only when the order is broken.

import onnxProto from 'onnx-proto';
import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { nodeOnCycle } from '../ir/structure.js';

type GraphProto = onnxProto.onnx.IGraphProto;

/** Who assigns a tensor: the graph input, an initializer, or node k (k >= 0). */
const INPUT = -1;
const INITIALIZER = -2;

const present = (s: string | null | undefined): s is string => s !== undefined && s !== null && s !== '';

/**
 * Checks single assignment and topological order; returns the set of tensor names something reads (a node input or
 * a graph output), which tells whether a node's extra outputs (a Dropout mask, MaxPool indices) are used.
 * `nodeName(k)` names node k in messages; `initializerName(i)` names initializer i (which may lack a name).
 */
export function checkGraphStructure(g: GraphProto, nodeName: (k: number) => string, initializerName: (i: number) => string): Set<string> {
  const nodes = g.node ?? [];
  const producer = new Map<string, number>();
  const describe = (p: number) => (p === INPUT ? 'the graph input' : p === INITIALIZER ? 'an initializer' : `node '${nodeName(p)}'`);
  (g.initializer ?? []).forEach((_, i) => {
    const name = initializerName(i);
    if (producer.has(name)) throw inputError(M.duplicateTensor(name, 'an initializer', 'another initializer'));
    producer.set(name, INITIALIZER);
  });
  for (const vi of g.input ?? []) {
    const name = vi.name ?? '';
    // ONNX lets an initializer also be listed as a graph input (a default value); only two inputs clash.
    if (!present(name) || producer.get(name) === INITIALIZER) continue;
    if (producer.has(name)) throw inputError(M.duplicateTensor(name, 'the graph input', 'another graph input'));
    producer.set(name, INPUT);
  }
  for (let k = 0; k < nodes.length; k++) {
    for (const out of nodes[k].output ?? []) {
      if (!present(out)) continue;
      const p = producer.get(out);
      if (p !== undefined) throw inputError(M.duplicateTensor(out, describe(p), p === k ? 'again by the same node' : `node '${nodeName(k)}'`));
      producer.set(out, k);
    }
  }
  const consumed = new Set<string>();
  for (const o of g.output ?? []) if (present(o.name)) consumed.add(o.name);
  for (let k = 0; k < nodes.length; k++) {
    for (const input of nodes[k].input ?? []) {
      if (!present(input)) continue;
      consumed.add(input);
      const p = producer.get(input);
      if (p === undefined) throw inputError(M.undefinedInput(`node '${nodeName(k)}'`, input));
      if (p >= k) {
        const onCycle = onnxNodeOnCycle(g, producer);
        if (onCycle !== null) throw inputError(M.cycle(nodeName(onCycle)));
        throw inputError(M.outOfOrder(nodeName(k), input, nodeName(p)));
      }
    }
  }
  return consumed;
}

/** A node on a cycle of the node graph, or null if it is acyclic. */
function onnxNodeOnCycle(g: GraphProto, producer: Map<string, number>): number | null {
  const nodes = g.node ?? [];
  return nodeOnCycle(nodes.length, (k) => (nodes[k].input ?? []).filter(present).map((i) => producer.get(i) ?? INPUT).filter((p) => p >= 0));
}
