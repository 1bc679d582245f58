/**
 * The figures of merit of a non-linear synapse network (issue 16; Yuzuguler et al., seed 002, Table 1 and section 4.2):
 * computational density in MAC/s/um^2 from a delay and the cell areas, energy per MAC, and the ratios the seed quotes.
 * "Each MAC operation ... corresponds to a synapse operation": one inference does N_syn MACs in one input-to-output
 * delay. Every synapse has its own weight generator (Fig. 1a), so the area is N_syn (A_syn + A_wgen) + N_soma A_soma.
 * test/synapse/table1.test.ts checks these formulas against the seed's Table 1.
 */

export interface CellAreas {
  readonly synapseUm2: number;
  readonly wgenUm2: number;
  readonly somaUm2: number;
}

/** The seed's layout areas in TSMC 65 nm (@8565): synapse 23.1, WGEN 22.4, soma 76.4 um^2. */
export const SEED_AREAS: CellAreas = { synapseUm2: 23.1, wgenUm2: 22.4, somaUm2: 76.4 };

/** The network the seed projects Table 1 onto (LPAH's): 25.1k synapses and 160 somas (@21065). */
export const SEED_TABLE1_NETWORK = { synapses: 25_100, somas: 160 } as const;

/** Silicon area of a network: N_syn (A_syn + A_wgen) + N_soma A_soma, um^2. */
export function networkAreaUm2(synapses: number, somas: number, a: CellAreas): number {
  return synapses * (a.synapseUm2 + a.wgenUm2) + somas * a.somaUm2;
}

/** Computational density: N_syn MACs per delay per area, MAC/s/um^2. */
export function densityMacPerSUm2(synapses: number, delayS: number, areaUm2: number): number {
  return synapses / (delayS * areaUm2);
}

/** The area a density implies for N_syn MACs per delay (how the seed's LPAH area follows from its table row), um^2. */
export function impliedAreaUm2(synapses: number, delayS: number, densityMacPerSUm2: number): number {
  return synapses / (delayS * densityMacPerSUm2);
}

/** Energy per MAC from the energy of one inference: E / N_syn, joules. */
export function energyPerMacJ(energyPerInferenceJ: number, synapses: number): number {
  return energyPerInferenceJ / synapses;
}

/** Energy of one inference from the mean supply power over the input-to-output delay: P t, joules. */
export function energyPerInferenceJ(powerW: number, delayS: number): number {
  return powerW * delayS;
}

/** One design's Table 1 row. */
export interface Table1Row {
  readonly delayS: number;
  readonly energyPerMacJ: number;
  readonly densityMacPerSUm2: number;
}

/** The ratios the seed quotes for `ours` against a baseline: density (x better), energy (x better), delay (x slower). */
export function table1Ratios(ours: Table1Row, baseline: Table1Row): { density: number; energy: number; delay: number } {
  return {
    density: ours.densityMacPerSUm2 / baseline.densityMacPerSUm2,
    energy: baseline.energyPerMacJ / ours.energyPerMacJ,
    delay: baseline.delayS / ours.delayS,
  };
}
