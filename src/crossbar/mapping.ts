// A dense layer y = W x + b on memristor crossbars (issue 17, "crossbar mapping"): the weights as conductances within
// [gMin, gMax], signed by one of two schemes, tiled onto arrays of at most tileRows x tileColumns devices, with an ideal
// periphery: a DAC per word line (input x drives inputScaleV * x volts) and a sense amplifier per bit line (a
// transimpedance amplifier holding the bit line's end at virtual ground, i.e. badcrossbar's grounded bit line, reading
// its current). Each tile is solved with line resistance (solve.ts); the tiles' column currents are summed after the
// sense amplifiers (ideal, digital or analog), so IR drop acts inside each tile only.
//
// Schemes (k = (gMax - gMin) / max|W| siemens per unit weight, one k per layer so every tile shares the scale):
// - differential: each output is a column pair, G+ = gMin + k max(w, 0) and G- = gMin + k max(-w, 0); the readout
//   subtracts the pair's currents, so gMin cancels: y = (I+ - I-) / (k inputScaleV).
// - inverted-rows (the seed's, Yang et al.): each input drives two word lines, +V and -V (an inverter), each output is
//   one column; positive weights sit on the +V row, negative on the -V row (G = gMin + k|w|, gMin on the other), so
//   gMin cancels in the column sum: y = I / (k inputScaleV).
// The bias is one more input fixed at 1 (a word line at inputScaleV), the last row of the layer (nearest the sense
// amplifiers). Pairs never straddle a tile: a differential tile holds floor(tileColumns / 2) outputs, an
// inverted-rows tile floor(tileRows / 2) inputs.

import { inputError } from '../errors.js';
import { CROSSBAR_MESSAGES as XM } from '../messages/crossbar.js';
import { CROSSBAR_DEFAULTS } from '../presets/defaults.js';
import { solveCrossbarOutputs, type CrossbarArray, type CrossbarSolveOptions } from './solve.js';

export const MAPPING_SCHEMES = ['differential', 'inverted-rows'] as const;
export type MappingScheme = (typeof MAPPING_SCHEMES)[number];

export interface CrossbarMapOptions {
  /** Smallest device conductance in siemens (the high-resistance state). */
  gMinS: number;
  /** Largest device conductance in siemens (the low-resistance state). */
  gMaxS: number;
  /** Signed weights: differential column pairs (default) or the seed's inverted-input rows. */
  scheme?: MappingScheme;
  /** Devices per tile: word lines. */
  tileRows: number;
  /** Devices per tile: bit lines. */
  tileColumns: number;
  /** The DAC: volts per unit input (default CROSSBAR_DEFAULTS.readVoltageV). */
  inputScaleV?: number;
}

/** One tile: the logical inputs [inputStart, inputStart + inputCount) and outputs it holds, and its devices. */
export interface MappedTile {
  inputStart: number;
  inputCount: number;
  outputStart: number;
  outputCount: number;
  array: CrossbarArray;
}

export interface MappedLayer {
  inputs: number;
  outputs: number;
  /** Whether the last logical input is the bias row. */
  hasBias: boolean;
  scheme: MappingScheme;
  gMinS: number;
  gMaxS: number;
  /** k: siemens per unit weight. */
  siemensPerWeight: number;
  inputScaleV: number;
  tileRows: number;
  tileColumns: number;
  tiles: MappedTile[];
  /** Devices in all tiles (the used part of each tile; a partly filled tile is a smaller array). */
  devices: number;
}

/** Maps a dense layer (weight [out][in], bias of length out or null) onto crossbar tiles. */
export function mapDenseLayer(weight: readonly (readonly number[])[], bias: readonly number[] | null, o: CrossbarMapOptions): MappedLayer {
  const scheme = o.scheme ?? 'differential';
  if (!(MAPPING_SCHEMES as readonly string[]).includes(scheme)) throw inputError(XM.badScheme(String(scheme), MAPPING_SCHEMES));
  if (!(Number.isFinite(o.gMinS) && Number.isFinite(o.gMaxS) && o.gMinS > 0 && o.gMaxS > o.gMinS)) throw inputError(XM.badRange(o.gMinS, o.gMaxS));
  const tileOk = (x: number, min: number) => Number.isInteger(x) && x >= min;
  if (!tileOk(o.tileRows, scheme === 'inverted-rows' ? 2 : 1) || !tileOk(o.tileColumns, scheme === 'differential' ? 2 : 1)) throw inputError(XM.badTile(o.tileRows, o.tileColumns));
  const inputScaleV = o.inputScaleV ?? CROSSBAR_DEFAULTS.readVoltageV;
  if (!(Number.isFinite(inputScaleV) && inputScaleV > 0)) throw inputError(XM.badInputScale(inputScaleV));
  const outs = weight.length;
  const ins = weight[0]?.length ?? 0;
  if (outs === 0 || ins === 0 || weight.some((r) => r.length !== ins || r.some((w) => !Number.isFinite(w)))) throw inputError(XM.badWeights('weight'));
  if (bias && (bias.length !== outs || bias.some((b) => !Number.isFinite(b)))) throw inputError(XM.badWeights('bias'));
  const hasBias = bias !== null;
  const inputs = ins + (hasBias ? 1 : 0);
  const w = (out: number, inp: number) => (inp < ins ? weight[out][inp] : bias![out]);
  let wMax = 0;
  for (let q = 0; q < outs; q++) for (let p = 0; p < inputs; p++) wMax = Math.max(wMax, Math.abs(w(q, p)));
  const k = wMax > 0 ? (o.gMaxS - o.gMinS) / wMax : 0;
  const inputsPerTile = scheme === 'inverted-rows' ? Math.floor(o.tileRows / 2) : o.tileRows;
  const outputsPerTile = scheme === 'differential' ? Math.floor(o.tileColumns / 2) : o.tileColumns;
  const tiles: MappedTile[] = [];
  let devices = 0;
  for (let p0 = 0; p0 < inputs; p0 += inputsPerTile)
    for (let q0 = 0; q0 < outs; q0 += outputsPerTile) {
      const pc = Math.min(inputsPerTile, inputs - p0);
      const qc = Math.min(outputsPerTile, outs - q0);
      const rows = scheme === 'inverted-rows' ? 2 * pc : pc;
      const columns = scheme === 'differential' ? 2 * qc : qc;
      const g = new Float64Array(rows * columns);
      for (let p = 0; p < pc; p++)
        for (let q = 0; q < qc; q++) {
          const x = w(q0 + q, p0 + p);
          const pos = o.gMinS + k * Math.max(x, 0);
          const neg = o.gMinS + k * Math.max(-x, 0);
          if (scheme === 'differential') {
            g[p * columns + 2 * q] = pos;
            g[p * columns + 2 * q + 1] = neg;
          } else {
            g[2 * p * columns + q] = pos;
            g[(2 * p + 1) * columns + q] = neg;
          }
        }
      devices += rows * columns;
      tiles.push({ inputStart: p0, inputCount: pc, outputStart: q0, outputCount: qc, array: { rows, columns, conductancesS: g } });
    }
  return { inputs, outputs: outs, hasBias, scheme, gMinS: o.gMinS, gMaxS: o.gMaxS, siemensPerWeight: k, inputScaleV, tileRows: o.tileRows, tileColumns: o.tileColumns, tiles, devices };
}

/**
 * The layer's outputs W x + b for every sample (x of length inputs without the bias), each tile solved with line
 * resistance (options: the interconnect and the solver). With 0-ohm lines this is W x + b up to rounding.
 */
export function crossbarLayerOutputs(layer: MappedLayer, samples: readonly ArrayLike<number>[], options: CrossbarSolveOptions): Float64Array[] {
  const ins = layer.inputs - (layer.hasBias ? 1 : 0);
  samples.forEach((s, k) => {
    if (s.length !== ins) throw inputError(XM.sampleLength(k, s.length, ins));
    for (let p = 0; p < ins; p++) if (!Number.isFinite(s[p])) throw inputError(XM.sampleValue(k, p, s[p]));
  });
  const out = samples.map(() => new Float64Array(layer.outputs));
  const x = (s: ArrayLike<number>, p: number) => (p < ins ? s[p] : 1);
  const readout = layer.siemensPerWeight * layer.inputScaleV;
  for (const t of layer.tiles) {
    const sets = samples.map((s) => {
      const v = new Float64Array(t.array.rows);
      for (let p = 0; p < t.inputCount; p++) {
        const volts = layer.inputScaleV * x(s, t.inputStart + p);
        if (layer.scheme === 'differential') v[p] = volts;
        else {
          v[2 * p] = volts;
          v[2 * p + 1] = -volts;
        }
      }
      return v;
    });
    const { outputs } = solveCrossbarOutputs(t.array, sets, options);
    outputs.forEach((cur, k) => {
      for (let q = 0; q < t.outputCount; q++) {
        const i = layer.scheme === 'differential' ? cur[2 * q] - cur[2 * q + 1] : cur[q];
        out[k][t.outputStart + q] += readout === 0 ? 0 : i / readout;
      }
    });
  }
  return out;
}
