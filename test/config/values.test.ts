// Config values that pass the JSON Schema but no parser (issue 20): 1e20 is an "integer" to JSON Schema and 1e400
// parses as Infinity; these, and resistances, ranges and shapes that do not parse, are refused naming the config
// key, not the command-line flag the value would feed. A byte-order mark is accepted.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { isOhmnetError } from '../../src/errors.js';
import { loadFixture, runCli } from '../helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ohmnet-config-values-'));
const fx = loadFixture('tiny_mlp');
let n = 0;
const write = (text: string) => {
  const p = join(tmp, `c${n++}.json`);
  writeFileSync(p, text);
  return p;
};

describe('config values are checked by key', () => {
  it.each([
    ['{"fanIn": 1e20}', /'fanIn' is 100000000000000000000, more than the largest integer ohmnet reads/],
    ['{"maxTensorElements": 1e20}', /'maxTensorElements' is 100000000000000000000, more than the largest integer/],
    ['{"seed": 1e300}', /'seed' is 1e\+300, more than the largest integer/],
    ['{"signalLimit": 1e400}', /'signalLimit' is Infinity, not a finite number/],
    ['{"rMin": "abc"}', /'rMin' is "abc", not a positive resistance; write e\.g\. 100k/],
    ['{"rMax": -5}', /'rMax' is -5, not a positive resistance/],
    ['{"rFeedback": "best"}', /'rFeedback' is "best", not a positive resistance; .*\(or min-error, patent\)/],
    ['{"inputRange": [1]}', /'inputRange' is \[1\], not two finite numbers lo,hi/],
    ['{"inputRange": "0,x"}', /'inputRange' is "0,x", not two finite numbers/],
    ['{"inputShape": [1.5]}', /'inputShape' is \[1\.5\], not a list of positive integers/],
    ['{"inputShape": "0,3"}', /'inputShape' is "0,3", not a list of positive integers/],
    ['{"samples": 200000}', /'samples' must be <= 100000/],
  ])('%s', async (text, re) => {
    const cfg = write(text);
    const r = await runCli(['compile', fx.path, '-o', join(tmp, `out${n}`), '--config', cfg]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`config file '.*': `));
    expect(lines[0]).toMatch(re as RegExp);
    expect(lines[0]).not.toMatch(/--[a-z]/);
  });

  it('legal values still load: a resistance as text or ohms, rFeedback keywords, ranges and shapes in both forms', () => {
    for (const text of ['{"rMin": "100k", "rMax": 1000000, "rFeedback": "patent"}', '{"rFeedback": "min-error", "inputRange": "-1,1"}',
      '{"inputRange": [-1, 1], "inputShape": [3]}', '{"inputShape": "3", "seed": 9007199254740991}']) {
      expect(() => loadConfig(write(text))).not.toThrow();
    }
  });

  it('a byte-order mark is accepted, not shown as an invisible character', async () => {
    const cfg = write('\uFEFF{"fanIn": 3, "calibration": ' + JSON.stringify(fx.path.replace('.onnx', '.json')) + '}');
    expect(loadConfig(cfg).fanIn).toBe(3);
    const r = await runCli(['compile', fx.path, '-o', join(tmp, 'bom'), '--config', cfg, '--json']);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).constraints.fanIn).toBe(3);
  });

  it('deep nesting is a schema error, not a crash', () => {
    let msg = '';
    try {
      loadConfig(write(`{"fanIn": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`));
    } catch (e) {
      if (!isOhmnetError(e)) throw e;
      msg = e.message;
    }
    expect(msg).toMatch(/'fanIn' must be integer/);
  });
});
