// `ohmnet train --target crossbar` (issue 17): runs the on-line crossbar training on a sample file, writes the trained
// conductances as JSON, prints the accuracy; bad input (a pulse longer than the write window, a model argument, an
// unknown device, windows that do not fit the slot) exits 2 with one line and writes nothing.

import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, FIXTURES } from '../helpers.js';
import { VTEAM_MEMTORCH } from '../../src/presets/memristors.js';

const dir = mkdtempSync(join(tmpdir(), 'ohmnet-xbar-'));
const data = join(FIXTURES, 'train', 'iris_train.json');
const test = join(FIXTURES, 'train', 'iris_test.json');

describe('ohmnet train --target crossbar', () => {
  it('trains on --data, measures on --test, writes the conductances and prints the accuracy', async () => {
    const out = join(dir, 'xbar.json');
    const r = await runCli(['train', '--target', 'crossbar', '--device', 'vteam', '--data', data, '--test', test, '--iterations', '5', '-o', out, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const printed = JSON.parse(r.stdout);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.target).toBe('crossbar');
    expect(doc.deviceModel.name).toBe('vteam');
    expect(doc.layers).toHaveLength(1);
    expect(doc.layers[0].gPlusS).toHaveLength(5); // 4 features + the bias row
    expect(doc.layers[0].gPlusS[0]).toHaveLength(3);
    for (const g of [...doc.layers[0].gPlusS.flat(), ...doc.layers[0].gMinusS.flat()]) expect(g).toBeGreaterThanOrEqual(1 / 1000 - 1e-15);
    expect(doc.test.samples).toBe(30);
    expect(doc.test.accuracy).toBe(printed.testAccuracy);
    expect(printed.testAccuracy).toBeGreaterThanOrEqual(0.6);
    expect(doc.iterationErrors).toHaveLength(5);
  });

  it('without --test splits --data into two seeded halves; --hidden gives two crossbars', async () => {
    const out = join(dir, 'halves.json');
    const r = await runCli(['train', '--target', 'crossbar', '--data', data, '--iterations', '1', '--hidden', '4', '-o', out]);
    expect(r.stdout).toMatch(/trained 5 x 4 and 5 x 3 crossbars of vteam pairs/);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/test accuracy [\d.]+% on \d+ samples \(the other half of /);
    const doc = JSON.parse(readFileSync(out, 'utf8'));
    expect(doc.train.samples + doc.test.samples).toBe(120);
    expect(doc.layers.map((l: { weights: number[][] }) => [l.weights.length, l.weights[0]!.length])).toEqual([[5, 4], [5, 3]]);
  });

  it.each([
    [['--max-pulse', '1e-4'], /write pulse of 0.0001 s is longer than the write window T_write 0.00008 s; shorten the pulse or lengthen --write-window/],
    [['--read-window', '5e-5'], /do not fit the pulse slot of 0.0001 s; make --read-window \+ --write-window at most the 1e-4 s pulse slot/],
    [['--d2d', '0.7'], /--d2d 0.7 must be a finite number in \[0, 0.5\)/],
    [['--momentum', '1'], /--momentum 1 must be in \[0, 1\)/],
    [['--iterations', '0'], /--iterations/],
  ])('bad input %j exits 2 with one line and writes nothing', async (extra, message) => {
    const out = join(dir, `bad-${extra[0]!.slice(2)}.json`);
    const r = await runCli(['train', '--target', 'crossbar', '--data', data, '-o', out, '--iterations', '1', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  });

  it('takes a device model from a JSON file, and refuses one with a null parameter or an inverted range (exit 2, one line)', async () => {
    const good = join(dir, 'my-vteam.json');
    writeFileSync(good, JSON.stringify({ ...VTEAM_MEMTORCH, name: 'my-vteam', rOffOhm: 2000 }));
    const ok = await runCli(['train', '--target', 'crossbar', '--device', good, '--data', data, '--iterations', '1', '-o', join(dir, 'g.json'), '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).deviceModel).toBe('my-vteam');
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...VTEAM_MEMTORCH, kOnMPerS: null }, /memristor model 'vteam': kOnMPerS is null, not a finite number/],
      [{ ...VTEAM_MEMTORCH, vOffV: undefined }, /vOffV is missing, not a finite number/],
      [{ ...VTEAM_MEMTORCH, rOnOhm: 5000 }, /conductance range is inverted \(R_on 5000 ohm >= R_off 1000 ohm\)/],
      [{ kind: 'hp' }, /is not a memristor model/],
    ];
    for (const [record, message] of cases) {
      const file = join(dir, 'bad-model.json');
      writeFileSync(file, JSON.stringify(record));
      const out = join(dir, 'never.json');
      const r = await runCli(['train', '--target', 'crossbar', '--device', file, '--data', data, '-o', out]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }
  });

  it('a model argument, an unknown device and a missing model are usage errors', async () => {
    const withModel = await runCli(['train', join(FIXTURES, 'iris_mlp.onnx'), '--target', 'crossbar', '--data', data, '-o', join(dir, 'm.json')]);
    expect(withModel.code).toBe(2);
    expect(withModel.stderr).toMatch(/takes no model/);
    const device = await runCli(['train', '--target', 'crossbar', '--device', 'hp', '--data', data, '-o', join(dir, 'd.json')]);
    expect(device.code).toBe(2);
    const none = await runCli(['train', '--data', data, '-o', join(dir, 'n.onnx')]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/train needs a model file .*or --target crossbar/);
    const both = await runCli(['train', '--target', 'crossbar', '--synapse', 'lut:x.json', '--data', data, '-o', join(dir, 'b.json')]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/--synapse and --target crossbar/);
  });
});
