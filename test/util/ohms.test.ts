import { describe, expect, it } from 'vitest';
import { ohms } from '../../src/util/format.js';
import { ohms as reportOhms } from '../../src/report/html/format.js';

describe('ohms: one way to print a resistance', () => {
  it('uses 4 significant digits, an SI prefix and a space', () => {
    expect(ohms(280000)).toBe('280 kΩ');
    expect(ohms(1e6)).toBe('1 MΩ');
    expect(ohms(97.6)).toBe('97.6 Ω');
    expect(ohms(279560.0558659217)).toBe('279.6 kΩ');
    expect(ohms(2.2e9)).toBe('2.2 GΩ');
    expect(ohms(0.5)).toBe('0.5 Ω');
  });
  it('moves to the next prefix when rounding reaches 1000', () => {
    expect(ohms(999960)).toBe('1 MΩ');
    expect(ohms(999.96)).toBe('1 kΩ');
  });
  it('prints a missing resistor as open', () => {
    expect(ohms(Infinity)).toBe('open');
  });
  it('is the formatter the report uses', () => {
    expect(reportOhms).toBe(ohms);
  });
});
