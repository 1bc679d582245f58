// tnet.json: the T-network in full (format in docs/formats.md#tnetjson). Written as a stream: a MobileNet-sized
// network has ~10^7 connections, more than one JavaScript string can hold. Numbers use JavaScript's shortest
// round-trip form, so reading the file back gives the same float64 values and the same file twice is byte-identical.

import { checkTnetShape } from '../tnet/verify.js';
import { readFileSync } from 'node:fs';
import { BufferedFileWriter } from './stream.js';
import { inputError, isOhmnetError } from '../errors.js';
import { TNET_MESSAGES as TNM } from '../messages/index.js';
import { BLOCKS } from '../tnet/blocks.js';
import { ACTIVATIONS, ROLES, type Clock, type Origin, type TNet } from '../tnet/types.js';
import { TnetInvariantError, verifyTnet } from '../tnet/verify.js';

export const TNET_FORMAT = 'ohmnet-tnet';
/** Version 2 adds block kinds (`neurons.block`, `blockCodes`) and the clock; version 1 files (all summing neurons,
 * no clock) are still read. */
export const TNET_FORMAT_VERSION = 2;

function writeArray(o: BufferedFileWriter, values: ArrayLike<number>): void {
  o.write('[');
  for (let i = 0; i < values.length; i++) o.write(i === 0 ? String(values[i]) : `,${values[i]}`);
  o.write(']');
}

/** Writes the T-network as JSON to `path` (callers give a temporary path and rename it into place). */
export function writeTnetJson(path: string, net: TNet): void {
  checkTnetShape(net);
  const o = new BufferedFileWriter(path);
  try {
    const n = net.neurons;
    const head = {
      format: TNET_FORMAT,
      version: TNET_FORMAT_VERSION,
      inputShape: net.inputShape,
      inputCount: net.inputCount,
      inputGain: net.inputGain,
      railV: net.railV,
      clock: net.clock,
      outputShape: net.outputShape,
      tail: net.tail,
      origins: net.origins,
      blockCodes: BLOCKS,
      activationCodes: ACTIVATIONS,
      roleCodes: ROLES,
    };
    o.write(JSON.stringify(head).slice(0, -1));
    o.write(',"outputs":{"signal":');
    writeArray(o, net.outputSignal);
    o.write(',"scale":');
    writeArray(o, net.outputScale);
    o.write(`},"neurons":{"count":${n.count}`);
    const fields: [string, ArrayLike<number>][] = [
      ['block', n.block], ['activation', n.activation], ['paramA', n.paramA], ['paramB', n.paramB], ['bias', n.bias], ['role', n.role],
      ['origin', n.origin], ['unit', n.unit], ['rowPtr', n.rowPtr], ['src', n.src], ['weight', n.weight],
    ];
    for (const [name, arr] of fields) {
      o.write(`,"${name}":`);
      writeArray(o, arr);
    }
    o.write('}}\n');
  } finally {
    o.close();
  }
}

/** Reads a tnet.json back (for tools and tests): every field is checked for type and consistency, and the network
 * is verified (tnet/verify.ts), so a damaged or hand-edited file is refused with a message naming the field. */
export function readTnetJson(path: string): TNet {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''));
  } catch (e) {
    throw inputError(TNM.notJson(path, (e as Error).message));
  }
  try {
    const net = tnetFromDocument(doc);
    verifyTnet(net);
    return net;
  } catch (e) {
    if (e instanceof TnetInvariantError) throw inputError(TNM.inconsistent(path, e.message));
    if (isOhmnetError(e)) throw inputError(TNM.inFile(path, e.message));
    throw e;
  }
}

function field(o: Record<string, unknown>, key: string): unknown {
  if (!(key in o)) throw inputError(TNM.fieldMissing(key, TNET_FORMAT));
  return o[key];
}

function object(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw inputError(TNM.notObject(what));
  return v as Record<string, unknown>;
}

function numbers(v: unknown, what: string, length: number | null, check: (x: number) => boolean, kind: string): number[] {
  if (!Array.isArray(v)) throw inputError(TNM.notNumberArray(what));
  if (length !== null && v.length !== length) throw inputError(TNM.wrongLength(what, v.length, length));
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as unknown;
    if (typeof x !== 'number' || !check(x)) throw inputError(TNM.badEntry(what, i, x, kind));
  }
  return v as number[];
}

const finite = (x: number) => Number.isFinite(x);
const int = (lo: number, hi: number) => (x: number) => Number.isInteger(x) && x >= lo && x <= hi;

function shape(v: unknown, what: string): number[] {
  return numbers(v, what, null, int(1, 2 ** 31), 'a positive integer');
}

function tnetFromDocument(raw: unknown): TNet {
  const doc = object(raw, 'the file');
  const version = doc.version;
  if (doc.format !== TNET_FORMAT || (version !== 1 && version !== 2)) throw inputError(TNM.notFormat(TNET_FORMAT));
  const inputShape = shape(field(doc, 'inputShape'), 'inputShape');
  const inputCount = numbers([field(doc, 'inputCount')], 'inputCount', 1, int(1, 2 ** 31), 'a positive integer')[0];
  const inputGain = numbers([field(doc, 'inputGain')], 'inputGain', 1, (x) => x > 0 && finite(x), 'a positive number')[0];
  const railRaw = field(doc, 'railV');
  const railV = railRaw === null ? null : numbers([railRaw], 'railV', 1, (x) => x > 0 && finite(x), 'a positive number')[0];
  let clock: Clock | null = null;
  if (version === 2 && doc.clock !== null && doc.clock !== undefined) {
    const c = object(doc.clock, 'clock');
    const ticks = numbers([field(c, 'ticks')], 'clock.ticks', 1, int(1, 2 ** 31), 'a positive integer')[0];
    const readTicks = numbers(field(c, 'readTicks'), 'clock.readTicks', null, int(0, ticks - 1), `a tick from 0 to ${ticks - 1}`);
    readTicks.forEach((t, k) => {
      if (k > 0 && t <= readTicks[k - 1]) throw inputError(TNM.readTicksOrder());
    });
    clock = { ticks, readTicks };
  }
  const inSize = inputShape.reduce((a, b) => a * b, 1);
  if (inSize !== inputCount * (clock?.ticks ?? 1)) throw inputError(TNM.inputShapeSize(inputShape, inSize, inputCount * (clock?.ticks ?? 1)));
  const outputShape = shape(field(doc, 'outputShape'), 'outputShape');
  const tailRaw = field(doc, 'tail');
  let tail: TNet['tail'] = null;
  if (tailRaw !== null) {
    const t = object(tailRaw, 'tail');
    if (t.kind !== 'softmax') throw inputError(TNM.badTailKind(t.kind));
    tail = { kind: 'softmax', axes: numbers(t.axes, 'tail.axes', null, int(0, outputShape.length - 1), 'an axis of outputShape') };
  }
  const originsRaw = field(doc, 'origins');
  if (!Array.isArray(originsRaw)) throw inputError(TNM.originsNotArray());
  const origins: Origin[] = originsRaw.map((o, k) => {
    const r = object(o, `origins[${k}]`);
    if (typeof r.name !== 'string' || typeof r.op !== 'string') throw inputError(TNM.badOrigin(k));
    if (r.fusedInto !== undefined) numbers([r.fusedInto], `origins[${k}].fusedInto`, 1, int(0, originsRaw.length - 1), 'an origin index');
    const base: Origin = r.fusedInto === undefined ? { name: r.name, op: r.op } : { name: r.name, op: r.op, fusedInto: r.fusedInto as number };
    if (r.parts === undefined) return base;
    const parts = object(r.parts, `origins[${k}].parts`);
    const units = numbers([parts.units], `origins[${k}].parts.units`, 1, int(1, 2 ** 31), 'a unit count')[0];
    if (!Array.isArray(parts.names) || !parts.names.every((x) => typeof x === 'string')) throw inputError(TNM.badOrigin(k));
    return { ...base, parts: { names: parts.names as string[], units } };
  });
  const outputs = object(field(doc, 'outputs'), 'outputs');
  const n = object(field(doc, 'neurons'), 'neurons');
  const count = numbers([field(n, 'count')], 'neurons.count', 1, int(0, 2 ** 31), 'a neuron count')[0];
  const signals = inputCount + count;
  const outputSignal = numbers(field(outputs, 'signal'), 'outputs.signal', null, int(0, signals - 1), 'a signal id');
  const outputScale = numbers(field(outputs, 'scale'), 'outputs.scale', outputSignal.length, finite, 'a finite number');
  const outSize = outputShape.reduce((a, b) => a * b, 1);
  if (outSize !== outputSignal.length * (clock?.readTicks.length ?? 1)) throw inputError(TNM.outputShapeSize(outputShape, outSize, outputSignal.length * (clock?.readTicks.length ?? 1)));
  const rowPtr = numbers(field(n, 'rowPtr'), 'neurons.rowPtr', count + 1, int(0, 2 ** 31), 'a row offset');
  const E = rowPtr[count];
  const perNeuron = (key: string, check: (x: number) => boolean, kind: string) => numbers(field(n, key), `neurons.${key}`, count, check, kind);
  const block = version === 2 ? perNeuron('block', int(0, BLOCKS.length - 1), 'a block code') : new Array<number>(count).fill(0);
  return {
    inputShape, inputCount, inputGain, railV, clock, outputShape, tail, origins,
    outputSignal: Int32Array.from(outputSignal),
    outputScale: Float64Array.from(outputScale),
    neurons: {
      count,
      block: Uint8Array.from(block),
      activation: Uint8Array.from(perNeuron('activation', int(0, ACTIVATIONS.length - 1), 'an activation code')),
      paramA: Float64Array.from(perNeuron('paramA', finite, 'a finite number')),
      paramB: Float64Array.from(perNeuron('paramB', finite, 'a finite number')),
      bias: Float64Array.from(perNeuron('bias', finite, 'a finite number')),
      role: Uint8Array.from(perNeuron('role', int(0, ROLES.length - 1), 'a role code')),
      origin: Int32Array.from(perNeuron('origin', int(-1, origins.length - 1), 'an origin index or -1')),
      unit: Int32Array.from(perNeuron('unit', int(-1, 2 ** 31), 'a unit index or -1')),
      rowPtr: Int32Array.from(rowPtr),
      src: Int32Array.from(numbers(field(n, 'src'), 'neurons.src', E, int(0, signals - 1), 'a signal id')),
      weight: Float64Array.from(numbers(field(n, 'weight'), 'neurons.weight', E, finite, 'a finite number')),
    },
  };
}
