// Test helper run as a child process by interrupt.test.ts (through tsx, so that no build is needed): either the
// CLI itself (`cli <args>`: bin/ohmnet.js's two lines on the sources) or one long transient run on the ngspice
// engine (`engine`), both under the CLI's signal handler. It prints "running" once ngspice has been started.

import { installSignalCleanup, main } from '../../src/cli/main.js';
import { createEngine } from '../../src/spice/engines/index.js';

installSignalCleanup();
const [mode, ...args] = process.argv.slice(2);
if (mode === 'cli') {
  main(args).then((code) => {
    process.exitCode = code;
  });
} else {
  const engine = await createEngine('ngspice');
  // 1e7 steps of an RC circuit: minutes of work, far beyond the test's patience.
  const netlist = 'rc\nVIN0 in0 0 DC 0\nR1 in0 out0 1k\nC1 out0 0 1u\n.end\n';
  await engine.transient({
    netlist,
    inputs: [{ kind: 'pulse', low: 0, high: 1, delayS: 0, riseS: 1e-7, fallS: 1e-7, widthS: 1e-4, periodS: 1e-3 }],
    probes: ['out0'],
    stopTimeS: 10,
    maxStepS: 1e-6,
    readTimesS: [10],
  });
  process.stdout.write('finished\n');
}
