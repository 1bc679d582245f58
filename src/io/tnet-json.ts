// tnet.json: the T-network in full (format in docs/formats.md#tnetjson). Written as a stream: a MobileNet-sized
// network has ~10^7 connections, more than one JavaScript string can hold. Numbers use JavaScript's shortest
// round-trip form, so reading the file back gives the same float64 values and the same file twice is byte-identical.

import { readFileSync } from 'node:fs';
import { BufferedFileWriter } from './stream.js';
import { inputError } from '../errors.js';
import { ACTIVATIONS, ROLES, type TNet } from '../tnet/types.js';
import { verifyTnet } from '../tnet/verify.js';

export const TNET_FORMAT = 'ohmnet-tnet';
export const TNET_FORMAT_VERSION = 1;

function writeArray(o: BufferedFileWriter, values: ArrayLike<number>): void {
  o.write('[');
  for (let i = 0; i < values.length; i++) o.write(i === 0 ? String(values[i]) : `,${values[i]}`);
  o.write(']');
}

/** Writes the T-network as JSON to `path` (callers give a temporary path and rename it into place). */
export function writeTnetJson(path: string, net: TNet): void {
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
      outputShape: net.outputShape,
      tail: net.tail,
      origins: net.origins,
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
      ['activation', n.activation], ['paramA', n.paramA], ['paramB', n.paramB], ['bias', n.bias], ['role', n.role],
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

/** Reads a tnet.json back (for tools and tests); the result is verified. */
export function readTnetJson(path: string): TNet {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw inputError(`'${path}' is not a readable tnet.json (${(e as Error).message})`);
  }
  if (doc.format !== TNET_FORMAT || doc.version !== TNET_FORMAT_VERSION) throw inputError(`'${path}' is not an ${TNET_FORMAT} v${TNET_FORMAT_VERSION} file`);
  const n = doc.neurons as Record<string, number[]>;
  const outputs = doc.outputs as { signal: number[]; scale: number[] };
  const net: TNet = {
    inputShape: doc.inputShape as number[],
    inputCount: doc.inputCount as number,
    inputGain: doc.inputGain as number,
    railV: doc.railV as number | null,
    outputShape: doc.outputShape as number[],
    tail: doc.tail as TNet['tail'],
    origins: doc.origins as TNet['origins'],
    outputSignal: Int32Array.from(outputs.signal),
    outputScale: Float64Array.from(outputs.scale),
    neurons: {
      count: n.count as unknown as number,
      activation: Uint8Array.from(n.activation),
      paramA: Float64Array.from(n.paramA),
      paramB: Float64Array.from(n.paramB),
      bias: Float64Array.from(n.bias),
      role: Uint8Array.from(n.role),
      origin: Int32Array.from(n.origin),
      unit: Int32Array.from(n.unit),
      rowPtr: Int32Array.from(n.rowPtr),
      src: Int32Array.from(n.src),
      weight: Float64Array.from(n.weight),
    },
  };
  verifyTnet(net);
  return net;
}
