import { describe, expect, it } from 'vitest';
import { eng, parseEng } from '../../src/spice/eng.js';
import { Rng } from '../../src/util/random.js';

describe('engineering notation', () => {
  it('prints the usual values with suffixes (Meg for mega)', () => {
    expect(eng(280000)).toBe('280k');
    expect(eng(4700)).toBe('4.7k');
    expect(eng(1.5e6)).toBe('1.5Meg');
    expect(eng(279560.0558659217)).toBe('279.5600558659217k');
    expect(eng(100)).toBe('100');
    expect(eng(1e-3)).toBe('1m');
    expect(eng(-2.2e-9)).toBe('-2.2n');
    expect(parseEng('1.5MEG')).toBe(1.5e6);
    expect(parseEng('1m')).toBe(1e-3);
  });
  it('round-trips every float64 exactly', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 20000; i++) {
      const v = Math.exp((rng.next() - 0.5) * 70) * (rng.next() < 0.1 ? -1 : 1);
      expect(parseEng(eng(v))).toBe(v);
    }
  });
});
