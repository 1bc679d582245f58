// The project file records the resolved options of a compile: resolveFlowOptions(flowOptionsOf(r)) gives r back, for
// the defaults and for every verdict threshold, so `verify OUT_DIR` judges with the thresholds of the compile.

import { describe, expect, it } from 'vitest';
import { resolveFlowOptions, type FlowOptions } from '../../src/flow/options.js';
import { flowOptionsOf } from '../../src/project/project.js';

const cases: Record<string, FlowOptions> = {
  defaults: {},
  thresholds: { maxOutputErrorV: 0.02, minAccuracy: 0.9, minAgreement: 0.995, allowOutOfRange: true },
  mixed: { fanIn: 8, toleranceRel: 0.01, trials: 5, minAgreement: 0.5, opamp: 'macro:gain=1e6', layers: { fc1: { fanIn: 4, resistors: 'E24' } } } as FlowOptions,
};

describe('project options round trip', () => {
  for (const [name, o] of Object.entries(cases)) {
    it(`${name}: resolveFlowOptions(flowOptionsOf(r)) equals r`, () => {
      const r = resolveFlowOptions(o);
      expect(resolveFlowOptions(JSON.parse(JSON.stringify(flowOptionsOf(r))) as FlowOptions)).toEqual(r);
    });
  }

  it('records the thresholds as given, and null where the default follows the run', () => {
    expect(resolveFlowOptions({}).measure).toMatchObject({ maxOutputErrorV: null, minAccuracy: null, minAgreement: 0.98, allowOutOfRange: false });
    expect(resolveFlowOptions(cases.thresholds).measure).toMatchObject({ maxOutputErrorV: 0.02, minAccuracy: 0.9, minAgreement: 0.995, allowOutOfRange: true });
  });

  it('refuses thresholds out of range with a message naming the option', () => {
    expect(() => resolveFlowOptions({ minAccuracy: 95 })).toThrow(/minAccuracy 95 must be a fraction from 0 to 1/);
    expect(() => resolveFlowOptions({ minAgreement: -0.1 })).toThrow(/minAgreement -0.1 must be a fraction/);
    expect(() => resolveFlowOptions({ maxOutputErrorV: 0 })).toThrow(/maxOutputErrorV 0 must be a positive, finite voltage/);
  });
});
