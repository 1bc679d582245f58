// The on-line crossbar API through the package entry point: bad arguments (null, the wrong kind of value) give
// OhmnetError, never a TypeError (as test/api/arguments.test.ts asks of the other entry points).

import { describe, expect, it } from 'vitest';
import * as api from '../../src/index.js';
import { isOhmnetError } from '../../src/errors.js';

const garbage: unknown[] = [null, undefined, 0, 'x', {}, [], { inputs: 'x', labels: [] }, { inputs: [1], labels: [0] }];
const data = { inputs: [[0.1, 0.9], [0.8, 0.2]], labels: [0, 1] };

function outcome(call: () => unknown): string {
  try {
    call();
    return 'ok';
  } catch (e) {
    return isOhmnetError(e) ? 'ohmnet' : `${(e as Error)?.name}: ${(e as Error)?.message}`;
  }
}

describe('on-line crossbar API, bad arguments', () => {
  const calls: [string, (g: unknown) => unknown][] = [
    ['trainOnline(g, test)', (g) => api.trainOnline(g as never, data, 2, { deviceModel: api.VTEAM_MEMTORCH, iterations: 1, slotsPerIteration: 2 })],
    ['trainOnline(train, g)', (g) => api.trainOnline(data, g as never, 2, { deviceModel: api.VTEAM_MEMTORCH, iterations: 1, slotsPerIteration: 2 })],
    ['trainOnline(..., g options)', (g) => api.trainOnline(data, data, 2, g as never)],
    ['trainOnline(..., deviceModel g)', (g) => api.trainOnline(data, data, 2, { deviceModel: g as never })],
    ['createDevices(g)', (g) => api.createDevices(g as never, 1)],
    ['validateModel(g)', (g) => api.validateModel(g as never)],
  ];
  it.each(calls)('%s', (_name, call) => {
    for (const g of garbage) {
      const r = outcome(() => call(g));
      expect(r === 'ok' || r === 'ohmnet', `${JSON.stringify(g) ?? String(g)}: ${r}`).toBe(true);
    }
  });
  it('a sound call works', () => {
    const r = api.trainOnline(data, data, 2, { deviceModel: api.VTEAM_MEMTORCH, iterations: 1, slotsPerIteration: 10 });
    expect(r.layers[0]!.weights).toHaveLength(3);
  });
});
