// The circuit cells of the non-linear synapse network (issue 16, C15; Yuzuguler et al., seed 002, Fig. 1b) as
// ngspice subcircuits, on a 65 nm BSIM4 card: the synapse, the weight generator (WGEN) and the soma. Everything the
// characterization (characterize.ts), the look-up tables (lut.ts) and the transistor-level network
// (transistor-netlist.ts) know about the circuit comes from here; `cellsText()` is the text whose SHA-256 a LUT
// file carries, so tables made from other cells are refused. docs/synapse.md "Cells and look-up tables" explains
// the choices (our reading of Fig. 1b, sizes, Vcc, the area rule).

/**
 * A MOSFET card: ngspice's BSIM4 (level 54) with the primary parameters of the Predictive Technology Model's 65 nm
 * bulk CMOS card (PTM, Arizona State University, ptm.asu.edu, "65nm_bulk.pm", beta release 2006-02-22; Zhao and Cao,
 * "New generation of predictive technology model for sub-45 nm early design exploration", IEEE Trans. Electron
 * Devices 53(11), 2006): oxide, threshold, short-channel, mobility, saturation and output-resistance parameters, and
 * the overlap and junction capacitances. Not the PTM file itself: the parameters not listed take BSIM4's defaults,
 * and gate tunnelling (igcmod, igbmod) and the gate and body resistance networks are off (DC tables need neither,
 * and they slow the sweeps). Seed 002 used the PTM 65 nm bulk card in LTSpice (@30435).
 */
export const MOSFET_CARD: readonly string[] = [
  '* BSIM4 (level 54) with the primary parameters of PTM 65 nm bulk CMOS (ptm.asu.edu, 65nm_bulk.pm, 2006-02-22)',
  '.model nch nmos level=54 version=4.5',
  '+ toxe=1.85e-9 toxp=1.2e-9 toxm=1.85e-9 epsrox=3.9 wint=5e-9 lint=5.25e-9 xl=-30e-9',
  '+ vth0=0.423 k1=0.4 k2=0.01 dvt0=1 dvt1=2 dvt2=-0.032 dsub=0.1 minv=0.05 dvtp0=1e-9 dvtp1=0.1 xj=1.96e-8',
  '+ ngate=2e20 ndep=2.54e18 nsd=2e20 voff=-0.13 nfactor=1.9 eta0=0.0058 vfb=-0.55 u0=0.0491 ua=6e-10 ub=1.2e-18',
  '+ vsat=124340 a0=1 keta=0.04 pclm=0.04 pdiblc1=0.001 pdiblc2=0.001 pdiblcb=-0.005 drout=0.5 delta=0.01',
  '+ pscbe1=8.14e8 pscbe2=1e-7 rdsw=165 cgso=1.5e-10 cgdo=1.5e-10 cgbo=2.56e-11',
  '+ cjs=0.0005 cjd=0.0005 cjsws=5e-10 cjswd=5e-10 igcmod=0 igbmod=0 rgatemod=0 rbodymod=0',
  '.model pch pmos level=54 version=4.5',
  '+ toxe=1.95e-9 toxp=1.2e-9 toxm=1.95e-9 epsrox=3.9 wint=5e-9 lint=5.25e-9 xl=-30e-9',
  '+ vth0=-0.365 k1=0.4 k2=-0.01 dvt0=1 dvt1=2 dvt2=-0.032 dsub=0.1 minv=0.05 dvtp0=1e-9 dvtp1=0.05 xj=1.96e-8',
  '+ ngate=2e20 ndep=1.87e18 nsd=2e20 voff=-0.126 nfactor=1.9 eta0=0.0058 vfb=0.55 u0=0.00574 ua=2e-9 ub=0.5e-18',
  '+ vsat=70000 a0=1 keta=-0.047 pclm=0.12 pdiblc1=0.001 pdiblc2=0.001 pdiblcb=3.4e-8 drout=0.56 delta=0.01',
  '+ pscbe1=8.14e8 pscbe2=9.58e-7 rdsw=165 prwg=3.22e-8 cgso=1.5e-10 cgdo=1.5e-10 cgbo=2.56e-11',
  '+ cjs=0.0005 cjd=0.0005 cjsws=5e-10 cjswd=5e-10 igcmod=0 igbmod=0 rgatemod=0 rbodymod=0',
];

/**
 * Supply voltage. Seed 002 never gives Vcc; 1.1 V is PTM 65 nm's nominal supply (ptm.asu.edu lists 1.1 V for the
 * 65 nm node; TSMC 65 nm GP's core supply is 1.0 V).
 */
export const VCC_V = 1.1;

/**
 * The weight levels: 4-bit weights (seed 002 compares with EIE's 4-bit weights) whose sign is one of the 4 bits, so
 * the WGEN makes 2^(4-1) + 1 = 9 analog values between 0 and Vcc (seed 002 @5569): levels -4..4. Level w selects
 * tap k = 4 - w of the reference ladder (so w = +4 gives 0 V, the strongest pmos half, and w = -4 gives Vcc, the
 * strongest nmos half); the sign selects the half (zero selects neither).
 */
export const WEIGHT_LEVELS: readonly number[] = [-4, -3, -2, -1, 0, 1, 2, 3, 4];

/**
 * The reference ladder's tap voltages, tap k for weight 4 - k. "The dimensions of each transistor in WGEN are
 * adjusted to generate predefined analog values" (seed 002 §II-A): ours are placed so that the synapse's current at
 * z = 50 uA, v = Vcc/2 grows about linearly with |w| on both halves (the pmos half works for W_A below about
 * 0.55 V, the nmos half above; measured with the sweeps of docs/synapse.md). Tap 4 (w = 0) selects neither half.
 */
export const WGEN_TAPS_V: readonly number[] = [0, 0.27, 0.34, 0.42, 0.55, 0.685, 0.75, 0.825, 1.1];

/** Sheet resistance assumed for the ladder's high-resistance poly (ours; 65 nm processes offer about 1 kohm/sq). */
export const POLY_OHM_PER_SQ = 1000;
/** Total ladder resistance: 11 uA from Vcc, once per chip (low enough that the WGENs' switch leakage does not move
 * its taps). */
export const LADDER_TOTAL_OHM = 100e3;
/** Ladder resistor width, um. */
export const LADDER_WIDTH_UM = 0.4;

/** The 8 ladder resistors (ohms), bottom (0 V) to top (Vcc): proportional to the steps between taps. */
export function ladderResistorsOhm(): number[] {
  return WGEN_TAPS_V.slice(1).map((v, i) => Math.round((LADDER_TOTAL_OHM * (v - WGEN_TAPS_V[i])) / VCC_V));
}

/** One transistor of a cell: name, type, width and length in micrometres. */
export interface Device {
  readonly name: string;
  readonly type: 'n' | 'p';
  readonly wUm: number;
  readonly lUm: number;
  /** What it does (for docs/synapse.md and the netlist comments). */
  readonly role: string;
}

/** The synapse's devices. P1/N1 (linear region, gate W_A) degenerate P3/N3 (saturated, gates A_p/A_n): the voltage
 * Vcc - A_p (A_n) is divided between P1 (N1) and P3's (N3's) gate-source, set by W_A (seed 002 §II-B). */
export const SYNAPSE_DEVICES: readonly Device[] = [
  { name: 'p3', type: 'p', wUm: 0.8, lUm: 0.5, role: 'saturated current source, gate A_p (sources current: positive weights)' },
  { name: 'p1', type: 'p', wUm: 0.8, lUm: 0.2, role: 'linear-region resistor from Vcc to P3\'s source, gate W_A' },
  { name: 'n3', type: 'n', wUm: 0.2, lUm: 0.5, role: 'saturated current sink, gate A_n (sinks current: negative weights)' },
  { name: 'n1', type: 'n', wUm: 0.2, lUm: 0.2, role: 'linear-region resistor from N3\'s source to ground, gate W_A' },
  { name: 'tpn', type: 'n', wUm: 0.12, lUm: 0.2, role: 'sign select: transmission gate W_A -> P1 gate (nmos)' },
  { name: 'tpp', type: 'p', wUm: 0.12, lUm: 0.2, role: 'sign select: transmission gate W_A -> P1 gate (pmos)' },
  { name: 'tpoff', type: 'p', wUm: 0.12, lUm: 0.2, role: 'sign select: holds P1 off (gate at Vcc) when the pmos half is not selected' },
  { name: 'tnn', type: 'n', wUm: 0.12, lUm: 0.2, role: 'sign select: transmission gate W_A -> N1 gate (nmos)' },
  { name: 'tnp', type: 'p', wUm: 0.12, lUm: 0.2, role: 'sign select: transmission gate W_A -> N1 gate (pmos)' },
  { name: 'tnoff', type: 'n', wUm: 0.12, lUm: 0.2, role: 'sign select: holds N1 off (gate at 0) when the nmos half is not selected' },
];

/** The devices whose threshold mismatch moves the synapse's DC current (the sign-select devices pass a static gate
 * voltage and carry no DC current, so their mismatch does not change the DC tables). */
export const SYNAPSE_MISMATCH_DEVICES: readonly string[] = ['p3', 'p1', 'n3', 'n1'];

/** The soma: the aggregating node feeds the diode ND (its voltage is A_n = v); NM mirrors the current into the pmos
 * diode PD, whose voltage is A_p. It cannot source current into the node: the ReLU-like rectification. Large devices,
 * as seed 002 advises, so its mismatch is small (not in the tables: one soma serves a whole row of synapses). */
export const SOMA_DEVICES: readonly Device[] = [
  { name: 'nd', type: 'n', wUm: 1, lUm: 0.5, role: 'diode: the aggregating node, A_n' },
  { name: 'nm', type: 'n', wUm: 1, lUm: 0.5, role: 'mirror of ND into PD' },
  { name: 'pd', type: 'p', wUm: 2, lUm: 0.5, role: 'pmos diode: A_p' },
];

/** WGEN: a 9-way transmission-gate multiplexer from the ladder's taps, one-hot selected by the decoded weight. It
 * drives only gates (seed 002 §II-A: "it does not need to supply any current"), so its output is the tap voltage. */
export const WGEN_SWITCH_DEVICES: readonly Device[] = [
  { name: 'sn', type: 'n', wUm: 0.12, lUm: 0.2, role: 'tap switch (nmos of a transmission gate)' },
  { name: 'sp', type: 'p', wUm: 0.12, lUm: 0.2, role: 'tap switch (pmos of a transmission gate)' },
];
export const WGEN_TAPS = WGEN_TAPS_V.length;

/** Pelgrom coefficient A_VT at 65 nm (seed 002 @17218): sigma(Delta V_T) = A_VT / sqrt(W L) (Eq. 7). */
export const AVT_V_UM = 3e-3;

export function pelgromSigmaV(d: Device): number {
  return AVT_V_UM / Math.sqrt(d.wUm * d.lUm);
}

const um = (x: number) => `${x}u`;

function mos(d: Device, drain: string, gate: string, source: string, extra = ''): string {
  const bulk = d.type === 'n' ? '0' : 'vcc';
  return `m${d.name} ${drain} ${gate} ${source} ${bulk} ${d.type === 'n' ? 'nch' : 'pch'} w=${um(d.wUm)} l=${um(d.lUm)}${extra}`;
}

const dev = (list: readonly Device[], name: string): Device => {
  const d = list.find((x) => x.name === name);
  if (!d) throw new Error(`no device ${name}`);
  return d;
};

/**
 * The synapse subcircuit. Pins: an ap (the previous soma's pair), wa (the WGEN's output), enp enpb enn ennb (sign
 * select, digital), out (the aggregating node), vcc. Parameters dvp3 dvp1 dvn3 dvn1: threshold shifts (V) of the four
 * DC devices for Monte Carlo (ngspice BSIM4's instance parameter delvto).
 */
export function synapseSubckt(): string[] {
  const d = (n: string) => dev(SYNAPSE_DEVICES, n);
  return [
    '* synapse (seed 002 Fig. 1b, our reading): pmos half P1/P3 sources, nmos half N1/N3 sinks, sign selects one',
    '.subckt syn an ap wa enp enpb enn ennb out vcc params: dvp3=0 dvp1=0 dvn3=0 dvn1=0',
    mos(d('p3'), 'out', 'ap', 'sp', ' delvto={dvp3}'),
    mos(d('p1'), 'sp', 'gp', 'vcc', ' delvto={dvp1}'),
    mos(d('n3'), 'out', 'an', 'sn', ' delvto={dvn3}'),
    mos(d('n1'), 'sn', 'gn', '0', ' delvto={dvn1}'),
    mos(d('tpn'), 'wa', 'enp', 'gp'),
    mos(d('tpp'), 'wa', 'enpb', 'gp'),
    mos(d('tpoff'), 'gp', 'enp', 'vcc'),
    mos(d('tnn'), 'wa', 'enn', 'gn'),
    mos(d('tnp'), 'wa', 'ennb', 'gn'),
    mos(d('tnoff'), 'gn', 'ennb', '0'),
    '.ends syn',
  ];
}

/** The soma subcircuit. Pins: in (the aggregating node; its voltage is A_n), ap, vcc. */
export function somaSubckt(): string[] {
  const d = (n: string) => dev(SOMA_DEVICES, n);
  return ['* soma: current mirror, rectifying (cannot source current into in)', '.subckt soma in ap vcc', mos(d('nd'), 'in', 'in', '0'), mos(d('nm'), 'ap', 'in', '0'), mos(d('pd'), 'ap', 'ap', 'vcc'), '.ends soma'];
}

/** The reference ladder (one per chip): taps t0 (0 V) .. t8 (Vcc). */
export function ladderSubckt(): string[] {
  const r = ladderResistorsOhm();
  const taps = Array.from({ length: WGEN_TAPS }, (_, k) => `t${k}`);
  return [
    '* reference ladder: high-resistance poly, taps at WGEN_TAPS_V',
    `.subckt ladder ${taps.join(' ')} vcc`,
    'vbot t0 0 0',
    'vtop t8 vcc 0',
    ...r.map((ohm, i) => `r${i + 1} t${i} t${i + 1} ${ohm}`),
    '.ends ladder',
  ];
}

/** The WGEN subcircuit. Pins: t0..t8 (ladder taps), s0..s8 and sb0..sb8 (one-hot select and its complement, from the
 * weight decoder), out, vcc. */
export function wgenSubckt(): string[] {
  const k = Array.from({ length: WGEN_TAPS }, (_, i) => i);
  const [sn, sp] = WGEN_SWITCH_DEVICES;
  const lines = [
    '* weight generator: 9-way transmission-gate multiplexer of the ladder taps',
    `.subckt wgen ${k.map((i) => `t${i}`).join(' ')} ${k.map((i) => `s${i}`).join(' ')} ${k.map((i) => `sb${i}`).join(' ')} out vcc`,
  ];
  for (const i of k) lines.push(mos({ ...sn, name: `sn${i}` }, `t${i}`, `s${i}`, 'out'), mos({ ...sp, name: `sp${i}` }, `t${i}`, `sb${i}`, 'out'));
  lines.push('.ends wgen');
  return lines;
}

/** The digital controls of one weight level: the WGEN's one-hot tap select and the sign selects. */
export interface WeightControls {
  readonly select: readonly boolean[];
  readonly enP: boolean;
  readonly enN: boolean;
}

export function weightControls(w: number): WeightControls {
  if (!WEIGHT_LEVELS.includes(w)) throw new Error(`weight level ${w} is not one of ${WEIGHT_LEVELS.join(', ')}`);
  const tap = (WEIGHT_LEVELS.length - 1) / 2 - w;
  return { select: Array.from({ length: WGEN_TAPS }, (_, i) => i === tap), enP: w > 0, enN: w < 0 };
}

/** The cell library: the MOSFET card and the three subcircuits. Its SHA-256 identifies the cells a LUT was made from. */
export function cellsText(): string {
  return [...MOSFET_CARD, ...synapseSubckt(), ...somaSubckt(), ...ladderSubckt(), ...wgenSubckt()].join('\n') + '\n';
}

/**
 * Layout area estimate of a cell, in um^2. The rule (ours; seed 002 gives only its layout totals): each transistor
 * occupies (W + 0.3 um) x (L + 0.4 um) (source and drain contacts 0.2 um beside the gate, 0.15 um of diffusion
 * spacing on each side of the width), and wiring, wells and spacing double the sum of the device footprints.
 */
export const AREA_RULE = { widthPadUm: 0.3, lengthPadUm: 0.4, overhead: 2 } as const;

export function cellAreaUm2(devices: readonly Device[], repeat = 1): number {
  let sum = 0;
  for (const d of devices) sum += (d.wUm + AREA_RULE.widthPadUm) * (d.lUm + AREA_RULE.lengthPadUm);
  return AREA_RULE.overhead * sum * repeat;
}

/** Area of the ladder, um^2: its resistors at LADDER_WIDTH_UM wide (squares = R / sheet resistance), doubled like
 * the cells. */
export function ladderAreaUm2(): number {
  return AREA_RULE.overhead * (LADDER_TOTAL_OHM / POLY_OHM_PER_SQ) * LADDER_WIDTH_UM * LADDER_WIDTH_UM;
}

/** Areas of the cells under AREA_RULE (seed 002's layouts: synapse 23.1, WGEN 22.4, soma 76.4 um^2). */
export function cellAreas(): { synapseUm2: number; wgenUm2: number; somaUm2: number; ladderUm2: number } {
  return { synapseUm2: cellAreaUm2(SYNAPSE_DEVICES), wgenUm2: cellAreaUm2(WGEN_SWITCH_DEVICES, WGEN_TAPS), somaUm2: cellAreaUm2(SOMA_DEVICES), ladderUm2: ladderAreaUm2() };
}

/** A logic level as a voltage. */
export const logicV = (b: boolean): number => (b ? VCC_V : 0);
