// Append-only construction of T-network neuron arrays with amortized growth. Passes that rebuild a network (fan-in
// trees, fan-out trees) append neurons in the new topological order and call finish().

import { BLOCK } from './blocks.js';
import type { NeuronArrays } from './types.js';

class Grow<T extends Float64Array | Int32Array | Uint8Array> {
  data: T;
  length = 0;
  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.data = make(capacity);
  }
  reserve(extra: number): void {
    const need = this.length + extra;
    if (need <= this.data.length) return;
    let cap = this.data.length * 2;
    while (cap < need) cap *= 2;
    const next = this.make(cap);
    next.set(this.data.subarray(0, this.length) as never);
    this.data = next;
  }
  push(v: number): void {
    if (this.length === this.data.length) this.reserve(1);
    this.data[this.length++] = v;
  }
  done(): T {
    return this.data.slice(0, this.length) as T;
  }
}

export interface NeuronSpec {
  /** BLOCK code (default: a summing neuron). */
  block?: number;
  activation: number;
  paramA?: number;
  paramB?: number;
  bias: number;
  role: number;
  origin: number;
  unit: number;
}

export class NeuronBuilder {
  private readonly block = new Grow((n) => new Uint8Array(n));
  private readonly activation = new Grow((n) => new Uint8Array(n));
  private readonly paramA = new Grow((n) => new Float64Array(n));
  private readonly paramB = new Grow((n) => new Float64Array(n));
  private readonly bias = new Grow((n) => new Float64Array(n));
  private readonly role = new Grow((n) => new Uint8Array(n));
  private readonly origin = new Grow((n) => new Int32Array(n));
  private readonly unit = new Grow((n) => new Int32Array(n));
  private readonly rowPtr = new Grow((n) => new Int32Array(n));
  private readonly src = new Grow((n) => new Int32Array(n), 4096);
  private readonly weight = new Grow((n) => new Float64Array(n), 4096);

  constructor(readonly inputCount: number) {
    this.rowPtr.push(0);
  }

  get count(): number {
    return this.activation.length;
  }

  /** Appends a neuron; `srcs[i]` are signal ids (< inputCount + count). Returns the neuron's signal id. */
  add(spec: NeuronSpec, srcs: ArrayLike<number>, weights: ArrayLike<number>, from = 0, to = srcs.length): number {
    const n = to - from;
    this.src.reserve(n);
    this.weight.reserve(n);
    for (let k = from; k < to; k++) {
      this.src.data[this.src.length++] = srcs[k];
      this.weight.data[this.weight.length++] = weights[k];
    }
    this.rowPtr.push(this.src.length);
    this.block.push(spec.block ?? BLOCK.neuron);
    this.activation.push(spec.activation);
    this.paramA.push(spec.paramA ?? 0);
    this.paramB.push(spec.paramB ?? 0);
    this.bias.push(spec.bias);
    this.role.push(spec.role);
    this.origin.push(spec.origin);
    this.unit.push(spec.unit);
    return this.inputCount + this.count - 1;
  }

  /** Connections appended so far: the index the next row's first connection gets. */
  get edgeCount(): number {
    return this.src.length;
  }

  /**
   * Sets the source of an appended connection. A rebuilding pass copies a delay (which reads a signal later in the
   * order) before its source has a new id, and sets the source once it has.
   */
  setSource(edge: number, signal: number): void {
    if (!(edge >= 0 && edge < this.src.length)) throw new Error(`connection ${edge} does not exist`);
    this.src.data[edge] = signal;
  }

  /** Copies neuron i of an existing network, with sources remapped and optionally a new row. */
  copyFrom(n: NeuronArrays, i: number, srcs: ArrayLike<number>, weights: ArrayLike<number>, from: number, to: number): number {
    return this.add(
      { block: n.block[i], activation: n.activation[i], paramA: n.paramA[i], paramB: n.paramB[i], bias: n.bias[i], role: n.role[i], origin: n.origin[i], unit: n.unit[i] },
      srcs, weights, from, to,
    );
  }

  finish(): NeuronArrays {
    return {
      count: this.count,
      block: this.block.done(),
      activation: this.activation.done(),
      paramA: this.paramA.done(),
      paramB: this.paramB.done(),
      bias: this.bias.done(),
      rowPtr: this.rowPtr.done(),
      src: this.src.done(),
      weight: this.weight.done(),
      role: this.role.done(),
      origin: this.origin.done(),
      unit: this.unit.done(),
    };
  }
}
