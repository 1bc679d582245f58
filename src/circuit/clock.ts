// The clock of a clocked network's netlist (recurrent models; docs/spice.md "Clocked networks"): one tick of the
// T-network is one period of the clock source VCLK, and every time the netlist, the transient verification and the
// testbench use is derived here, once.
//
// Tick t of a run spans [t T, (t + 1) T), with edges of e = T / 100:
//   t T .. t T + e       the clock falls: every delay stage's master opens (below 0.7 V), then its slave closes
//                        (below 0.2 V) and copies the master, so a delay's output changes here and holds for the
//                        whole tick;
//   t T + e .. t T + 2e  the inputs VIN<k> ramp to tick t's values and an enable VEN<v> rises at t = v (the first
//                        tick a delay's output is valid): only after the masters have opened, so no master sees a
//                        signal of tick t before it holds tick t - 1's;
//   t T + T/2            the clock rises: the slaves open (above 0.3 V), then every master closes (above 0.8 V) and
//                        tracks its input (this tick's settled signal);
//   (t + 1) T            the outputs are read, at the end of the tick (`readS` = T after its start): the
//                        next tick's clock edge starts there, but nothing has moved yet (the masters open 0.3 e later),
//                        and the network settled long before (ideal op-amps settle at once). The read time is a
//                        breakpoint of the run anyway (the clock's corner), so reading there adds no time steps.
// A run of several samples is their ticks one after another; the enables fall at the start of every sample (period
// ticks x T, over the same edge as the inputs), so each sample starts from the delays' initial values.

import type { OpampModel } from '../presets/opamps.js';
import type { TNet } from '../tnet/types.js';

/** The clock and enable levels, in volts: low 0, high 1 (the switch thresholds of the delay cell sit between). */
export const CLOCK_HIGH_V = 1;

/** The tick period with ideal op-amps (no dynamics but the delay cells' 1 ns hold time constants), seconds. */
export const IDEAL_TICK_S = 1e-6;

export interface ClockTiming {
  /** The clock period: one tick, seconds. */
  readonly tickS: number;
  /** Rise and fall time of the clock, the enables and the input steps, seconds. */
  readonly edgeS: number;
  /** When within a tick (from its start) the outputs are read, seconds. */
  readonly readS: number;
  /**
   * The largest internal time step of a transient run (ngspice's TMAX), seconds: half a tick. The steps are set by
   * the breakpoints (every edge) and TMAX only (TRANSIENT_OPTIONS in build.ts); T/20 and T/5 gave the same values
   * to 1e-8 V at 2x the run time on the 6-tick LSTM.
   */
  readonly maxStepS: number;
}

/**
 * The timing of a clocked network's netlist. Ideal op-amps settle at once, so the tick is IDEAL_TICK_S (1 us, 500
 * hold-capacitor time constants per half tick). A macro op-amp settles with its closed-loop time constant
 * noise gain / (2 pi GBW) per neuron: the tick is at least 40 of them per neuron of the longest chain within a tick
 * (each half tick then leaves e^-20 of a step), rounded up to 1, 2 or 5 times a power of ten.
 */
export function clockTiming(opamp: OpampModel, depth: number, maxNoiseGain: number): ClockTiming {
  let tickS = IDEAL_TICK_S;
  if (opamp.kind === 'macro') {
    const need = (40 * Math.max(1, depth) * maxNoiseGain) / (2 * Math.PI * opamp.gbwHz);
    tickS = Math.max(tickS, niceAbove(need));
  }
  return { tickS, edgeS: tickS / 100, readS: tickS, maxStepS: tickS / 2 };
}

/** The smallest of 1, 2, 5 x 10^k at or above x. */
function niceAbove(x: number): number {
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x * (1 - 1e-12)) return tidyTime(m * p);
  return tidyTime(10 * p);
}

/** The ticks at which delays become valid (paramB + paramA, the enable sources VEN<v>), ascending, distinct. */
export function enableTicks(net: TNet, isDelay: (i: number) => boolean): number[] {
  const n = net.neurons;
  const out = new Set<number>();
  for (let i = 0; i < n.count; i++) if (isDelay(i)) out.add(validTick(net, i));
  return [...out].sort((a, b) => a - b);
}

/** The first tick at which delay i's output is its delayed source (before it: its initial value). */
export function validTick(net: TNet, i: number): number {
  return net.neurons.paramB[i] + net.neurons.paramA[i];
}

/** The net of the enable of delays valid from tick v. */
export const enableNet = (v: number) => `en${v}`;
/** The clock net (global: every delay cell reads it). */
export const CLOCK_NET = 'clk';

/**
 * A time of the timeline rounded to 12 significant digits: 6 x 1e-6 is 5.999999999999999e-6 in float64, and the
 * decks read better (and ngspice's breakpoints coincide as well) with 6e-6. The rounding moves a time by less than
 * 1e-12 of itself, far below ngspice's smallest step.
 */
export function tidyTime(s: number): number {
  return Number(s.toPrecision(12));
}

/** The read time of global tick g (tick g mod ticks of sample floor(g / ticks)): the end of the tick, seconds. */
export function readTimeS(timing: ClockTiming, g: number): number {
  return tidyTime(g * timing.tickS + timing.readS);
}

/**
 * The piecewise-linear points of one input over consecutive ticks (values in volts, one per tick): the value of
 * tick g from g T + 2e on, ramping over [g T + e, g T + 2e] from the previous tick's value (clock.ts timeline).
 */
export function inputPoints(timing: ClockTiming, values: ArrayLike<number>): [number, number][] {
  const pts: [number, number][] = [[0, values[0]]];
  for (let g = 1; g < values.length; g++) {
    if (values[g] === values[g - 1]) continue;
    pts.push([tidyTime(g * timing.tickS + timing.edgeS), values[g - 1]], [tidyTime(g * timing.tickS + 2 * timing.edgeS), values[g]]);
  }
  return pts;
}
