// How fast are the SPICE engines on circuits of growing size? Run with `npx tsx bench/spice-engines.ts`.
//
// The circuit: layers of differential summing-amplifier neurons (an ideal op-amp as a VCVS of gain 1e7 plus
// resistors), fan-in 16, fed by 16 input sources VIN0..VIN15 and a bias source VREF. For each size, engine
// and method (one DC sweep for all samples, or alter + op per sample) it runs 1 and 20 samples and prints a
// markdown table: the set-up cost, the time per operating point, the total for 20 samples, and how far the
// engines and methods agree.
//
// Options: --sizes 100,1000,10000 (neurons) --engines ngspice,wasm --methods sweep,alter --samples 20
// --alter-full-up-to 1000 (above this size the alter method runs 3 samples and the total is extrapolated).

import { createEngine, ngspiceAvailable, type SpiceEngine } from '../src/spice/engines/index.js';
import { WasmEngine } from '../src/spice/engines/wasm.js';
import { Rng } from '../src/util/random.js';

const FAN_IN = 16;
const INPUTS = 16;
const WIDTH = 100;

/** A synthetic network of `neurons` summing amplifiers in layers of up to 100; outputs out0.. of the last. */
export function summingNetwork(neurons: number, seed = 1): { netlist: string; outputs: number } {
  const rng = new Rng(seed);
  const lines = [`* synthetic summing-amplifier network: ${neurons} neurons, fan-in ${FAN_IN}`];
  for (let k = 0; k < INPUTS; k++) lines.push(`VIN${k} in${k} 0 DC 0`);
  lines.push('VREF ref 0 DC 1');
  let prev = Array.from({ length: INPUTS }, (_, k) => `in${k}`);
  let made = 0;
  let layer = 0;
  let outputs = 0;
  while (made < neurons) {
    const width = Math.min(WIDTH, neurons - made);
    const last = made + width >= neurons;
    const next: string[] = [];
    for (let j = 0; j < width; j++) {
      const n = `l${layer}n${j}`;
      const out = last ? `out${j}` : `${n}o`;
      // Weights of magnitude ~1/16 keep the signals in range through many layers.
      const srcs = [...Array.from({ length: FAN_IN }, () => prev[Math.floor(rng.next() * prev.length)]), 'ref'];
      let gp = 0;
      srcs.forEach((s, i) => {
        const w = rng.uniform(0.2, 1) / FAN_IN;
        const r = (10e3 / w).toPrecision(6);
        if (rng.next() < 0.5) {
          lines.push(`R${n}p${i} ${s} ${n}p ${r}`);
          gp += w;
        } else {
          lines.push(`R${n}n${i} ${s} ${n}n ${r}`);
        }
      });
      lines.push(`R${n}g ${n}p 0 ${(10e3 / Math.max(1 - gp, 0.05)).toPrecision(6)}`);
      lines.push(`R${n}f ${out} ${n}n 10k`);
      lines.push(`E${n} ${out} 0 ${n}p ${n}n 1e7`);
      next.push(out);
    }
    if (last) outputs = width;
    prev = next;
    made += width;
    layer++;
  }
  lines.push('.end', '');
  return { netlist: lines.join('\n'), outputs };
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

type Kind = 'ngspice' | 'wasm';
type Method = 'sweep' | 'alter';

async function main(): Promise<void> {
  const sizes = option('sizes', '100,1000,10000').split(',').map(Number);
  const kinds = option('engines', ngspiceAvailable() ? 'ngspice,wasm' : 'wasm').split(',') as Kind[];
  const methods = option('methods', 'sweep,alter').split(',') as Method[];
  const count = Number(option('samples', '20'));
  /** alter costs a full operating point per sample: above this size it runs 3 samples only. */
  const alterFullUpTo = Number(option('alter-full-up-to', '1000'));
  const rng = new Rng(7);
  const inputs = Array.from({ length: count }, () => Array.from({ length: INPUTS }, () => rng.uniform(-1, 1)));
  const probes = Array.from({ length: 10 }, (_, j) => `out${j}`);

  const made = new Map<string, SpiceEngine>();
  for (const kind of kinds) {
    for (const method of methods) {
      const t = performance.now();
      const e = await createEngine(kind, { method });
      if (e instanceof WasmEngine) {
        await e.warmUp();
        const started = performance.now();
        // WebAssembly starts in V8's baseline tier; a few runs let the optimizing tier take over.
        const warm = summingNetwork(100);
        for (let i = 0; i < 3; i++) await e.operatingPoints({ netlist: warm.netlist, inputs, probes: ['out0'] });
        console.error(
          `${kind}/${method}: worker started in ${((started - t) / 1000).toFixed(2)} s, warmed up in ${((performance.now() - started) / 1000).toFixed(2)} s`,
        );
      }
      made.set(`${kind}/${method}`, e);
    }
  }
  const rows: string[] = [];
  for (const n of sizes) {
    const { netlist, outputs } = summingNetwork(n);
    const lines = netlist.split('\n').length;
    const p = probes.slice(0, outputs);
    const results = new Map<string, Float64Array[]>();
    for (const [key, engine] of made) {
      const method = key.split('/')[1] as Method;
      const k = method === 'alter' && n > alterFullUpTo ? Math.min(3, count) : count;
      const timeoutMs = 3_600_000;
      const one = await engine.operatingPoints({ netlist, inputs: inputs.slice(0, 1), probes: p, timeoutMs });
      const all = await engine.operatingPoints({ netlist, inputs: inputs.slice(0, k), probes: p, timeoutMs });
      results.set(key, all.voltages);
      const perSample = (all.seconds - one.seconds) / (k - 1);
      const total = k === count ? all.seconds : one.seconds + (count - 1) * perSample;
      rows.push(
        `| ${n} | ${lines} | ${key} | ${one.seconds.toFixed(3)} | ${k} | ${all.seconds.toFixed(3)} | ${(perSample * 1000).toFixed(2)} | ${total.toFixed(2)}${k === count ? '' : ' (est.)'} |`,
      );
      console.error(rows[rows.length - 1]);
    }
    // Agreement: every result against the first, on the samples both ran.
    const [firstKey, first] = [...results][0];
    let d = 0;
    let s = 0;
    for (const [, r] of results) {
      r.forEach((v, i) =>
        v.forEach((x, j) => {
          d = Math.max(d, Math.abs(x - first[i][j]));
          s = Math.max(s, Math.abs(first[i][j]));
        }),
      );
    }
    rows.push(`| ${n} | | all vs ${firstKey} | | | max abs diff ${d.toExponential(1)} | relative ${(d / s).toExponential(1)} | |`);
  }
  for (const e of made.values()) await e.dispose?.();
  console.log(
    `\n${count} samples, ${INPUTS} inputs, fan-in ${FAN_IN}, ${WIDTH} neurons per layer, up to 10 output probes.`,
  );
  console.log('t(1) = one sample: parsing the netlist, starting ngspice (wasm: worker already started and warm),');
  console.log('the first matrix ordering and one operating point; t(k) = k samples in one call;');
  console.log(`ms per sample = (t(k) - t(1)) / (k - 1); total = t(${count}), or t(1) + ${count - 1} x per sample (est.).\n`);
  console.log('| neurons | netlist lines | engine/method | t(1) s | k | t(k) s | ms per sample | total s |');
  console.log('| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) console.log(r);
}

if (process.argv[1]?.endsWith('spice-engines.ts')) await main();
