// Decoding ONNX TensorProto values into float64 arrays, with the checks a hostile file needs:
// external data, unsupported element types, declared sizes that are absurd or disagree with the stored data.

import onnxProto from 'onnx-proto';
import { inputError } from '../errors.js';
import { M } from '../messages/index.js';
import { sizeOf } from '../ir/tensor.js';
import { MAX_RANK } from '../ir/shapes.js';

const { onnx } = onnxProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** A decoded constant: shape as in the file (with any batch dimension), values widened to float64. */
export interface ConstTensor {
  readonly name: string;
  readonly shape: number[];
  readonly data: Float64Array;
  /** Whether the element type is an integer or BOOL (ONNX Div of integers truncates); absent: floating point. */
  readonly integer?: boolean;
}

const DT = onnx.TensorProto.DataType;

/** int64 protobuf fields arrive as Long objects or numbers. */
export function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (v !== null && typeof v === 'object' && 'toNumber' in v && typeof (v as { toNumber: unknown }).toNumber === 'function') {
    return (v as { toNumber(): number }).toNumber();
  }
  return Number(v);
}

function elementTypeName(t: number): string {
  return (DT as unknown as Record<number, string>)[t] ?? `#${t}`;
}

/** IEEE 754 binary16 bits to its value (exact in float64). */
export function halfToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 31) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1024 + frac) * 2 ** (exp - 25);
}

/** bfloat16 bits (the top half of a float32) to its value. */
export function bfloat16ToNumber(h: number): number {
  const v = new DataView(new ArrayBuffer(4));
  v.setUint32(0, (h & 0xffff) << 16);
  return v.getFloat32(0);
}

/** Bytes per element and a DataView reader for raw_data of each supported element type. */
const RAW: Record<number, { bytes: number; read: (v: DataView, off: number) => number }> = {
  [DT.FLOAT]: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  [DT.DOUBLE]: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  [DT.INT64]: { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  [DT.INT32]: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  [DT.INT8]: { bytes: 1, read: (v, o) => v.getInt8(o) },
  [DT.UINT8]: { bytes: 1, read: (v, o) => v.getUint8(o) },
  [DT.INT16]: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  [DT.BOOL]: { bytes: 1, read: (v, o) => v.getUint8(o) },
  [DT.UINT16]: { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  [DT.UINT32]: { bytes: 4, read: (v, o) => v.getUint32(o, true) },
  // Half precision widens exactly; int32_data holds the 16 bits of each value when raw_data is not used.
  [DT.FLOAT16]: { bytes: 2, read: (v, o) => halfToNumber(v.getUint16(o, true)) },
  [DT.BFLOAT16]: { bytes: 2, read: (v, o) => bfloat16ToNumber(v.getUint16(o, true)) },
};

const INTEGER_TYPES = new Set<number>([DT.INT8, DT.INT16, DT.INT32, DT.INT64, DT.UINT8, DT.UINT16, DT.UINT32, DT.BOOL]);

export function decodeTensor(t: TensorProto, fallbackName: string, maxElements: number): ConstTensor {
  const name = t.name || fallbackName;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData && t.externalData.length > 0)) {
    throw inputError(M.externalData(name));
  }
  const dims = t.dims ?? [];
  if (dims.length > MAX_RANK) throw inputError(M.rankTooHigh(`tensor '${name}'`, dims.length, MAX_RANK));
  const shape = dims.map(toNumber);
  if (shape.some((d) => !Number.isSafeInteger(d) || d < 0)) throw inputError(M.badTensorDims(name, shape));
  const n = sizeOf(shape);
  // Refuse before allocating anything proportional to the declared size.
  if (n > maxElements) throw inputError(M.tensorTooLarge(`tensor '${name}'`, shape, maxElements));
  const type = t.dataType ?? 0;
  const raw = RAW[type];
  if (!raw) throw inputError(M.unsupportedDataType(name, elementTypeName(type)));
  const out = new Float64Array(n);
  if (t.rawData && t.rawData.length > 0) {
    if (t.rawData.length !== n * raw.bytes) throw inputError(M.tensorDataMismatch(name, shape, Math.floor(t.rawData.length / raw.bytes)));
    // rawData is a view into the whole file buffer: read through a DataView over exactly its bytes.
    const view = new DataView(t.rawData.buffer, t.rawData.byteOffset, t.rawData.byteLength);
    for (let i = 0; i < n; i++) out[i] = raw.read(view, i * raw.bytes);
    return { name, shape, data: out, integer: INTEGER_TYPES.has(type) };
  }
  let values: ArrayLike<unknown>;
  switch (type) {
    case DT.FLOAT:
      values = t.floatData ?? [];
      break;
    case DT.DOUBLE:
      values = t.doubleData ?? [];
      break;
    case DT.INT64:
      values = t.int64Data ?? [];
      break;
    case DT.UINT32:
      values = t.uint64Data ?? [];
      break;
    default:
      // INT32, INT8, UINT8, INT16, UINT16, BOOL, FLOAT16 and BFLOAT16 (their bits) are all stored in int32_data.
      values = t.int32Data ?? [];
  }
  if (values.length !== n) throw inputError(M.tensorDataMismatch(name, shape, values.length));
  const widen = type === DT.FLOAT ? (v: number) => Math.fround(v) : type === DT.FLOAT16 ? halfToNumber : type === DT.BFLOAT16 ? bfloat16ToNumber : (v: number) => v;
  for (let i = 0; i < n; i++) out[i] = widen(toNumber(values[i]));
  return { name, shape, data: out, integer: INTEGER_TYPES.has(type) };
}
