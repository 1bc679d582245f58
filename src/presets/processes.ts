// Resistor processes for the masks (issue 15, C10): typed presets, each figure citing where it comes from. The seeds
// (the patent) give no sheet resistance, width, spacing or layer number, so every figure here is an open PDK's or a
// stated assumption; a user's own process is a JSON file of the same shape (schema/process.schema.json, loaded and
// checked by layout/process.ts).
//
// A planar process draws each resistor as a poly body of fixed width W (a serpentine path when long) between two
// heads, R = Rs * squares + 2 * Rhead, squares = centreline length / W - 0.44 per 90-degree corner (a square corner
// conducts as about 0.56 of a square: A. Hastings, The Art of Analog Layout, 2nd ed., section 5.1; the centreline
// counts it as 1). A hole process draws each resistor as one cylindrical hole of diameter d filled with a thin film of
// resistivity rho over depth t between a bottom and a top electrode, R = rho * t / (pi d^2 / 4) (the patent's
// "cylindrical holes in the SiO2 matrix", resistance "set by the diameter of hole"; the figures are the user's).

/** A GDSII layer and datatype. */
export interface GdsLayer {
  readonly layer: number;
  readonly datatype: number;
}

/** Width and spacing rules of one drawn layer, micrometres. */
export interface LayerRule extends GdsLayer {
  readonly minWidthUm: number;
  readonly minSpacingUm: number;
}

/** What both kinds share: the grid, the routing metals (vertical straps, horizontal buses, the via between them). */
interface ProcessBase {
  readonly name: string;
  readonly description: string;
  /** Where every figure comes from (and which are assumptions). */
  readonly source: string;
  /** Manufacturing grid, micrometres: every drawn coordinate is a multiple of it. */
  readonly gridUm: number;
  /** Vertical routing from the resistor terminals and the op-amp pins down/up to the buses. */
  readonly strap: LayerRule;
  /** Horizontal buses, one per net of a neuron. */
  readonly bus: LayerRule;
  /** The via between strap and bus (a square of this side). */
  readonly via: GdsLayer & { readonly sizeUm: number };
  /** Outline (boundary) layer of the placeholder op-amp cell. */
  readonly outline: GdsLayer;
  /** Placeholder op-amp footprint, micrometres (not a PDK figure: an assumption to replace by the real cell's). */
  readonly opampWidthUm: number;
  readonly opampHeightUm: number;
}

export interface PlanarProcess extends ProcessBase {
  readonly kind: 'planar';
  /** Sheet resistance of the resistor body at the drawn width, ohm per square. */
  readonly sheetOhmPerSq: number;
  /** Resistance of one head (contact and its poly), ohm; the resistor has two. */
  readonly headOhm: number;
  /** The body's drawn width (fixed-width devices) and its rules: spacing between bodies. */
  readonly body: LayerRule;
  /** Marks the resistor body (no contact, no salicide); covers the body, not the heads. */
  readonly marker: GdsLayer;
  /** Implants that set the sheet resistance, each drawn around the whole array with this enclosure of the bodies. */
  readonly implants: readonly (GdsLayer & { readonly enclosureUm: number; readonly minSpacingUm: number })[];
  /** Contact from a head to the strap metal (a square of this side). */
  readonly contact: GdsLayer & { readonly sizeUm: number };
  /** Length of a head beyond the body, micrometres. */
  readonly headLengthUm: number;
  /** Longest leg of a serpentine, micrometres (a longer body folds). */
  readonly maxLegUm: number;
}

export interface HoleProcess extends ProcessBase {
  readonly kind: 'hole';
  /** Resistivity of the film, ohm * metre. */
  readonly resistivityOhmM: number;
  /** Film thickness (the hole's depth), metres. */
  readonly thicknessM: number;
  readonly minDiameterUm: number;
  readonly maxDiameterUm: number;
  /** The hole layer; its minSpacingUm is the spacing between holes. The strap metal is the bottom electrode, the bus
   * metal the top electrode (joined to a strap of its own by the via). */
  readonly hole: LayerRule;
  /** Enclosure of the hole by both electrodes, micrometres. */
  readonly electrodeEnclosureUm: number;
}

export type ResistorProcess = PlanarProcess | HoleProcess;

const SKY130_SOURCE = 'google/skywater-pdk docs/rules/device-details/res_high/index.rst and res_high-table0.rst (e-test, W 0.35 um: 964.2/1326/2054/7888 ohm at 1/2/4/20 squares, so Rs = (7888 - 964.2)/19 = 364.4 ohm/sq and both heads 964.2 - 364.4 = 599.8 ohm); periphery rules (poly.9 0.48 um resistor spacing, rpm.2 0.84, rpm.3 0.2, li.1/li.3 0.17, m1.1/m1.2 0.14, grid 0.005 um); GDS layers poly 66/20, poly.res 66/13, rpm 86/20, urpm 79/20, licon1 66/44, li1 67/20, mcon 67/44, met1 68/20, prBoundary 235/4';

/** SKY130 routing: li1 straps, met1 buses, mcon between them (rules from the periphery rules; widths kept above them). */
const SKY130_ROUTING = {
  gridUm: 0.005,
  strap: { layer: 67, datatype: 20, minWidthUm: 0.17, minSpacingUm: 0.17 },
  bus: { layer: 68, datatype: 20, minWidthUm: 0.14, minSpacingUm: 0.14 },
  via: { layer: 67, datatype: 44, sizeUm: 0.17 },
  outline: { layer: 235, datatype: 4 },
  opampWidthUm: 20,
  opampHeightUm: 10,
} as const;

/** SKY130 res_high_po (P+ poly, rpm implant), fixed width 0.35 um. */
export const SKY130_RES_HIGH: PlanarProcess = {
  kind: 'planar',
  name: 'sky130-res-high',
  description: 'SkyWater SKY130 sky130_fd_pr__res_high_po_0p35 (P+ poly precision resistor, 0.35 um wide)',
  source: `${SKY130_SOURCE}; op-amp footprint 20 x 10 um is an assumption (no op-amp in the PDK's primitives)`,
  ...SKY130_ROUTING,
  sheetOhmPerSq: 364.4,
  headOhm: 299.9,
  body: { layer: 66, datatype: 20, minWidthUm: 0.35, minSpacingUm: 0.48 },
  marker: { layer: 66, datatype: 13 },
  implants: [{ layer: 86, datatype: 20, enclosureUm: 0.2, minSpacingUm: 0.84 }],
  contact: { layer: 66, datatype: 44, sizeUm: 0.17 },
  headLengthUm: 0.5,
  maxLegUm: 20,
};

/** SKY130 res_xhigh_po (P- poly, urpm implant, 2000 ohm/sq), fixed width 0.35 um. */
export const SKY130_RES_XHIGH: PlanarProcess = {
  ...SKY130_RES_HIGH,
  name: 'sky130-res-xhigh',
  description: 'SkyWater SKY130 sky130_fd_pr__res_xhigh_po_0p35 (P- poly, 2000 ohm/sq, 0.35 um wide)',
  source: `google/skywater-pdk docs/rules/device-details/res_xhigh ("a separate implant is used to set the sheet resistance to 2000 ohm/sq"); ${SKY130_SOURCE}. Assumption: the head resistance is res_high_po's (299.9 ohm each: the same slot licon heads), not measured for res_xhigh_po; the urpm enclosure and spacing are taken as rpm's`,
  sheetOhmPerSq: 2000,
  implants: [{ layer: 79, datatype: 20, enclosureUm: 0.2, minSpacingUm: 0.84 }],
};

const IHP_SOURCE = 'IHP-Open-PDK libs.tech/ngspice/models/cornerRES.lib (typ sheet resistance), libs.tech/klayout/tech/drc/rule_decks/feol (Rppd.a / Rhi.a min GatPoly width 0.50 um), rule_decks/layers_def.drc (GatPoly 5/0, Cont 6/0, Metal1 8/0, pSD 14/0, SalBlock 28/0); Metal2 10/0, Via1 19/0 and prBoundary 189/4 from the SG13G2 layer table, not verified here';

/** IHP SG13G2 rppd (P+ poly, salicide blocked), width 0.5 um. */
export const IHP_RPPD: PlanarProcess = {
  kind: 'planar',
  name: 'ihp-rppd',
  description: 'IHP SG13G2 rppd (P+ poly resistor, 260 ohm/sq typ), 0.5 um wide',
  source: `${IHP_SOURCE}. Assumptions: head resistance 0 ohm (the cited model files give no separate head figure: supply a process file with the foundry's), GatPoly spacing 0.5 um, Metal1/Metal2 0.2 um, grid 0.005 um, op-amp footprint 20 x 10 um`,
  gridUm: 0.005,
  strap: { layer: 8, datatype: 0, minWidthUm: 0.2, minSpacingUm: 0.2 },
  bus: { layer: 10, datatype: 0, minWidthUm: 0.2, minSpacingUm: 0.2 },
  via: { layer: 19, datatype: 0, sizeUm: 0.19 },
  outline: { layer: 189, datatype: 4 },
  opampWidthUm: 20,
  opampHeightUm: 10,
  sheetOhmPerSq: 260,
  headOhm: 0,
  body: { layer: 5, datatype: 0, minWidthUm: 0.5, minSpacingUm: 0.5 },
  marker: { layer: 28, datatype: 0 },
  implants: [{ layer: 14, datatype: 0, enclosureUm: 0.18, minSpacingUm: 0.5 }],
  contact: { layer: 6, datatype: 0, sizeUm: 0.16 },
  headLengthUm: 0.5,
  maxLegUm: 20,
};

/** IHP SG13G2 rhigh (1360 ohm/sq typ), width 0.5 um. */
export const IHP_RHIGH: PlanarProcess = {
  ...IHP_RPPD,
  name: 'ihp-rhigh',
  description: 'IHP SG13G2 rhigh (high-resistance poly, 1360 ohm/sq typ), 0.5 um wide',
  source: `${IHP_SOURCE}. Assumptions: as ihp-rppd, and the implants drawn over the array are pSD and nSD 7/0 (the rhigh cell's recipe is not in the cited decks)`,
  sheetOhmPerSq: 1360,
  implants: [{ layer: 14, datatype: 0, enclosureUm: 0.18, minSpacingUm: 0.5 }, { layer: 7, datatype: 0, enclosureUm: 0.18, minSpacingUm: 0.5 }],
};

/**
 * The patent's vertical thin-film resistor (cylindrical holes in SiO2 filled with amorphous TaN, TiN, CrN or
 * tellurium; R set by the hole's diameter). The patent gives no resistivity, depth, diameter or layer: this preset is
 * an EXAMPLE of the file a user supplies, with figures chosen only so that 100 kOhm .. 1 MOhm spans its diameters
 * (rho 2e-2 ohm m, t 0.2 um, holes 0.05 .. 0.3 um: 2 MOhm .. 57 kOhm; on the 0.001 um grid a 1 MOhm hole of 0.071 um snaps by up to 1.4 % in diameter, 2.8 % in R: the realization reports it), on
 * SKY130's met1/met2 numbers for the electrodes. Not a foundry process.
 */
export const PATENT_HOLE_EXAMPLE: HoleProcess = {
  kind: 'hole',
  name: 'patent-hole-example',
  description: "the patent's cylindrical thin-film resistor in holes (example figures, not a foundry's)",
  source: 'patent "cylindrical holes in the SiO2 matrix", "set by the diameter of hole" (seed-targets.md C10); every figure here is an assumption for the example: rho 2e-2 ohm m, film 0.2 um, holes 0.05..0.3 um on a 0.001 um grid, electrodes met1 68/20 and met2 69/20 with via 68/44',
  gridUm: 0.001,
  strap: { layer: 68, datatype: 20, minWidthUm: 0.14, minSpacingUm: 0.14 },
  bus: { layer: 69, datatype: 20, minWidthUm: 0.14, minSpacingUm: 0.14 },
  via: { layer: 68, datatype: 44, sizeUm: 0.15 },
  outline: { layer: 235, datatype: 4 },
  opampWidthUm: 20,
  opampHeightUm: 10,
  resistivityOhmM: 2e-2,
  thicknessM: 0.2e-6,
  minDiameterUm: 0.05,
  maxDiameterUm: 0.3,
  hole: { layer: 90, datatype: 0, minWidthUm: 0.05, minSpacingUm: 0.1 },
  electrodeEnclosureUm: 0.06,
};

export const PROCESS_PRESETS: Readonly<Record<string, ResistorProcess>> = Object.fromEntries(
  [SKY130_RES_HIGH, SKY130_RES_XHIGH, IHP_RPPD, IHP_RHIGH, PATENT_HOLE_EXAMPLE].map((p) => [p.name, p]),
);

export const PROCESS_NAMES = Object.keys(PROCESS_PRESETS);
