// report.html: one self-contained page (no scripts, no external resources) of everything `compile` computed: the
// source model, the T-network per layer, the weight distributions (patent FIGS. 26A-26K), the resistor set's
// achievable weights against the weights it must realize, quantization error, Monte Carlo over tolerance, equivalence
// and SPICE agreement, and the options. Plots are static SVG rendered in Node by vega-lite/vega (src/report/plots.ts).
//
// This module is the page's shell and its one ordered list of sections; the figures are computed once from the data
// (src/report/figures.ts) and each section (sections/*.ts) formats its part. The same ReportData always gives the
// same bytes: no timestamps, ids scoped and numbered per chart.

import type { ReportData } from '../data.js';
import { computeFigures } from '../figures.js';
import { escapeHtml as esc } from './format.js';
import { htmlPage } from './shell.js';
import type { SectionRenderer } from './section.js';
import { bom } from './sections/bom.js';
import { masks } from './sections/masks.js';
import { pruning } from './sections/pruning.js';
import { equivalence } from './sections/equivalence.js';
import { energy } from './sections/energy.js';
import { layerError } from './sections/layer-error.js';
import { time } from './sections/time.js';
import { layerSensitivity } from './sections/layer-sensitivity.js';
import { monteCarlo } from './sections/monte-carlo.js';
import { neuronSchematic } from './sections/neuron-schematic.js';
import { options } from './sections/options.js';
import { overview } from './sections/overview.js';
import { quantization } from './sections/quantization.js';
import { reproduce } from './sections/reproduce.js';
import { signalSwing } from './sections/signal-swing.js';
import { sourceLayers } from './sections/source-layers.js';
import { tnetLayers } from './sections/tnet-layers.js';
import { weightGrid } from './sections/weight-grid.js';
import { weightHistograms } from './sections/weight-histograms.js';
import { verdicts } from './sections/verdicts.js';

export interface Section {
  /** The anchor of the <section>, and of its entry in the table of contents. */
  readonly id: string;
  /** Its entry in the table of contents. */
  readonly toc: string;
  /** Its <h2>. */
  readonly title: string;
  readonly render: SectionRenderer;
  /** Whether the report has the section (default: always), e.g. only a clocked network has a time axis. */
  readonly when?: (data: ReportData) => boolean;
}

/** The sections in page order. */
export const SECTIONS: readonly Section[] = [
  { id: 'verdicts', toc: 'Verdicts', title: 'Verdicts', render: verdicts },
  { id: 'overview', toc: 'Overview', title: 'Overview', render: overview },
  { id: 'source-layers', toc: 'Source layers', title: 'Source model layers', render: sourceLayers },
  { id: 'tnet-layers', toc: 'T-network layers', title: 'T-network layers', render: tnetLayers },
  { id: 'signal-swing', toc: 'Signal swing', title: 'Share of the signal swing per layer', render: signalSwing },
  { id: 'weight-histograms', toc: 'Weight histograms', title: 'Weight distributions per layer', render: weightHistograms },
  { id: 'weight-grid', toc: 'Weight grid', title: 'Achievable weights of the resistor set', render: weightGrid },
  { id: 'bom', toc: 'Bill of materials', title: 'Bill of materials', render: bom },
  { id: 'masks', toc: 'Masks', title: 'Masks: area, process and modules', render: masks, when: (d) => Boolean(d.masks?.masks) },
  { id: 'pruning', toc: 'Pruning', title: 'Pruning and knowledge extraction', render: pruning, when: (d) => Boolean(d.summary.pruning) },
  { id: 'quantization', toc: 'Quantization error', title: 'Quantization error per layer', render: quantization },
  { id: 'layer-error', toc: 'Layer error', title: 'Output error per layer', render: layerError },
  { id: 'time', toc: 'Clock and time', title: 'Clock, blocks and error per tick', render: time, when: (d) => Boolean(d.summary.clock) },
  { id: 'monte-carlo', toc: 'Monte Carlo', title: 'Monte Carlo over resistor tolerance', render: monteCarlo },
  { id: 'layer-sensitivity', toc: 'Layer sensitivity', title: 'Monte Carlo sensitivity per layer', render: layerSensitivity },
  { id: 'energy', toc: 'Time and energy', title: 'Latency, energy and power gating', render: energy, when: (d) => Boolean(d.summary.energy) },
  { id: 'neuron-schematic', toc: 'One neuron', title: 'One neuron as built', render: neuronSchematic },
  { id: 'equivalence', toc: 'Equivalence', title: 'Equivalence', render: equivalence },
  { id: 'options', toc: 'Options', title: 'Options and passes', render: options },
  { id: 'reproduce', toc: 'Command line', title: 'The command line of this run', render: reproduce },
];

/** Renders the report page. Deterministic: the same data gives the same bytes. */
export async function renderReport(data: ReportData): Promise<string> {
  const s = data.summary;
  const input = { data, figures: computeFigures(data) };
  const bodies: string[] = [];
  // One after the other: charts render in page order.
  const sections = SECTIONS.filter((sec) => !sec.when || sec.when(data));
  for (const sec of sections) bodies.push(`<section id="${sec.id}">\n<h2>${esc(sec.title)}</h2>\n${await sec.render(input)}\n</section>`);
  const title = `ohmnet report: ${s.model.name}`;
  const sub = [s.model.file !== null ? s.model.file : null, s.model.origin, `${s.tool.name} ${s.tool.version}`].filter((x): x is string => x !== null).map(esc).join(' · ');
  return htmlPage({ title, generator: `${s.tool.name} ${s.tool.version}`, subtitleHtml: sub, sections: sections.map((sec) => ({ id: sec.id, toc: sec.toc })), bodyHtml: bodies.join('\n\n') });
}
