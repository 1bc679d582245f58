// The netlist's structure (issue 10, "Netlist conventions"): .param cards for the rails, the reference and the
// op-amp model, used by name; one .subckt per layer and one for the network, instantiated once at the top level;
// layers wider than ngspice's subcircuit limit in parts; buffer comments that name the signal a buffer copies.

import { describe, expect, it } from 'vitest';
import { buildCircuit } from '../../src/circuit/build.js';
import { layerCircuits, PIN_LIMIT } from '../../src/circuit/layers.js';
import { importModel } from '../../src/import/index.js';
import { realize } from '../../src/realize/realize.js';
import { seriesValues } from '../../src/realize/series.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { DEFAULT_IDEAL, parseOpamp } from '../../src/spice/models.js';
import { ROLE, type TNet } from '../../src/tnet/types.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { loadFixture } from '../helpers.js';

function realized(name: string, fanOut = 100) {
  const fx = loadFixture(name);
  const compiled = compileGraph(importModel(fx.path), { calibration: fx.inputs, fanIn: 100, fanOut });
  return realize(compiled.tnet, {
    setOhm: seriesValues('E96', 1e5, 1e6), setName: 'E96 100k..1M', feedback: 'min-error', rFeedbackOhm: 1e6, feedbackPer: 'layer', toleranceRel: 0, vRefV: 1,
  });
}

/** The source layers (origins) that own at least one neuron, and whether a neuron has none. */
function layerCount(net: TNet): number {
  return new Set(net.neurons.origin).size;
}

describe('netlist hierarchy and parameters', () => {
  const r = realized('iris_mlp');
  const text = emitNetlist(r, { opamp: DEFAULT_IDEAL, title: 'iris' });
  // Continuation lines joined: a long pin list is one card.
  const lines = text.replace(/\n\+ /g, ' ').split('\n');

  it('declares the rails, the reference and the op-amp gain as .param and uses them by name', () => {
    const params = lines.filter((l) => l.startsWith('.param '));
    expect(params).toEqual(['.param vrail=5 vref=1 opamp_gain=1000000000']);
    expect(lines).toContain('Eamp fb 0 inp inn {opamp_gain}');
    expect(lines).toContain('VREF vref 0 DC {vref}');
    // Instances: rails by name, no literal 5 or -5 (the iris MLP's neurons are ReLU or identity).
    const opamps = lines.filter((l) => /^X\d+ .* ohm_opamp /.test(l));
    expect(opamps.length).toBe(r.tnet.neurons.count);
    for (const l of opamps) expect(l).toMatch(/ lo=(0|\{-vrail\}) hi=\{vrail\}$/);
    expect(lines.filter((l) => !l.startsWith('.subckt')).join('\n')).not.toMatch(/ (lo|hi)=-?5\b/);
  });

  it('the macro model puts every model value in .param', () => {
    const m = emitNetlist(r, { opamp: parseOpamp('macro:gain=1e6,gbw=10e6,headroom=0.05') }).split('\n');
    expect(m.filter((l) => l.startsWith('.param '))).toEqual(['.param vrail=5 vref=1 opamp_gain=1000000 opamp_gbw=10000000 opamp_headroom=0.05 opamp_rin=1000000000000 opamp_rout=50 opamp_iq=0.0005']);
    expect(m).toContain('VDD vdd 0 DC {vrail}');
    expect(m).toContain('VSS vss 0 DC {-vrail}');
    const body = m.slice(m.findIndex((l) => l.startsWith('.subckt ohm_opamp')), m.indexOf('.ends ohm_opamp'));
    for (const l of body.slice(1)) expect(l.split(/\s+/).slice(3).join(' ')).not.toMatch(/\b(1000000|10000000|0\.05|50|0\.0005)\b/);
  });

  it('has one .subckt per layer and one for the network, instantiated once at the top level', () => {
    const subckts = lines.filter((l) => l.startsWith('.subckt ')).map((l) => l.split(' ')[1]);
    const layers = subckts.filter((s) => s.startsWith('ohm_layer'));
    expect(layers).toHaveLength(layerCount(r.tnet));
    expect(subckts.filter((s) => s === 'ohm_network')).toHaveLength(1);
    // Every layer is instantiated once, inside the network; the network once, at the top level (after its .ends).
    const net0 = lines.indexOf(lines.find((l) => l.startsWith('.subckt ohm_network'))!);
    const net1 = lines.indexOf('.ends ohm_network');
    for (const name of layers) {
      const uses = lines.map((l, k) => [l, k] as const).filter(([l]) => l.endsWith(` ${name}`) && l.startsWith('X'));
      expect(uses).toHaveLength(1);
      expect(uses[0][1]).toBeGreaterThan(net0);
      expect(uses[0][1]).toBeLessThan(net1);
    }
    const top = lines.slice(net1 + 1).filter((l) => /^X/.test(l));
    expect(top).toEqual(['Xnet in0 in1 in2 in3 out0 out1 out2 vref ohm_network']);
    // Inputs, reference and outputs stay at the top level, where verify.ts and the engines look for them.
    expect(lines.slice(net1 + 1).filter((l) => /^VIN\d /.test(l))).toHaveLength(4);
  });

  it('splits a layer wider than the pin limit into parts that partition its blocks', () => {
    const big = realized('digits_cnn');
    const limit = 120;
    const { layers, loose } = layerCircuits(big, limit);
    expect(loose).toHaveLength(0);
    const all = layers.flatMap((l) => Array.from(l.blocks));
    expect(all.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: big.tnet.neurons.count }, (_, i) => i));
    for (const l of layers) expect(l.pins.length).toBeLessThanOrEqual(limit);
    expect(layers.some((l) => /_\d+$/.test(l.name))).toBe(true);
    // At the real limit the digits CNN's layers fit, and none is wider than ngspice reads.
    for (const l of buildCircuit(big, { opamp: DEFAULT_IDEAL }).layers) expect(l.pins.length).toBeLessThanOrEqual(PIN_LIMIT);
  });
});

describe('buffer comments', () => {
  it('name the signal the buffer copies (the root of its tree), not the layer it feeds', () => {
    const r = realized('iris_mlp', 2);
    const net = r.tnet;
    const n = net.neurons;
    const text = emitNetlist(r, { opamp: DEFAULT_IDEAL });
    let checked = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.role[i] !== ROLE.buffer) continue;
      let s = n.src[n.rowPtr[i]];
      while (s >= net.inputCount && n.role[s - net.inputCount] === ROLE.buffer) s = n.src[n.rowPtr[s - net.inputCount]];
      const line = text.split('\n').find((l) => l.startsWith(`* neuron ${i}: `))!;
      const name = s < net.inputCount ? `in${s} (network input ${s})` : `n${s - net.inputCount} (neuron ${s - net.inputCount}: `;
      expect(line).toContain(`buffer of ${name}`);
      checked++;
    }
    expect(checked).toBeGreaterThan(3);
  });
});
