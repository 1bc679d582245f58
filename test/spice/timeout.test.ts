// The default SPICE time limit grows with the netlist (issue 18: a fixed 61 s failed a 7 k-neuron CNN that needed 90 s).

import { describe, expect, it } from 'vitest';
import { defaultTimeoutMs, lineCount } from '../../src/spice/engines/types.js';

describe('defaultTimeoutMs', () => {
  it('is a minute plus, per sample, 0.25 s and 50 us per netlist line', () => {
    expect(defaultTimeoutMs(20)).toBe(65_000);
    // The digits CNN's netlist, ~55 k lines: two minutes for 20 samples (ngspice needs ~10 s on an idle machine).
    expect(defaultTimeoutMs(20, 55_000)).toBe(120_000);
    // MobileNet v1's 24 M-line netlist: ~20 minutes per sample.
    expect(defaultTimeoutMs(1, 24_000_000)).toBe(60_000 + 250 + 1_200_000);
  });

  it('counts lines without splitting the text', () => {
    expect(lineCount('')).toBe(1);
    expect(lineCount('title\nR1 a b 1k\n.end\n')).toBe(4);
  });
});
