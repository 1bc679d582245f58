// Weight grids for quantization-aware training (patent FIG. 29A 2908 "quantized training"; Binas's signed 3-bit
// synapses with dual-copy rounding). A grid maps each float weight to the value the hardware realizes; training runs
// the forward and backward passes on the grid values and applies the update to the float copy (straight-through
// estimator).
//
// The resistor grid IS the realization's: the pair table of realize/pairs.ts for the chosen set, tolerance and R_f,
// and bestOption, the very function realize() calls for each weight (w = R_f/R+ - R_f/R-, the cost |w - v| + p with
// the tolerance term). So a weight trained onto this grid is realized by realize() with feedback 'fixed' at that R_f
// as the same resistor pair (test/train/qat.test.ts checks it pair for pair).

import { usageError } from '../errors.js';
import { TRAIN_MESSAGES as TM } from '../messages/train.js';
import { bestOption, PairTableCache, type PairTable } from '../realize/pairs.js';
import { patentFeedback } from '../realize/realize.js';

/** Maps a layer's float weights onto the values the hardware realizes. */
export interface LayerGrid {
  /** out[i] = the grid value for w[i] (for a bias, `bias` is true: resistor grids divide by V_ref first). */
  quantize(w: Float64Array, out: Float64Array, bias: boolean): void;
}

/** Nearest of a fixed list of values (ties toward the smaller |value|). */
export function valueGrid(values: readonly number[]): LayerGrid {
  const v = [...values].sort((a, b) => a - b);
  return {
    quantize(w, out) {
      for (let i = 0; i < w.length; i++) {
        let best = v[0];
        for (const c of v) {
          const d = Math.abs(w[i] - c) - Math.abs(w[i] - best);
          if (d < 0 || (d === 0 && Math.abs(c) < Math.abs(best))) best = c;
        }
        out[i] = best;
      }
    },
  };
}

/** The weight grid of a resistor set with one R_f: the realization's pair table and its bestOption. */
export function resistorGrid(table: PairTable, vRefV: number): LayerGrid {
  return {
    quantize(w, out, bias) {
      const s = bias ? vRefV : 1;
      for (let i = 0; i < w.length; i++) out[i] = table.value[bestOption(table, w[i] / s)] * s;
    },
  };
}

/**
 * Binas's signed 3-bit synapse: codes c in {-7, ..., 7} times a unit, the negative codes times the unit negative
 * strength (measured on a chip; 1 when ideal), one value for the layer or one per receiving neuron (row of the
 * [out, in] weight matrix, rows of `rowLength` weights). Rounds to the nearest level.
 */
export function signedBitsGrid(unit: number, negativeUnit: number | Float64Array, rowLength = 1, bits = 3): LayerGrid {
  const top = 2 ** bits - 1;
  return {
    quantize(w, out) {
      for (let i = 0; i < w.length; i++) {
        const nu = typeof negativeUnit === 'number' ? negativeUnit : negativeUnit[Math.floor(i / rowLength)];
        const u = w[i] >= 0 ? unit : unit * nu;
        out[i] = Math.max(-top, Math.min(top, Math.round(w[i] / u))) * u;
      }
    },
  };
}

/** The patent's grids, as presets. */
export const GRID_PRESETS = {
  /** "each layer has only 3 weight values of +1, 0, -1" (patent @249915). */
  ternary: { values: [-1, 0, 1], source: 'US 12,393,833 B2, FIG. 29A block 2908: "only 3 weight values of +1, 0, -1"' },
  /** Two nominals {1, 4} ohm realize {-3, -0.75, 0, 0.75, 3} (patent @254799; R_f = 4 gives +-3, R_f = 1 gives +-0.75). */
  'two-nominal': { values: [-3, -0.75, 0, 0.75, 3], source: 'US 12,393,833 B2 "Suppose there are only 2 nominals" (1 and 4 ohm)' },
} as const satisfies Record<string, { values: readonly number[]; source: string }>;

export type GridPreset = keyof typeof GRID_PRESETS;

/**
 * Refuses a value grid the resistor set cannot realize: every nonzero grid value must equal R_f/R+ - R_f/R- for some
 * R_f, R+, R- of the set (relative 1e-9), as a realization with that set would need.
 */
export function checkGridRealizable(name: string, values: readonly number[], setOhm: readonly number[], setName: string): void {
  const tables = new PairTableCache(setOhm, 0);
  for (const v of values) {
    if (v === 0) continue;
    let ok = false;
    for (const rf of setOhm) {
      const t = tables.get(rf);
      const k = bestOption(t, v);
      if (Math.abs(t.value[k] - v) <= 1e-9 * Math.abs(v)) {
        ok = true;
        break;
      }
    }
    if (!ok) throw usageError(TM.gridNotRealizable(name, v, setName));
  }
}

export { patentFeedback };
