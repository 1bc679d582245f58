// SPICE DC verification of networks with multiplier blocks (issue 11): the netlist's ohm_mul cells (behavioural
// k v(a) v(b) within the rails) solved by both engines agree with the behavioural realized network (which treats a
// multiplier as ideal, as the cell is) within 1e-4 of the signal limit, on SiLU and a squeeze-and-excitation block.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importOnnxFile } from '../../src/import/onnx.js';
import { realizeCompiled } from '../../src/flow/index.js';
import { ngspiceAvailable } from '../../src/spice/engines/index.js';
import { DEFAULT_IDEAL } from '../../src/spice/models.js';
import { emitNetlist } from '../../src/spice/emit.js';
import { verifySpice } from '../../src/spice/verify.js';
import { BLOCK } from '../../src/tnet/blocks.js';
import { compileGraph } from '../../src/transform/pipeline.js';
import { FIXTURES } from '../helpers.js';

describe.each(['silu_mlp', 'se_block'])('%s', (name) => {
  const fx = JSON.parse(readFileSync(join(FIXTURES, 'recurrent', `${name}.json`), 'utf8')) as { model: string; inputs: number[][] };
  const graph = importOnnxFile(join(FIXTURES, 'recurrent', fx.model));
  const prepared = (async () => {
    const compiled = compileGraph(graph, { calibration: fx.inputs });
    return (await realizeCompiled(graph, compiled, { resistors: 'E96' })).realized;
  })();

  it('realizes no resistors for a multiplier and emits one ohm_mul instance naming its layer and unit', async () => {
    const r = await prepared;
    const n = r.tnet.neurons;
    const text = emitNetlist(r, { opamp: DEFAULT_IDEAL });
    expect(text).toContain('.subckt ohm_mul a b out params: k=1 lo=-5 hi=5');
    expect(text).toContain('Bmul out 0 V = max({lo}, min({hi}, {k}*v(a)*v(b)))');
    let seen = 0;
    for (let i = 0; i < n.count; i++) {
      if (n.block[i] !== BLOCK.multiplier) continue;
      seen++;
      expect(Number.isNaN(r.rFeedbackOhm[i])).toBe(true);
      for (let e = n.rowPtr[i]; e < n.rowPtr[i + 1]; e++) expect(r.rPlusOhm[e]).toBe(Infinity);
      const a = n.src[n.rowPtr[i]];
      const b = n.src[n.rowPtr[i] + 1];
      const net = (s: number) => (s < r.tnet.inputCount ? `in${s}` : `n${s - r.tnet.inputCount}`);
      expect(text).toContain(`X${i} ${net(a)} ${net(b)} n${i} ohm_mul k=${n.paramA[i]} lo={-vrail} hi={vrail}`);
      expect(text).toMatch(new RegExp(`\\* multiplier ${i}: compute of Mul '[^']+' unit ${n.unit[i]}, k `));
      expect(text).not.toContain(`R${i}f `);
    }
    expect(seen).toBeGreaterThan(0);
  });

  it('wasm engine: SPICE agrees with the behavioural realized network within 1e-4 of S', async () => {
    const v = await verifySpice(graph, await prepared, { engine: 'wasm', opamp: DEFAULT_IDEAL, samples: fx.inputs, timeoutMs: 170_000 });
    expect(v.samples).toBe(fx.inputs.length);
    expect(v.maxVsBehaviouralV).toBeLessThanOrEqual(5e-4);
    expect(v.passed).toBe(true);
    expect(v.classAgreementVsBehavioural).toBe(1);
  }, 180_000);

  it.skipIf(!ngspiceAvailable())('ngspice binary: the same', async () => {
    const v = await verifySpice(graph, await prepared, { engine: 'ngspice', opamp: DEFAULT_IDEAL, samples: fx.inputs, timeoutMs: 170_000 });
    expect(v.engine).toBe('ngspice');
    expect(v.maxVsBehaviouralV).toBeLessThanOrEqual(5e-4);
    expect(v.passed).toBe(true);
  }, 180_000);
});
