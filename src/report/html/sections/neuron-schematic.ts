// A drawing of one neuron: the differential summing amplifier of src/realize/circuit.ts as a hand-written inline SVG,
// with the neuron's real element names (the netlist's and resistors.csv's) and values. The neuron shown is the one
// with the largest fan-in of the first source layer that has neurons (the lowest-numbered on a tie); at most
// SHOWN_INPUTS inputs are drawn, the rest are counted. Deterministic: coordinates are integers of a fixed layout.

import { neuronElement as el } from '../../../realize/circuit.js';
import type { Realized } from '../../../realize/realize.js';
import { BLOCK } from '../../../tnet/blocks.js';
import { escapeHtml as esc, note, ohms } from '../format.js';
import type { SectionInput } from '../section.js';

/** Most inputs the drawing shows. */
export const SHOWN_INPUTS = 6;

/** The neuron the section draws: largest fan-in in the first source layer with neurons; -1 when there is none. */
export function chosenNeuron(r: Realized): number {
  const n = r.tnet.neurons;
  // Only a summing neuron has this circuit (a multiplier cell has no resistors).
  const neuron = (i: number) => n.block[i] === BLOCK.neuron;
  let origin = Infinity;
  for (let i = 0; i < n.count; i++) if (neuron(i) && n.origin[i] >= 0) origin = Math.min(origin, n.origin[i]);
  let best = -1;
  for (let i = 0; i < n.count; i++) {
    if (!neuron(i) || (origin !== Infinity && n.origin[i] !== origin)) continue;
    if (best < 0 || n.rowPtr[i + 1] - n.rowPtr[i] > n.rowPtr[best + 1] - n.rowPtr[best]) best = i;
  }
  return best;
}

const signalName = (r: Realized, s: number) => (s < r.tnet.inputCount ? `in${s}` : `n${s - r.tnet.inputCount}`);

function text(x: number, y: number, s: string, anchor: 'start' | 'middle' | 'end' = 'start', cls = ''): string {
  return `<text x="${x}" y="${y}" text-anchor="${anchor}"${cls ? ` class="${cls}"` : ''}>${esc(s)}</text>`;
}

/** A horizontal resistor from x0 to x1 at y: leads, a box, and above it the element name and its value. */
function resistorH(x0: number, x1: number, y: number, name: string, ohm: number): string {
  const c = (x0 + x1) / 2;
  return [
    `<path d="M${x0} ${y}H${c - 28}M${c + 28} ${y}H${x1}"/>`,
    `<rect x="${c - 28}" y="${y - 7}" width="56" height="14"/>`,
    text(c - 2, y - 10, name, 'end', 'el'),
    text(c + 2, y - 10, ohms(ohm), 'start', 'val'),
  ].join('');
}

/** A vertical resistor from (x, y0) down to a ground symbol. */
function resistorToGround(x: number, y0: number, name: string, ohm: number): string {
  return [
    `<path d="M${x} ${y0}V${y0 + 12}M${x} ${y0 + 52}V${y0 + 64}M${x - 10} ${y0 + 64}H${x + 10}M${x - 6} ${y0 + 68}H${x + 6}M${x - 2} ${y0 + 72}H${x + 2}"/>`,
    `<rect x="${x - 7}" y="${y0 + 12}" width="14" height="40"/>`,
    text(x + 12, y0 + 30, name, 'start', 'el'),
    text(x + 12, y0 + 44, ohms(ohm), 'start', 'val'),
  ].join('');
}

/** The SVG of neuron i's summator (the gain stage and the activation are named in the caption, not drawn). */
export function neuronSvg(r: Realized, i: number): string {
  const n = r.tnet.neurons;
  const start = n.rowPtr[i];
  const fanIn = n.rowPtr[i + 1] - start;
  const shown = Math.min(fanIn, SHOWN_INPUTS);
  const hasBias = r.rBiasPlusOhm[i] !== Infinity;
  const rowH = 64;
  const top = 40;
  const rows: string[] = [];
  const busM = 330;
  const busP = 350;
  let y = top;
  const branch = (label: string, nameM: string, ohmM: number, nameP: string, ohmP: number, open: boolean) => {
    rows.push(text(8, y + 14, label, 'start', 'sig'));
    if (open) {
      rows.push(text(120, y + 14, `${nameM} / ${nameP}: open (weight 0)`, 'start', 'val'));
    } else {
      rows.push(`<path d="M70 ${y + 10}H90V${y}M90 ${y + 10}V${y + 32}"/><circle cx="90" cy="${y + 10}" r="2.5" class="dot"/>`);
      rows.push(resistorH(90, busM, y, nameM, ohmM), `<circle cx="${busM}" cy="${y}" r="2.5" class="dot"/>`);
      rows.push(resistorH(90, busP, y + 32, nameP, ohmP), `<circle cx="${busP}" cy="${y + 32}" r="2.5" class="dot"/>`);
    }
    y += rowH;
  };
  for (let k = 0; k < shown; k++) {
    const e = start + k;
    branch(`${signalName(r, n.src[e])}`, el.minus(i, k), r.rMinusOhm[e], el.plus(i, k), r.rPlusOhm[e], r.rPlusOhm[e] === Infinity);
  }
  if (fanIn > shown) {
    rows.push(text(8, y + 10, `… ${fanIn - shown} more input${fanIn - shown === 1 ? '' : 's'} (${el.minus(i, shown)} … ${el.minus(i, fanIn - 1)}, ${el.plus(i, shown)} … ${el.plus(i, fanIn - 1)})`, 'start', 'val'));
    y += 30;
  }
  if (hasBias) branch('V_ref', el.biasMinus(i), r.rBiasMinusOhm[i], el.biasPlus(i), r.rBiasPlusOhm[i], false);
  const busBottom = y;
  // The op-amp: (-) at the top pin, (+) at the bottom pin.
  const ax = 430;
  const ay = Math.max(top + 40, Math.round((top + busBottom) / 2));
  const pinM = ay - 20;
  const pinP = ay + 20;
  const out = ax + 90;
  const parts: string[] = [
    `<path d="M${busM} ${top}V${busBottom}M${busP} ${top + 32}V${busBottom + 20}"/>`,
    `<path d="M${busM} ${pinM}H${ax}M${busP} ${pinP}H${ax}"/>`,
    `<circle cx="${busM}" cy="${pinM}" r="2.5" class="dot"/><circle cx="${busP}" cy="${pinP}" r="2.5" class="dot"/>`,
    `<path d="M${ax} ${ay - 40}V${ay + 40}L${out} ${ay}Z" class="opamp"/>`,
    text(ax + 6, pinM + 5, '−', 'start', 'pin'), text(ax + 6, pinP + 5, '+', 'start', 'pin'),
    text(ax + 30, ay + 4, el.summator(i), 'middle', 'el'),
    // Feedback R_f from the output back to (-), above the amplifier.
    `<path d="M${out} ${ay}H${out + 30}V${top - 10}M${busM} ${top - 10}V${pinM}"/>`,
    resistorH(busM, out + 30, top - 10, el.feedback(i), r.rFeedbackOhm[i]),
    `<circle cx="${out + 30}" cy="${ay}" r="2.5" class="dot"/>`,
    text(out + 36, ay - 6, `n${i}`, 'start', 'sig'),
  ];
  // R_g = R_f from (+) to ground, and the normalizer on the side that needs it (its second value, if any, beside it).
  const gx = busP + 40;
  parts.push(`<path d="M${busP} ${busBottom + 20}H${gx}"/><circle cx="${busP}" cy="${busBottom + 20}" r="2.5" class="dot"/>`, resistorToGround(gx, busBottom + 20, el.ground(i), r.rFeedbackOhm[i]));
  let bottom = busBottom + 96;
  let w = out + 120;
  if (r.rNormPlusOhm[i] !== Infinity) {
    parts.push(`<path d="M${gx} ${busBottom + 20}H${gx + 90}"/><circle cx="${gx}" cy="${busBottom + 20}" r="2.5" class="dot"/>`, resistorToGround(gx + 90, busBottom + 20, copies(el.normalizerPlus(i), r.normPlusCount[i]), r.rNormPlusOhm[i]));
    if (r.rNormPlus2Ohm[i] !== Infinity) {
      parts.push(`<path d="M${gx + 90} ${busBottom + 20}H${gx + 180}"/><circle cx="${gx + 90}" cy="${busBottom + 20}" r="2.5" class="dot"/>`, resistorToGround(gx + 180, busBottom + 20, el.normalizerPlus2(i), r.rNormPlus2Ohm[i]));
      w = Math.max(w, gx + 180 + 100);
    }
  }
  if (r.rNormMinusOhm[i] !== Infinity) {
    const nx = busM - 40;
    parts.push(`<path d="M${busM} ${busBottom}H${nx}"/><circle cx="${busM}" cy="${busBottom}" r="2.5" class="dot"/>`, resistorToGround(nx, busBottom, copies(el.normalizerMinus(i), r.normMinusCount[i]), r.rNormMinusOhm[i]));
    if (r.rNormMinus2Ohm[i] !== Infinity) {
      parts.push(`<path d="M${nx} ${busBottom}H${nx - 100}"/><circle cx="${nx}" cy="${busBottom}" r="2.5" class="dot"/>`, resistorToGround(nx - 100, busBottom, el.normalizerMinus2(i), r.rNormMinus2Ohm[i]));
    }
    bottom = Math.max(bottom, busBottom + 80);
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" class="schematic" data-neuron="${i}" width="${w}" height="${bottom}" viewBox="0 ${top - 40} ${w} ${bottom - top + 40}" role="img" aria-label="${esc(`schematic of neuron ${i}`)}">
<style>.schematic path,.schematic rect{fill:none;stroke:#222;stroke-width:1.4}.schematic .opamp{fill:#f4f6fb}.schematic .dot{fill:#222;stroke:none}.schematic text{font:11px sans-serif;fill:#222}.schematic .el{font-weight:600}.schematic .val{fill:#555}.schematic .sig{fill:#1f4e9a}.schematic .pin{font-size:14px}</style>
${rows.join('\n')}
${parts.join('\n')}
</svg>`;
}

export function neuronSchematic({ data }: SectionInput): string {
  const r = data.realized;
  const i = chosenNeuron(r);
  if (i < 0) return note('The network has no neurons to draw.');
  const n = r.tnet.neurons;
  const o = n.origin[i] >= 0 ? r.tnet.origins[n.origin[i]] : null;
  const fanIn = n.rowPtr[i + 1] - n.rowPtr[i];
  const gain = r.gain[i] !== 1 ? ` It is followed by a non-inverting gain stage ${el.gainStage(i)} (gain ${Number(r.gain[i].toPrecision(4))}: ${el.gainA(i)} ${ohms(r.rGainAOhm[i])}, ${el.gainB(i)} ${ohms(r.rGainBOhm[i])}).` : '';
  return [
    `<p>Neuron ${i}${o ? ` of ${esc(o.op)} <code>${esc(o.name)}</code>` : ''}, the largest fan-in (${fanIn}) of the first layer, as a differential summing amplifier: each input reaches (−) through R− and (+) through R+, R_f feeds the output back to (−) and the same value ties (+) to ground, the bias pair connects V_ref, and the normalizer equalizes the two inputs' conductances. Element names and values are those of netlist.cir and resistors.csv.${gain}</p>`,
    `<figure class="schematic-figure">\n${neuronSvg(r, i)}\n</figure>`,
  ].join('\n');
}

/** A normalizer's label: its element name, and how many copies are in parallel when more than one (the second value,
 * when there is one, is drawn beside it with its own name). */
function copies(name: string, count: number): string {
  return count > 1 ? `${name} ×${count}` : name;
}
