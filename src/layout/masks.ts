// The masks of a realized network (issue 15, C10): masks.gds with one cell per neuron (its op-amps: placeholder cells
// of the process's footprint, with pins) and one cell per neuron's resistor array (the resistor layers, the routing
// on the resistor layer's metals), placed neuron by neuron in layer order; and the cell table (masks-cells.csv: every
// cell's SHA-256, what a re-spin compares).
//
// A neuron's slot (coordinates in DBU, origin at the left end of its lowest bus):
//   y < 0      its op-amps (cell OPAMP, or a placeholder per other block cell), side by side, pins on their top edge;
//   0 .. B     one horizontal bus per net of the neuron on the bus metal, labelled with the netlist's net name;
//   above B    one lane per resistor, left to right in the netlist's order (feedback, ground, the pairs, bias,
//              normalizers, gain stage), the resistor drawn by layout/geometry.ts with its terminals at the bottom;
//   every terminal and op-amp pin has a vertical strap on the strap metal to its net's bus, joined by a via.
// The slot's size depends only on the topology (lanes: 2 per connection + 8, or more when a neuron needs them; buses:
// the row's inputs + 10), so a re-spin with new weights keeps every neuron cell and the placement byte for byte and
// changes only resistor-array cells.
// The cells are written one by one to a streaming GDSII writer, the top cell last: the masks never sit in memory.

import { blockCircuit } from '../circuit/build.js';
import { OPAMP_CELL } from '../circuit/cells.js';
import type { Realized } from '../realize/realize.js';
import type { HoleProcess, PlanarProcess, ResistorProcess } from '../presets/processes.js';
import type { Device } from '../circuit/types.js';
import { BLOCK } from '../tnet/blocks.js';
import { isSmoothAct } from '../tnet/types.js';
import { BufferedFileWriter } from '../io/stream.js';
import { GdsWriter, type GdsElement } from './gds.js';
import type { ModuleRun } from './modules.js';
import { inputError } from '../errors.js';
import { MASK_MESSAGES as MM } from '../messages/index.js';

/** Largest coordinate GDSII's 32-bit integers hold. */
const GDS_LIMIT = 2 ** 31 - 1;
import { DBU_PER_UM, planarFrame, ShapeCache, toDbu, type HoleShape, type PlanarFrame, type PlanarShape } from './geometry.js';

export const MASKS_FILE = 'masks.gds';
export const MASK_CELLS_FILE = 'masks-cells.csv';
export const TOP_CELL = 'TOP';
export const OPAMP_PLACEHOLDER = 'OPAMP';

/** Cell names: the neuron (op-amps) and its resistor array, after the netlist's neuron index. */
export const maskCell = { neuron: (i: number) => `N${i}`, array: (i: number) => `RA${i}` } as const;

export interface AreaByLayer {
  readonly layer: string;
  readonly neurons: number;
  readonly resistors: number;
  /** Drawn resistor footprints (body and heads, or electrodes) and op-amp footprints, um^2. */
  readonly resistorAreaUm2: number;
  readonly opampAreaUm2: number;
  /** The slots (resistors, op-amps, buses and the space between them), um^2. */
  readonly slotAreaUm2: number;
}

/** A module's cell in the masks: taken from the library (its bytes) or drawn here. */
export interface ModuleCellStatus {
  readonly name: string;
  readonly cell: string;
  readonly hash: string;
  readonly neurons: number;
  readonly status: 'reused' | 'new';
  /** Why a module whose hash is in the library was drawn new (its drawn cell differs from the library's), or null. */
  readonly note: string | null;
}

export interface MaskReport {
  readonly file: string;
  readonly process: string;
  readonly cells: number;
  readonly resistors: number;
  readonly opamps: number;
  readonly byLayer: readonly AreaByLayer[];
  readonly resistorAreaUm2: number;
  readonly opampAreaUm2: number;
  /** Bounding box of the top cell, um. */
  readonly widthUm: number;
  readonly heightUm: number;
  /** With module cells: every module, in network order, reused from the library or new. */
  readonly modules: readonly ModuleCellStatus[] | null;
}

/** The fixed figures of a process's drawing, DBU. */
interface Frame {
  readonly grid: number;
  readonly strapW: number;
  readonly busW: number;
  readonly busPitch: number;
  readonly via: number;
  readonly opW: number;
  readonly opH: number;
  readonly gap: number;
  readonly laneW: number;
  /** Bottom of the lanes above the top bus, and the lanes' height. */
  readonly laneGap: number;
  readonly laneH: number;
  readonly planar: PlanarFrame | null;
}

const up = (v: number, grid: number) => Math.ceil(v / grid) * grid;

function frameOf(p: ResistorProcess, shapes: ShapeCache, rMaxOhm: number): Frame {
  const grid = toDbu(p.gridUm);
  const via = toDbu(p.via.sizeUm);
  const enc = up(40, grid);
  const strapW = up(Math.max(toDbu(p.strap.minWidthUm), via + 2 * enc, p.kind === 'planar' ? toDbu(p.contact.sizeUm) + 2 * enc : 0), 2 * grid);
  const busW = up(Math.max(toDbu(p.bus.minWidthUm), via + 2 * enc), 2 * grid);
  const busPitch = busW + up(Math.max(toDbu(p.bus.minSpacingUm), busW), grid);
  const gap = up(2 * DBU_PER_UM, grid);
  const strapSpace = toDbu(p.strap.minSpacingUm);
  if (p.kind === 'planar') {
    const f = planarFrame(p);
    if (f.pitch < strapW + strapSpace) throw new Error(`masks: process ${p.name}: the body pitch is narrower than a strap and its spacing`);
    const legs = (shapes.shape(rMaxOhm) as PlanarShape).legs;
    return {
      grid, strapW, busW, busPitch, via, opW: toDbu(p.opampWidthUm), opH: toDbu(p.opampHeightUm), gap,
      laneW: (legs - 1) * f.pitch + f.w + f.pitch, laneGap: gap, laneH: 2 * f.head + f.maxLeg + f.w + legs * f.grid + gap, planar: f,
    };
  }
  const dMax = toDbu(p.maxDiameterUm);
  const e = toDbu(p.electrodeEnclosureUm);
  const pad = Math.max(dMax + 2 * e, via + 2 * enc);
  return {
    grid, strapW, busW, busPitch, via, opW: toDbu(p.opampWidthUm), opH: toDbu(p.opampHeightUm), gap,
    laneW: up(pad + strapSpace + strapW + Math.max(toDbu(p.hole.minSpacingUm), strapSpace, toDbu(p.bus.minSpacingUm)), grid), laneGap: gap, laneH: pad + gap, planar: null,
  };
}

/** The devices of neuron i that the masks draw: resistors, and op-amp / block instances. */
function devicesOf(r: Realized, i: number, rail: number): { resistors: Extract<Device, { kind: 'R' }>[]; instances: Extract<Device, { kind: 'X' }>[] } {
  const devices = blockCircuit(r, i, rail).devices;
  return {
    resistors: devices.filter((d): d is Extract<Device, { kind: 'R' }> => d.kind === 'R'),
    instances: devices.filter((d): d is Extract<Device, { kind: 'X' }> => d.kind === 'X'),
  };
}

/** Lanes and buses of neuron i's slot: from the topology only (more when this realization needs more). */
function capacity(r: Realized, i: number, resistors: number, nets: number): { lanes: number; buses: number; opSlots: number } {
  const n = r.tnet.neurons;
  const fanIn = n.rowPtr[i + 1] - n.rowPtr[i];
  if (n.block[i] !== BLOCK.neuron) return { lanes: resistors, buses: Math.max(nets, fanIn + 4), opSlots: 0 };
  const smooth = isSmoothAct(n.activation[i]);
  return { lanes: Math.max(resistors, 2 * fanIn + 8), buses: Math.max(nets, fanIn + 10), opSlots: smooth ? 3 : 2 };
}

/** Slot position of an instance: the summator first, the gain stage second, a sigmoid/tanh block third. */
function instanceSlot(name: string, index: number, neuron: boolean): number {
  if (!neuron) return index;
  if (/g$/.test(name)) return 1;
  if (/[st]$/.test(name)) return 2;
  return 0;
}

/** Placeholder cells: OPAMP for the op-amp, one per other block cell (name P_<cell>_<pins>). */
function placeholderName(cell: string, pins: number): string {
  return cell === OPAMP_CELL && pins === 4 ? OPAMP_PLACEHOLDER : `P_${cell.replace(/[^A-Za-z0-9_]/g, '_')}_${pins}`;
}

/** x of pin k (of `pins`) on an op-amp's top edge, relative to the op-amp's left edge. */
function pinX(f: Frame, k: number, pins: number): number {
  return up(Math.round(((k + 1) * f.opW) / (pins + 1)), 2 * f.grid);
}

function writePlaceholder(w: GdsWriter, p: ResistorProcess, f: Frame, name: string, pins: number): string {
  w.beginStr(name);
  w.rect(p.outline.layer, p.outline.datatype, 0, 0, f.opW, f.opH);
  for (let k = 0; k < pins; k++) {
    const x = pinX(f, k, pins);
    w.rect(p.strap.layer, p.strap.datatype, x - f.strapW / 2, f.opH - f.strapW, x + f.strapW / 2, f.opH);
    w.text(p.outline.layer, p.outline.datatype, x, f.opH - f.strapW / 2, `pin${k}`);
  }
  return w.endStr();
}

interface Slot {
  readonly width: number;
  /** Below the lowest bus (op-amps) and above it (buses and lanes). */
  readonly below: number;
  readonly above: number;
}

/** Writes one planar resistor in the lane at x0 (the lane's left edge), terminals' bottoms at y0; returns the terminals' x and top y. */
/** A drawn resistor: its terminals (x, top y of each head / electrode), footprint and label point, in the lane's frame. */
interface Drawn {
  readonly terminals: [number, number][];
  readonly area: number;
  readonly label: [number, number];
}

function drawPlanar(w: GdsWriter, p: PlanarProcess, f: PlanarFrame, s: PlanarShape, x0: number, y0: number, name: string | null): Drawn {
  const n = s.legs;
  const h = s.legDbu;
  const e = s.extraDbu;
  const xc = (k: number) => x0 + f.w / 2 + k * f.pitch;
  const y1 = y0 + f.head; // start of the first leg
  const base = y1 + f.w / 2 + e;
  const top = base + h;
  const pts: number[] = [xc(0), y1];
  for (let k = 0; k < n; k++) {
    const yEnd = k % 2 === 0 ? top : k === n - 1 ? y1 + e : base;
    pts.push(xc(k), yEnd);
    if (k < n - 1) pts.push(xc(k + 1), yEnd);
  }
  const B = p.body;
  w.path(B.layer, B.datatype, f.w, pts);
  // Heads: poly under the contact, below the first leg's start and the last leg's end.
  const heads: [number, number][] = [[xc(0), y1], [xc(n - 1), y1 + e]];
  for (const [x, yTop] of heads) {
    w.rect(B.layer, B.datatype, x - f.w / 2, yTop - f.head, x + f.w / 2, yTop);
    const c = toDbu(p.contact.sizeUm);
    const cy = yTop - f.head / 2;
    w.rect(p.contact.layer, p.contact.datatype, x - c / 2, cy - c / 2, x + c / 2, cy + c / 2);
  }
  // The marker covers the body only: from the first leg's start on the left, from the last leg's end elsewhere.
  const xl = xc(0) - f.w / 2;
  const xr = xc(n - 1) + f.w / 2;
  const yt = top + f.w / 2;
  const M = p.marker;
  if (e === 0) w.rect(M.layer, M.datatype, xl, y1, xr, yt);
  else w.boundary(M.layer, M.datatype, [xl, y1, xl + f.w, y1, xl + f.w, y1 + e, xr, y1 + e, xr, yt, xl, yt]);
  const label: [number, number] = [Math.round((xl + xr) / 2 / f.grid) * f.grid, Math.round((y1 + e + yt) / 2 / f.grid) * f.grid];
  if (name !== null) w.text(M.layer, M.datatype, label[0], label[1], name);
  return { terminals: heads.map(([x, yTop]) => [x, yTop]), area: (xr - xl) * (yt - y0), label };
}

/** Writes one hole resistor; returns its terminals (bottom electrode, top electrode's via) and footprint. */
function drawHole(w: GdsWriter, p: HoleProcess, fr: Frame, s: HoleShape, x0: number, y0: number, name: string | null): Drawn {
  const e = toDbu(p.electrodeEnclosureUm);
  const dMax = toDbu(p.maxDiameterUm);
  const pad = Math.max(dMax + 2 * e, fr.via + 80);
  const cx = x0 + pad / 2;
  const cy = y0 + pad / 2;
  const rad = s.diameterDbu / 2;
  const pts: number[] = [];
  for (let k = 0; k < 64; k++) {
    const a = (2 * Math.PI * k) / 64;
    pts.push(cx + Math.round(rad * Math.cos(a)), cy + Math.round(rad * Math.sin(a)));
  }
  w.boundary(p.hole.layer, p.hole.datatype, pts);
  // Bottom electrode (strap metal) and top electrode (bus metal), the top one reaching over to its via and strap.
  w.rect(p.strap.layer, p.strap.datatype, x0, y0, x0 + pad, y0 + pad);
  const vx = x0 + pad + toDbu(p.strap.minSpacingUm) + fr.strapW / 2;
  w.rect(p.bus.layer, p.bus.datatype, x0, y0, vx + fr.strapW / 2, y0 + pad);
  w.rect(p.via.layer, p.via.datatype, vx - fr.via / 2, cy - fr.via / 2, vx + fr.via / 2, cy + fr.via / 2);
  w.rect(p.strap.layer, p.strap.datatype, vx - fr.strapW / 2, cy - fr.strapW / 2, vx + fr.strapW / 2, cy + fr.strapW / 2);
  if (name !== null) w.text(p.hole.layer, p.hole.datatype, cx, cy, name);
  return { terminals: [[cx, y0 + fr.strapW], [vx, cy]], area: (vx + fr.strapW / 2 - x0) * pad, label: [cx, cy] };
}

export interface WriteMasksOptions {
  /** The largest resistance of the realization's sets (sizes the lanes). */
  readonly rMaxOhm: number;
  /** Library name in the GDSII header. */
  readonly libName?: string;
  /**
   * Module cells (compile with a library): each module's op-amp instances and their placement in one cell named by
   * its topology hash (layout/modules.ts), the op-amp labels in the resistor arrays, no per-neuron op-amp cells; a
   * module whose cell the library holds (by cell name: its bytes BGNSTR..ENDSTR and elements) is copied from it.
   */
  readonly modules?: { readonly runs: readonly ModuleRun[]; readonly library: ReadonlyMap<string, LibraryCell> } | null;
}

/** A module cell of a library entry. */
export interface LibraryCell {
  readonly bytes: Uint8Array;
  readonly elements: readonly GdsElement[];
}

const sameElements = (a: readonly GdsElement[], b: readonly GdsElement[]) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Writes masks.gds (at `gdsPath`) and the cell table (at `cellsPath`: cell,kind,sha256) of a realized network whose
 * resistances are the drawn ones (layout/drawn.ts) in `shapes`' process.
 */
export function writeMasks(gdsPath: string, cellsPath: string, r: Realized, shapes: ShapeCache, options: WriteMasksOptions): MaskReport {
  const p = shapes.process;
  const net = r.tnet;
  const n = net.neurons;
  const rail = net.railV ?? 5;
  const f = frameOf(p, shapes, options.rMaxOhm);
  const w = new GdsWriter(gdsPath);
  const cells = new BufferedFileWriter(cellsPath);
  let cellCount = 0;
  const record = (name: string, kind: string, hash: string) => {
    cells.write(`${name},${kind},${hash}\n`);
    cellCount++;
  };
  // Slot origins (x, y of the lowest bus's left end) per neuron, filled in layer order.
  const slotX = new Float64Array(n.count);
  const slotY = new Float64Array(n.count);
  const byLayer = new Map<string, { neurons: number; resistors: number; resistorArea: number; opampArea: number; slotArea: number }>();
  const layerOf = (i: number) => (n.origin[i] >= 0 ? net.origins[n.origin[i]].name : '');
  let totalResistors = 0;
  let totalOpamps = 0;
  let resistorArea = 0;
  let opampArea = 0;
  let extentX = 0;
  let extentY = 0;
  const moduleStatus: ModuleCellStatus[] = [];
  try {
    cells.write('cell,kind,sha256\n');
    w.beginLib(options.libName ?? 'OHMNET', 1 / DBU_PER_UM, 1e-6 / DBU_PER_UM);
    const placeholders = new Map<string, string>();
    const deviceCells = new Map<string, Drawn>();
    const strapCells = new Set<string>();
    // Module cells: the current module, its origin (its band's lower left corner) and its op-amp instances.
    const mods = options.modules ?? null;
    let modIdx = -1;
    let modX = 0;
    let modY = 0;
    let modSrefs: GdsElement[] = [];
    const modPlaced: { cell: string; x: number; y: number }[] = [];
    const modWritten = new Map<string, { elements: readonly GdsElement[]; status: ModuleCellStatus['status'] }>();
    // Rows: a new row for each layer (in the order of the network's neurons), wrapped at a width that keeps the
    // layer about square.
    let rowX = 0;
    let rowY = 0;
    let rowTop = 0;
    let rowLayer: string | null = null;
    let rowWidth = 0;
    // Layer bands: side by side, a new band row when the next band would pass the side of a square of all slots'
    // area (so a deep network's bands do not stack past GDSII's coordinates).
    let bandX = 0;
    let bandRowY = 0;
    let bandRowTop = 0;
    // Each layer's row width from its slots' sizes by the topology alone (lanes 2 per connection + 8, buses the row's
    // inputs + 10): the side of a square of the layer's slot area, at least its widest slot. So the placement does
    // not depend on the weights, and a layer of narrow and wide slots stays about square.
    const layerArea = new Map<string, { area: number; widest: number }>();
    for (let i = 0; i < n.count; i++) {
      const fanIn = n.rowPtr[i + 1] - n.rowPtr[i];
      const neuronBlock = n.block[i] === BLOCK.neuron;
      const smooth = isSmoothAct(n.activation[i]);
      const width = (neuronBlock ? (smooth ? 3 : 2) : 1) * (f.opW + f.gap) + (neuronBlock ? 2 * fanIn + 8 : 0) * f.laneW + f.gap;
      const height = f.opH + f.gap + (fanIn + 10) * f.busPitch + f.laneGap + f.laneH;
      const L = layerArea.get(layerOf(i)) ?? { area: 0, widest: 0 };
      L.area += width * height;
      L.widest = Math.max(L.widest, width);
      layerArea.set(layerOf(i), L);
    }
    let totalArea = 0;
    let widestBand = 0;
    for (const L of layerArea.values()) {
      totalArea += L.area;
      widestBand = Math.max(widestBand, Math.ceil(Math.sqrt(L.area)), L.widest);
    }
    const squareSide = Math.max(widestBand, Math.ceil(Math.sqrt(totalArea)));
    for (let i = 0; i < n.count; i++) {
      const { resistors, instances } = devicesOf(r, i, rail);
      const nets: string[] = [];
      const netIndex = new Map<string, number>();
      const addNet = (s: string) => {
        if (!netIndex.has(s)) {
          netIndex.set(s, nets.length);
          nets.push(s);
        }
      };
      for (const x of instances) for (const s of x.pins) addNet(s);
      for (const d of resistors) {
        addNet(d.a);
        addNet(d.b);
      }
      const cap = capacity(r, i, resistors.length, nets.length);
      const neuron = n.block[i] === BLOCK.neuron;
      const opSlots = Math.max(cap.opSlots, instances.length);
      const opRegion = opSlots * (f.opW + f.gap);
      const busTop = cap.buses * f.busPitch;
      const laneY0 = busTop + f.laneGap;
      const slot: Slot = { width: opRegion + cap.lanes * f.laneW + f.gap, below: f.opH + f.gap, above: laneY0 + f.laneH };
      if (slot.width >= GDS_LIMIT || slot.below + slot.above >= GDS_LIMIT) throw inputError(MM.masksTooLarge(p.name, Math.max(slot.width, slot.below + slot.above) / DBU_PER_UM / 1000, i));
      // The neuron cell: its op-amps (placeholders) with their netlist names.
      for (const x of instances) {
        const ph = placeholderName(x.cell, x.pins.length);
        if (!placeholders.has(ph)) {
          // Placeholders are written once, before the first cell that uses them.
          placeholders.set(ph, writePlaceholder(w, p, f, ph, x.pins.length));
          record(ph, 'opamp', placeholders.get(ph)!);
        }
      }
      const opX = (x: Extract<Device, { kind: 'X' }>, k: number) => instanceSlot(x.name, k, neuron) * (f.opW + f.gap);
      if (!mods) {
        w.beginStr(maskCell.neuron(i));
        instances.forEach((x, k) => {
          w.sref(placeholderName(x.cell, x.pins.length), opX(x, k), -f.opH - f.gap);
          w.text(p.outline.layer, p.outline.datatype, opX(x, k) + f.opW / 2, -f.gap - f.opH / 2, x.name);
        });
        record(maskCell.neuron(i), 'neuron', w.endStr());
      }
      // The device cells this array uses, written before it (a structure cannot hold another): one per distinct drawn
      // resistor shape (D<legs>_<leg>_<extra>, H<diameter>: the body, heads, contacts and marker, or the hole and its
      // electrodes, in the lane's frame) and one per distinct strap (S<bottom>_<top>: a strap with its via on a bus,
      // from the bus's bottom edge), so the array is references, labels and buses.
      const devices = resistors.map((d) => {
        const shape = shapes.shape(d.ohm, d.name);
        const name = shape.kind === 'planar' ? `D${shape.legs}_${shape.legDbu}_${shape.extraDbu}` : `H${shape.diameterDbu}`;
        let drawn = deviceCells.get(name);
        if (!drawn) {
          w.beginStr(name);
          drawn = p.kind === 'planar' ? drawPlanar(w, p, f.planar!, shape as PlanarShape, 0, 0, null) : drawHole(w, p, f, shape as HoleShape, 0, 0, null);
          record(name, 'device', w.endStr());
          deviceCells.set(name, drawn);
        }
        return { name, drawn };
      });
      const straps: [string, number, number][] = [];
      const strap = (x: number, yFrom: number, yTo: number, netName: string) => {
        const y = netIndex.get(netName)! * f.busPitch;
        const lo = Math.min(0, yFrom - y);
        const hi = Math.max(f.busW, yTo - y);
        const name = `S${lo < 0 ? `m${-lo}` : lo}_${hi}`;
        if (!strapCells.has(name)) {
          w.beginStr(name);
          w.rect(p.strap.layer, p.strap.datatype, -f.strapW / 2, lo, f.strapW / 2, hi);
          w.rect(p.via.layer, p.via.datatype, -f.via / 2, f.busW / 2 - f.via / 2, f.via / 2, f.busW / 2 + f.via / 2);
          record(name, 'device', w.endStr());
          strapCells.add(name);
        }
        straps.push([name, x, y]);
      };
      instances.forEach((x, k) => {
        x.pins.forEach((s, j) => strap(opX(x, k) + pinX(f, j, x.pins.length), -f.gap - f.strapW, 0, s));
      });
      resistors.forEach((d, lane) => {
        const x0 = opRegion + lane * f.laneW;
        const [ta, tb] = devices[lane].drawn.terminals;
        strap(x0 + ta[0], laneY0 + ta[1], laneY0 + ta[1], d.a);
        strap(x0 + tb[0], laneY0 + tb[1], laneY0 + tb[1], d.b);
      });
      // The resistor array cell: resistors in lanes, buses, straps and vias (with module cells, the op-amps' labels:
      // the module cell holds the op-amps and is the same in every network).
      w.beginStr(maskCell.array(i));
      if (mods) instances.forEach((x, k) => w.text(p.outline.layer, p.outline.datatype, opX(x, k) + f.opW / 2, -f.gap - f.opH / 2, x.name));
      const slotRight = slot.width - f.gap;
      nets.forEach((s, k) => {
        const y = k * f.busPitch;
        w.rect(p.bus.layer, p.bus.datatype, 0, y, slotRight, y + f.busW);
        w.text(p.bus.layer, p.bus.datatype, f.busW, y + f.busW / 2, s);
      });
      for (const [name, x, y] of straps) w.sref(name, x, y);
      let area = 0;
      resistors.forEach((d, lane) => {
        const x0 = opRegion + lane * f.laneW;
        const { name, drawn } = devices[lane];
        w.sref(name, x0, laneY0);
        w.text(p.kind === 'planar' ? p.marker.layer : p.hole.layer, p.kind === 'planar' ? p.marker.datatype : p.hole.datatype, x0 + drawn.label[0], laneY0 + drawn.label[1], d.name);
        area += drawn.area;
      });
      if (p.kind === 'planar' && resistors.length > 0) {
        for (const im of p.implants) {
          const e = toDbu(im.enclosureUm);
          w.rect(im.layer, im.datatype, opRegion - e, laneY0 - e, opRegion + (resistors.length - 1) * f.laneW + (f.laneW - f.planar!.pitch) + e, laneY0 + f.laneH - f.gap + e);
        }
      }
      record(maskCell.array(i), 'resistors', w.endStr());
      // Placement: layer rows, wrapped.
      const layer = layerOf(i);
      if (layer !== rowLayer) {
        const L = layerArea.get(layer)!;
        const width = Math.max(L.widest, Math.ceil(Math.sqrt(L.area)));
        if (rowLayer !== null) {
          bandX += rowWidth + f.gap * 4;
          if (bandX + width > squareSide) {
            bandX = 0;
            bandRowY = bandRowTop + f.gap * 4;
          }
        }
        rowWidth = width;
        rowY = bandRowY;
        rowX = bandX;
        rowLayer = layer;
        rowTop = rowY + slot.below + slot.above;
      } else if (rowX + slot.width > bandX + rowWidth && rowX > bandX) {
        rowY = rowTop + f.gap;
        rowX = bandX;
        rowTop = rowY + slot.below + slot.above;
      }
      // GDSII coordinates are 32-bit integers of the database unit (1 nm): the masks cannot span more than 2.147 m.
      if (rowX + slot.width >= GDS_LIMIT || rowY + slot.below + slot.above >= GDS_LIMIT) throw inputError(MM.masksTooLarge(p.name, Math.max(rowX + slot.width, rowY + slot.below + slot.above) / DBU_PER_UM / 1000, i));
      slotX[i] = rowX;
      slotY[i] = rowY + slot.below;
      if (mods) {
        if (modIdx < 0 || i === mods.runs[modIdx].to) {
          modIdx++;
          const run = mods.runs[modIdx];
          if (run.from !== i) throw new Error(`masks: module ${run.name} starts at row ${run.from}, its band at ${i}`);
          modX = rowX;
          modY = rowY;
          modSrefs = [];
        }
        instances.forEach((x, k) => modSrefs.push({ type: 'sref', name: placeholderName(x.cell, x.pins.length), xy: [slotX[i] - modX + opX(x, k), slotY[i] - modY - f.opH - f.gap] }));
        const run = mods.runs[modIdx];
        if (i === run.to - 1) {
          // The module's cell: the library's bytes when it holds this cell as drawn here, else drawn.
          let cell = run.cell;
          let status: ModuleCellStatus['status'] = 'new';
          let note: string | null = null;
          const lib = mods.library.get(cell);
          const prior = modWritten.get(cell);
          if (prior && sameElements(prior.elements, modSrefs)) status = prior.status;
          else {
            if (prior) {
              cell = `${run.cell}_${run.from}`;
              note = 'the same topology as an earlier module of this network, but its realization widens a slot';
            }
            if (!prior && lib && sameElements(lib.elements, modSrefs)) {
              record(cell, 'module', w.raw(lib.bytes));
              status = 'reused';
            } else {
              if (lib && !prior) note = 'its hash is in the library, but its realization widens a slot: drawn new';
              w.beginStr(cell);
              for (const e of modSrefs) if (e.type === 'sref') w.sref(e.name, e.xy[0], e.xy[1]);
              record(cell, 'module', w.endStr());
            }
            modWritten.set(cell, { elements: modSrefs, status });
          }
          moduleStatus.push({ name: run.name, cell, hash: run.hash, neurons: run.to - run.from, status, note });
          modPlaced.push({ cell, x: modX, y: modY });
        }
      }
      rowX += slot.width;
      rowTop = Math.max(rowTop, rowY + slot.below + slot.above);
      extentX = Math.max(extentX, rowX);
      extentY = Math.max(extentY, rowTop);
      bandRowTop = Math.max(bandRowTop, rowTop);
      const L = byLayer.get(layer) ?? { neurons: 0, resistors: 0, resistorArea: 0, opampArea: 0, slotArea: 0 };
      L.neurons++;
      L.resistors += resistors.length;
      L.resistorArea += area;
      L.opampArea += instances.length * f.opW * f.opH;
      L.slotArea += slot.width * (slot.below + slot.above);
      byLayer.set(layer, L);
      totalResistors += resistors.length;
      totalOpamps += instances.length;
      resistorArea += area;
      opampArea += instances.length * f.opW * f.opH;
    }
    w.beginStr(TOP_CELL);
    for (const m of modPlaced) w.sref(m.cell, m.x, m.y);
    for (let i = 0; i < n.count; i++) {
      if (!mods) w.sref(maskCell.neuron(i), slotX[i], slotY[i]);
      w.sref(maskCell.array(i), slotX[i], slotY[i]);
    }
    record(TOP_CELL, 'placement', w.endStr());
    w.endLib();
  } finally {
    w.close();
    cells.close();
  }
  const um2 = (a: number) => a / (DBU_PER_UM * DBU_PER_UM);
  return {
    file: MASKS_FILE,
    process: p.name,
    cells: cellCount,
    resistors: totalResistors,
    opamps: totalOpamps,
    byLayer: [...byLayer.entries()].map(([layer, L]) => ({ layer, neurons: L.neurons, resistors: L.resistors, resistorAreaUm2: um2(L.resistorArea), opampAreaUm2: um2(L.opampArea), slotAreaUm2: um2(L.slotArea) })),
    resistorAreaUm2: um2(resistorArea),
    opampAreaUm2: um2(opampArea),
    widthUm: extentX / DBU_PER_UM,
    heightUm: extentY / DBU_PER_UM,
    modules: options.modules ? moduleStatus : null,
  };
}
