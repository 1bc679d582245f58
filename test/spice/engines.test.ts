// The SPICE engine layer on small circuits with answers known exactly: both engines (the ngspice program and
// the wasm build), both methods (one DC sweep per chunk, or alter + op per sample), and the error cases.

import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OhmnetError } from '../../src/errors.js';
import { createEngine, ngspiceAvailable, type SpiceEngine } from '../../src/spice/engines/index.js';
import { pendingCleanups } from '../../src/util/cleanup.js';
import { childProcesses } from './processes.js';

const HAS_NGSPICE = ngspiceAvailable();

// out0 = VIN0 * R2 / (R1 + R2) = 0.7 VIN0.
const DIVIDER = `resistor divider
VIN0 in0 0 DC 0
R1 in0 out0 3k
R2 out0 0 7k
.end
`;

// Inverting summing amplifier around an ideal op-amp modelled as a VCVS of gain A = 1e7.
const R = { r1: 10e3, r2: 20e3, rb: 40e3, rf: 10e3, a: 1e7 };
const SUMMING = `summing amplifier
VIN0 in0 0 DC 0
VIN1 in1 0 DC 0
VREF ref 0 DC 1
R1 in0 inn ${R.r1}
R2 in1 inn ${R.r2}
RB ref inn ${R.rb}
RF out0 inn ${R.rf}
E1 out0 0 0 inn ${R.a}
.end
`;

/**
 * The exact answer of SUMMING: with v the inverting input, KCL at it and out0 = -A v give
 * v = (x0/R1 + x1/R2 + 1/Rb) / (1/R1 + 1/R2 + 1/Rb + (1 + A)/Rf).
 */
function summing(x0: number, x1: number): number {
  const v = (x0 / R.r1 + x1 / R.r2 + 1 / R.rb) / (1 / R.r1 + 1 / R.r2 + 1 / R.rb + (1 + R.a) / R.rf);
  return -R.a * v;
}

/** The ideal (infinite-gain) answer: -(Rf/R1 x0 + Rf/R2 x1 + Rf/Rb VREF). */
function summingIdeal(x0: number, x1: number): number {
  return -((R.rf / R.r1) * x0 + (R.rf / R.r2) * x1 + (R.rf / R.rb) * 1);
}

// Nonlinear elements: a clipper and a tanh of x = VIN0 / 2 (a divider the B-sources do not load).
const CLIP = `clipping
VIN0 in0 0 DC 0
R1 in0 x 1k
R2 x 0 1k
B1 out0 0 V = max(min(v(x), 1), -1)
B2 out1 0 V = tanh(v(x))
.end
`;

const clamp = (x: number) => Math.max(-1, Math.min(1, x));

/** 20 samples from -3 to 3, not symmetric, none zero. */
const SAMPLES_1D = Array.from({ length: 20 }, (_, i) => [-3 + i * 0.31 + 0.013]);
const SAMPLES_2D = Array.from({ length: 20 }, (_, i) => [Math.sin(i + 0.5) * 2, Math.cos(1.7 * i) - 0.3]);

function relErr(got: number, want: number): number {
  return Math.abs(got - want) / Math.max(Math.abs(want), 1e-300);
}

async function failure(p: Promise<unknown>): Promise<OhmnetError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(OhmnetError);
    const err = e as OhmnetError;
    expect(err.message).not.toContain('\n');
    expect(err.exitCode).toBe(2);
    return err;
  }
  throw new Error('expected an OhmnetError');
}

const engines: Record<string, SpiceEngine> = {};
const KINDS = [
  { name: 'wasm (sweep)', kind: 'wasm', method: 'sweep', skip: false },
  { name: 'wasm (alter)', kind: 'wasm', method: 'alter', skip: false },
  { name: 'ngspice (sweep)', kind: 'ngspice', method: 'sweep', skip: !HAS_NGSPICE },
  { name: 'ngspice (alter)', kind: 'ngspice', method: 'alter', skip: !HAS_NGSPICE },
] as const;

beforeAll(async () => {
  for (const k of KINDS) if (!k.skip) engines[k.name] = await createEngine(k.kind, { method: k.method });
});

afterAll(async () => {
  for (const e of Object.values(engines)) await e.dispose?.();
});

describe.each(KINDS)('$name engine', ({ name, kind, skip }) => {
  const engine = () => engines[name];

  it.skipIf(skip)('solves a resistor divider for 20 samples to 1e-12', async () => {
    // A linear circuit: Newton converges in one step and the LU solution of a 3-node matrix is exact to a few
    // ulps; values travel as 17-digit text. Measured: ~3e-16 relative.
    const r = await engine().operatingPoints({ netlist: DIVIDER, inputs: SAMPLES_1D, probes: ['out0', 'in0'] });
    expect(r.engine).toBe(kind);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.voltages).toHaveLength(20);
    r.voltages.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float64Array);
      expect(relErr(v[0], SAMPLES_1D[i][0] * 0.7)).toBeLessThan(1e-12);
      expect(relErr(v[1], SAMPLES_1D[i][0])).toBeLessThan(1e-12);
    });
  });

  it.skipIf(skip)('solves a summing amplifier with a 1e7-gain VCVS exactly', async () => {
    const r = await engine().operatingPoints({ netlist: SUMMING, inputs: SAMPLES_2D, probes: ['OUT0'] });
    r.voltages.forEach((v, i) => {
      const [x0, x1] = SAMPLES_2D[i];
      // Against the closed-loop formula with A = 1e7 (same arithmetic up to rounding): 1e-9.
      expect(relErr(v[0], summing(x0, x1))).toBeLessThan(1e-9);
      // Against the ideal op-amp: the finite gain costs (1 + Rf/R1 + Rf/R2 + Rf/Rb) / A = 1.75e-7 relative.
      expect(relErr(v[0], summingIdeal(x0, x1))).toBeLessThan(1e-6);
    });
  });

  it.skipIf(skip)('solves nonlinear behavioural sources (clip, tanh)', async () => {
    const r = await engine().operatingPoints({ netlist: CLIP, inputs: SAMPLES_1D, probes: ['out0', 'out1'] });
    r.voltages.forEach((v, i) => {
      const x = SAMPLES_1D[i][0] / 2;
      expect(Math.abs(v[0] - clamp(x))).toBeLessThan(1e-12);
      expect(Math.abs(v[1] - Math.tanh(x))).toBeLessThan(1e-12);
    });
  });

  it.skipIf(skip)('is deterministic', async () => {
    const a = await engine().operatingPoints({ netlist: DIVIDER, inputs: SAMPLES_1D, probes: ['out0'] });
    const b = await engine().operatingPoints({ netlist: DIVIDER, inputs: SAMPLES_1D, probes: ['out0'] });
    expect(b.voltages).toEqual(a.voltages);
  });

  it.skipIf(skip)('answers a single sample, and refuses no samples or no probes instead of passing vacuously', async () => {
    const one = await engine().operatingPoints({ netlist: SUMMING, inputs: [[0.5, -0.25]], probes: ['out0'] });
    expect(relErr(one.voltages[0][0], summing(0.5, -0.25))).toBeLessThan(1e-9);
    expect((await failure(engine().operatingPoints({ netlist: SUMMING, inputs: [], probes: ['out0'] }))).message).toBe(
      'no samples to simulate: give at least one input sample',
    );
    expect((await failure(engine().operatingPoints({ netlist: SUMMING, inputs: [[1, 2]], probes: [] }))).message).toBe(
      'no nodes to read: give at least one probe (e.g. out0)',
    );
  });

  it.skipIf(skip)('names the sample whose operating point does not exist', async () => {
    // sqrt(1 - v(out0)) has no value for out0 > 1, i.e. VIN0 > 1/0.7: samples 0 and 1 solve, sample 2 fails.
    const netlist = DIVIDER.replace('.end', 'B1 y 0 V = sqrt(1 - v(out0))\n.end');
    const err = await failure(
      engine().operatingPoints({ netlist, inputs: [[1], [0.5], [3], [0.2]], probes: ['out0', 'y'] }),
    );
    expect(err.message).toMatch(/could not find the operating point for sample 2 \(.*out of range for sqrt/);
  });

  it.skipIf(skip)('reports a floating node (singular matrix) as a one-line error naming the sample', async () => {
    const netlist = DIVIDER.replace('.end', 'R3 out0 a 1k\nC1 a b 1n\nR4 b c 1k\n.end');
    const err = await failure(engine().operatingPoints({ netlist, inputs: SAMPLES_1D, probes: ['out0'] }));
    expect(err.message).toMatch(/could not find the operating point for sample 0 \(singular matrix: check node [bc]\)/);
  });

  it.skipIf(skip)('reports a netlist ngspice cannot read', async () => {
    const netlist = DIVIDER.replace('R2 out0 0 7k', 'R2 out0 0 7k bogus');
    const err = await failure(engine().operatingPoints({ netlist, inputs: SAMPLES_1D, probes: ['out0'] }));
    expect(err.message).toMatch(/cannot read the netlist \(line 4: r2 out0 0 7k bogus unknown parameter \(bogus\)\)/);
    const sub = DIVIDER.replace('R2 out0 0 7k', 'X2 out0 0 nosuch');
    expect((await failure(engine().operatingPoints({ netlist: sub, inputs: [[1]], probes: ['out0'] }))).message).toMatch(
      /cannot read the netlist \(unknown subckt: x2 out0 0 nosuch/,
    );
  });

  it.skipIf(skip)('reports a probe that is not a node', async () => {
    const err = await failure(engine().operatingPoints({ netlist: DIVIDER, inputs: [[1], [2]], probes: ['out0', 'out7'] }));
    expect(err.message).toBe(`node 'out7' is not in the netlist; check the probe name (outputs are out0, out1, ...)`);
  });

  it.skipIf(skip)('stops at the time limit and stays usable', async () => {
    const inputs = Array.from({ length: 20_000 }, (_, i) => [i / 10_000 - 1]);
    const t = performance.now();
    const err = await failure(engine().operatingPoints({ netlist: CLIP, inputs, probes: ['out0'], timeoutMs: 30 }));
    expect(performance.now() - t).toBeLessThan(2_000);
    expect(err.message).toMatch(/did not finish 20000 operating points within the time limit of 0\.03 s/);
    const r = await engine().operatingPoints({ netlist: DIVIDER, inputs: [[2]], probes: ['out0'] });
    expect(relErr(r.voltages[0][0], 1.4)).toBeLessThan(1e-12);
  });

  it.skipIf(skip)("takes time limits beyond Node's 2^31 ms timer without a warning or an early time-out", async () => {
    // Issue 20: a limit >= 2^31 ms used to fire after 1 ms with a TimeoutOverflowWarning. 2^31 ms, 1e12 ms (31
    // years) and 2,147,484 s (the CLI's first overflowing --spice-timeout) must all just run.
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      for (const timeoutMs of [2 ** 31, 2_147_484_000, 1e12]) {
        const r = await engine().operatingPoints({ netlist: DIVIDER, inputs: SAMPLES_1D, probes: ['out0'], timeoutMs });
        expect(relErr(r.voltages[3][0], SAMPLES_1D[3][0] * 0.7)).toBeLessThan(1e-12);
      }
      await new Promise((r) => setTimeout(r, 20)); // warnings are emitted on a later tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
    for (const timeoutMs of [0, -1, NaN, Infinity]) {
      const err = await failure(engine().operatingPoints({ netlist: DIVIDER, inputs: [[1]], probes: ['out0'], timeoutMs }));
      expect(err.message).toBe(`the SPICE time limit ${timeoutMs} ms is not a positive finite number of milliseconds`);
    }
  });

  it.skipIf(skip)('checks the samples against the input sources', async () => {
    const run = (inputs: number[][], netlist = SUMMING) => failure(engine().operatingPoints({ netlist, inputs, probes: ['out0'] }));
    expect((await run([[1, 2], [1]])).message).toBe('sample 1 has 1 input value, the netlist has 2 input sources (VIN0..VIN1)');
    expect((await run([[1, NaN]])).message).toBe('sample 0 input 1 is NaN; input voltages must be finite numbers');
    expect((await run([[1]], SUMMING.replace('VIN0 in0', 'VIN2 in0'))).message).toMatch(/no input source VIN0 \(found VIN1, VIN2\)/);
    expect((await failure(engine().operatingPoints({ netlist: DIVIDER, inputs: [[1]], probes: ['v(out0)'] }))).message).toMatch(
      /'v\(out0\)' is not a node name/,
    );
  });
});

describe('engines agree', () => {
  it.skipIf(!HAS_NGSPICE)('ngspice and wasm, sweep and alter, give the same numbers to 1e-9', async () => {
    for (const [netlist, inputs] of [
      [SUMMING, SAMPLES_2D],
      [CLIP, SAMPLES_1D],
    ] as const) {
      const results = await Promise.all(
        KINDS.map((k) => engines[k.name].operatingPoints({ netlist, inputs, probes: ['out0'] })),
      );
      for (const r of results.slice(1)) {
        r.voltages.forEach((v, i) => expect(relErr(v[0], results[0].voltages[i][0])).toBeLessThan(1e-9));
      }
    }
  });
});

describe('engine selection', () => {
  it('says to install ngspice or use the wasm engine when the program is missing', async () => {
    expect(ngspiceAvailable({ searchPath: '/nonexistent' })).toBe(false);
    const err = await failure(createEngine('ngspice', { searchPath: '/nonexistent' }));
    expect(err.message).toMatch(/needs the ngspice program, which is not on PATH; install Debian's ngspice .* or use --engine wasm/);
  });

  it('auto takes ngspice when available, else wasm', async () => {
    const fallback = await createEngine('auto', { searchPath: '/nonexistent' });
    expect(fallback.name).toBe('wasm');
    await fallback.dispose?.();
    const auto = await createEngine('auto');
    expect(auto.name).toBe(HAS_NGSPICE ? 'ngspice' : 'wasm');
    await auto.dispose?.();
  });

  it.skipIf(!HAS_NGSPICE)('leaves no temporary files and no processes behind, on every exit path', async () => {
    // A temporary directory of our own (TMPDIR is read at each call), so that other runs cannot interfere.
    const saved = process.env.TMPDIR;
    const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-engines-test-'));
    process.env.TMPDIR = tmp;
    try {
      const e = engines['ngspice (sweep)'];
      // Success, a netlist ngspice cannot read, a failed operating point, a time-out, and a refused netlist.
      await e.operatingPoints({ netlist: DIVIDER, inputs: [[1]], probes: ['out0'] });
      await failure(e.operatingPoints({ netlist: DIVIDER.replace('7k', '7k bogus'), inputs: [[1]], probes: ['out0'] }));
      const sqrt = DIVIDER.replace('.end', 'B1 y 0 V = sqrt(-1 - v(out0))\n.end');
      await failure(e.operatingPoints({ netlist: sqrt, inputs: [[1]], probes: ['y'] }));
      const many = Array.from({ length: 20_000 }, (_, i) => [i / 10_000 - 1]);
      await failure(e.operatingPoints({ netlist: CLIP, inputs: many, probes: ['out0'], timeoutMs: 30 }));
      await failure(e.operatingPoints({ netlist: DIVIDER.replace('.end', '.include x.cir\n.end'), inputs: [[1]], probes: ['out0'] }));
      expect(readdirSync(tmp)).toEqual([]);
      expect(pendingCleanups()).toBe(0);
      // A temporary directory that cannot be written is a one-line input error, not an internal one.
      process.env.TMPDIR = join(tmp, 'missing');
      expect((await failure(e.operatingPoints({ netlist: DIVIDER, inputs: [[1]], probes: ['out0'] }))).message).toMatch(
        /^cannot write ngspice's deck in a temporary directory under .*missing \(ENOENT\); set TMPDIR/,
      );
      expect(childProcesses('ngspice')).toEqual([]);
    } finally {
      process.env.TMPDIR = saved;
      if (saved === undefined) delete process.env.TMPDIR;
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});
