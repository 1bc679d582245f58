// `ohmnet verify <model> --spice`: compile and realize (with the compile flags), emit the netlist, solve it with a
// SPICE engine for N samples, and compare with the behavioural realized network and the source model.
// Exit code 1 when SPICE and the behavioural simulation disagree by more than 1e-4 of the rails.

import { usageError } from '../errors.js';
import { importModel } from '../import/index.js';
import type { Graph } from '../ir/ops.js';
import { realizeCompiled } from '../realize/stage.js';
import { formatTable } from '../report/table.js';
import { verifySpice, type SpiceVerification } from '../spice/verify.js';
import type { Compiled } from '../transform/pipeline.js';
import { compileGraph } from '../transform/pipeline.js';
import type { Realized } from '../realize/realize.js';
import { compileOptionsFrom, realizationOptionsFrom, spiceOptionsFrom, type CompileFlags, type RealizationFlags, type SpiceFlags, type SpiceOptions } from './compile-flags.js';
import type { CliIO } from './context.js';
import { importOptionsFrom, type ModelFlags } from './options.js';

export interface VerifyFlags extends ModelFlags, CompileFlags, RealizationFlags, SpiceFlags {
  spice?: boolean;
  json?: boolean;
}

/** SPICE verification of a realized network on the first N calibration samples. */
export function spiceCheck(graph: Graph, compiled: Compiled, realized: Realized, o: SpiceOptions): Promise<SpiceVerification> {
  const samples = compiled.options.calibration.slice(0, o.samples);
  return verifySpice(graph, realized, { engine: o.engine, opamp: o.opamp, samples, ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}) });
}

export function formatSpiceVerification(v: SpiceVerification): string[] {
  const g = v.finiteGain;
  const lines = [
    `SPICE (${v.engine}, ${v.opamp.kind} op-amps${v.opamp.kind === 'macro' ? `, A0 ${v.opamp.gain}` : ''}) on ${v.samples} samples, ${v.seconds.toFixed(2)} s:`,
    `  max |SPICE - behavioural realized| ${v.maxVsBehaviouralV.toExponential(3)} V (tolerance ${v.toleranceV.toExponential(1)} V): ${v.passed ? 'agree' : 'DISAGREE'}`,
    `  max |SPICE - source model| ${v.maxVsSource.toExponential(3)}; class agreement with the source ${(100 * v.classAgreementVsSource).toFixed(1)}%, with the behavioural network ${(100 * v.classAgreementVsBehavioural).toFixed(1)}%`,
  ];
  if (g) lines.push(`  finite open-loop gain: largest noise gain ${g.maxNoiseGain.toFixed(1)}, so up to ${g.relativeErrorPerNeuron.toExponential(2)} relative error per neuron (noise gain / A0), accumulating through the layers`);
  if (v.perOutput.length <= 32) {
    lines.push(formatTable(['output', '|SPICE - behavioural| (V)', '|SPICE - source|'], v.perOutput.map((p) => [`out${p.output}`, p.maxVsBehaviouralV.toExponential(3), p.maxVsSource.toExponential(3)]), [false, true, true]).split('\n').map((l) => `  ${l}`).join('\n'));
  }
  return lines;
}

export async function verifyCommand(model: string, flags: VerifyFlags, io: CliIO): Promise<number> {
  if (!flags.spice) throw usageError('nothing to verify: pass --spice to cross-validate the netlist with a SPICE engine');
  const graph = importModel(model, importOptionsFrom(flags));
  const realizationOptions = realizationOptionsFrom(flags);
  const spice = spiceOptionsFrom(flags);
  const compiled = compileGraph(graph, compileOptionsFrom(flags, graph));
  const { realized } = await realizeCompiled(graph, compiled, realizationOptions);
  const v = await spiceCheck(graph, compiled, realized, spice);
  io.out(flags.json ? JSON.stringify(v, null, 2) : formatSpiceVerification(v).join('\n'));
  return v.passed ? 0 : 1;
}
