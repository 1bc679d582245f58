// Memristor device models for the crossbar target (issue 17, C16), as typed presets citing their sources. The seed
// (Yang et al., US 2021/0097379 A1) gives no device model, no constants and no voltages (seed-targets C16, Flags), so
// every figure here is from the literature named in its `source`, or a stated choice in `choices`.
//
// All models share one normalised state s in [0, 1], s = 1 the most conductive (R_on) end; src/crossbar/devices.ts
// integrates each model's state equation under a rectangular voltage pulse (amplitude, duration) and gives the
// conductance the read sees. The protocol voltages (read amplitude, set and reset write amplitudes) are ohmnet's
// choices per model, since the seed gives none: each is documented where it is set.

/** Linear ion drift (HP TiO2) with the Joglekar window of exponent p = 1. */
export interface LinearIonDriftModel {
  readonly kind: 'linear-ion-drift';
  readonly name: string;
  /** Resistance of the fully doped film (state 1), ohms. */
  readonly rOnOhm: number;
  /** Resistance of the undoped film (state 0), ohms. */
  readonly rOffOhm: number;
  /** Film thickness D, metres. */
  readonly thicknessM: number;
  /** Dopant mobility mu_v, m^2 / (V s). */
  readonly mobilityM2PerVS: number;
  /** Initial state x = w / D. */
  readonly initialState: number;
  /** Read amplitude, volts: the read is the bipolar pair +readV then -readV (the model has no threshold). */
  readonly readV: number;
  /** Write amplitude moving the state towards R_on (signed, volts). */
  readonly setV: number;
  /** Write amplitude moving the state towards R_off (signed, volts). */
  readonly resetV: number;
  readonly source: string;
  readonly choices: readonly string[];
}

/** VTEAM: voltage thresholds, so a read below both thresholds leaves the state unchanged by construction. */
export interface VteamModel {
  readonly kind: 'vteam';
  readonly name: string;
  readonly rOnOhm: number;
  readonly rOffOhm: number;
  /** State variable w at R_on and at R_off, metres (w_on < w_off). */
  readonly wOnM: number;
  readonly wOffM: number;
  /** Rate constants, m/s: k_off > 0 (towards R_off), k_on < 0 (towards R_on). */
  readonly kOffMPerS: number;
  readonly kOnMPerS: number;
  readonly alphaOff: number;
  readonly alphaOn: number;
  /** Thresholds, volts: v_off > 0, v_on < 0. */
  readonly vOffV: number;
  readonly vOnV: number;
  readonly initialState: number;
  readonly readV: number;
  readonly setV: number;
  readonly resetV: number;
  readonly source: string;
  readonly choices: readonly string[];
}

/** Yakopcic's generalised model: I = a x sinh(b V), thresholded state motion with exponential windows. */
export interface YakopcicModel {
  readonly kind: 'yakopcic';
  readonly name: string;
  /** I-V amplitudes for V >= 0 and V < 0, amperes; the sinh steepness b, 1/V. */
  readonly a1A: number;
  readonly a2A: number;
  readonly bPerV: number;
  /** Positive and negative thresholds (both given as magnitudes), volts. */
  readonly vpV: number;
  readonly vnV: number;
  /** Magnitudes of the state motion, 1/s. */
  readonly ap: number;
  readonly an: number;
  /** Points where the motion starts to decay, and the decay rates. */
  readonly xp: number;
  readonly xn: number;
  readonly alphaP: number;
  readonly alphaN: number;
  /** +1: positive voltage increases x (and the conductance). */
  readonly eta: 1 | -1;
  readonly initialState: number;
  readonly readV: number;
  readonly setV: number;
  readonly resetV: number;
  readonly source: string;
  readonly choices: readonly string[];
}

/** Pershin and Di Ventra's threshold-type memristive device: the resistance R is the state, it moves only beyond
 * the threshold voltage, at a rate linear in the overdrive, and stops at R_on and R_off. */
export interface ThresholdModel {
  readonly kind: 'threshold';
  readonly name: string;
  readonly rOnOhm: number;
  readonly rOffOhm: number;
  /** Rate of dR/dt below threshold (alpha) and per volt of overdrive beyond it (beta), ohm / (V s). */
  readonly alphaOhmPerVS: number;
  readonly betaOhmPerVS: number;
  /** Threshold voltage V_t (both polarities), volts. */
  readonly vtV: number;
  readonly initialState: number;
  readonly readV: number;
  readonly setV: number;
  readonly resetV: number;
  readonly source: string;
  readonly choices: readonly string[];
}

export type MemristorModel = LinearIonDriftModel | VteamModel | YakopcicModel | ThresholdModel;

/** Device-to-device, cycle-to-cycle variation and read disturb; all zero in the nominal presets. */
export interface DeviceVariation {
  /** Relative sigma of each device's own rate constant and conductance scale, drawn once per device (seeded). */
  readonly d2dRel: number;
  /** Relative sigma of each write pulse's state change, drawn per pulse (seeded). */
  readonly c2cRel: number;
  /** State change towards s = 1 caused by one read cycle (a read-disturb drift; 0 = non-destructive read). */
  readonly readDisturbPerRead: number;
}

export const NO_VARIATION: DeviceVariation = { d2dRel: 0, c2cRel: 0, readDisturbPerRead: 0 };

/**
 * The HP TiO2 device as Strukov et al. model it: D. B. Strukov, G. S. Snider, D. R. Stewart, R. S. Williams, "The
 * missing memristor found", Nature 453, 80-83 (2008), eq. (1)-(2): v = (R_on w/D + R_off (1 - w/D)) i,
 * dw/dt = mu_v R_on / D * i. Window F(x) = 1 - (2x - 1)^(2p) of Y. N. Joglekar, S. J. Wolf, "The elusive memristor",
 * Eur. J. Phys. 30, 661 (2009), eq. (13), with p = 1. Figures R_on = 100 ohm, R_off = 16 kohm, D = 10 nm,
 * mu_v = 1e-14 m^2/(V s): the parameter set of D. Biolek, Z. Biolek, V. Biolkova, "SPICE model of memristor with
 * nonlinear dopant drift", Radioengineering 18(2), 210-214 (2009) (its listing: Ron=100 Roff=16k D=10N uv=10F),
 * which is the HP device of Strukov et al.
 */
export const LINEAR_ION_DRIFT_HP: LinearIonDriftModel = {
  kind: 'linear-ion-drift',
  name: 'linear-ion-drift',
  rOnOhm: 100,
  rOffOhm: 16e3,
  thicknessM: 10e-9,
  mobilityM2PerVS: 1e-14,
  initialState: 0.5,
  readV: 0.1,
  setV: 1,
  resetV: -1,
  source:
    'Strukov et al., Nature 453:80 (2008), eqs. (1)-(2); Joglekar & Wolf, Eur. J. Phys. 30:661 (2009), eq. (13), window p = 1; parameters of Biolek et al., Radioengineering 18(2):210 (2009): R_on 100 ohm, R_off 16 kohm, D 10 nm, mu_v 1e-14 m^2/(V s)',
  choices: [
    'Joglekar window with p = 1 so the state equation has the closed-form invariant Phi(x) = R_off ln x - R_on ln(1 - x), dPhi/dt = 4 k v (k = mu_v R_on / D^2): pulses are integrated exactly and a +V/-V pair of equal duration returns the state exactly',
    'read: the bipolar pair +0.1 V then -0.1 V, each for half of T_rd (the seed\'s FIG. 4 as corrected in seed-targets C16: the second half must reverse the polarity)',
    'write amplitude +-1 V (the seed gives none)',
  ],
};

/**
 * VTEAM: S. Kvatinsky, M. Ramadan, E. G. Friedman, A. Kolodny, "VTEAM: A general model for voltage-controlled
 * memristors", IEEE Trans. Circuits Syst. II 62(8), 786-790 (2015), eq. (1) (threshold state equation) and eq. (3)
 * (R linear in w). The parameter set is MemTorch's VTEAM default (C. Lammie et al., "MemTorch", Neurocomputing 485
 * (2022) 124-133; memtorch/bh/memristor/VTEAM.py): R_on 50 ohm, R_off 1 kohm, w in [0, 3 nm], k_on -10 m/s,
 * k_off 5e-4 m/s, alpha_on 3, alpha_off 1, v_on -0.2 V, v_off 0.02 V. The VTEAM paper's own fit table could not be
 * read here, so these figures are not claimed to be from it.
 */
export const VTEAM_MEMTORCH: VteamModel = {
  kind: 'vteam',
  name: 'vteam',
  rOnOhm: 50,
  rOffOhm: 1000,
  wOnM: 0,
  wOffM: 3e-9,
  kOffMPerS: 5e-4,
  kOnMPerS: -10,
  alphaOff: 1,
  alphaOn: 3,
  vOffV: 0.02,
  vOnV: -0.2,
  initialState: 0.5,
  readV: 0.01,
  setV: -0.202,
  resetV: 0.0202,
  source:
    'Kvatinsky et al., IEEE TCAS-II 62(8):786 (2015), eqs. (1) and (3); parameters: MemTorch VTEAM defaults (Lammie et al., Neurocomputing 485:124 (2022), memtorch/bh/memristor/VTEAM.py)',
  choices: [
    'rectangular window (f_on = f_off = 1, the state clipped to [w_on, w_off]) as MemTorch does; the state then moves at a constant rate under a pulse and is integrated exactly',
    'read amplitude 0.01 V, below v_off = 0.02 V and |v_on| = 0.2 V: the read cannot move the state',
    'write amplitudes 1% above the thresholds (-0.202 V set, +0.0202 V reset): a full swing then takes about 0.3 ms set and 0.6 ms reset, a few write windows of the seed\'s 0.1 ms pulse slot; higher overdrive switches the device within one pulse',
  ],
};

/**
 * Yakopcic's model: C. Yakopcic, T. M. Taha, G. Subramanyam, R. E. Pino, S. Rogers, "A memristor device model", IEEE
 * Electron Device Lett. 32(10), 1436-1438 (2011), eqs. (1)-(5) (the same equations and this parameter set in Yakopcic
 * et al., "Generalized memristive device SPICE model and its application in circuit design", IEEE TCAD 32(8),
 * 1201-1214 (2013)): the fit to the Boise State Ag-chalcogenide device of Oblea et al.: a1 = a2 = 0.17, b = 0.05,
 * Vp = 0.16 V, Vn = 0.15 V, Ap = An = 4000, xp = 0.3, xn = 0.5, alpha_p = 1, alpha_n = 5, eta = 1 (as in Yakopcic's
 * published SPICE subcircuit).
 */
export const YAKOPCIC_2011: YakopcicModel = {
  kind: 'yakopcic',
  name: 'yakopcic',
  a1A: 0.17,
  a2A: 0.17,
  bPerV: 0.05,
  vpV: 0.16,
  vnV: 0.15,
  ap: 4000,
  an: 4000,
  xp: 0.3,
  xn: 0.5,
  alphaP: 1,
  alphaN: 5,
  eta: 1,
  initialState: 0.5,
  readV: 0.1,
  setV: 0.18,
  resetV: -0.17,
  source:
    'Yakopcic et al., IEEE EDL 32(10):1436 (2011), eqs. (1)-(5), and IEEE TCAD 32(8):1201 (2013); parameters: the fit to the Oblea et al. Ag-chalcogenide device (a1 = a2 = 0.17, b = 0.05, Vp 0.16 V, Vn 0.15 V, Ap = An = 4000, xp 0.3, xn 0.5, alpha_p 1, alpha_n 5, eta 1)',
  choices: [
    'read amplitude 0.1 V, below both thresholds (0.16 V, 0.15 V): the read cannot move the state',
    'write amplitudes +0.18 V set, -0.17 V reset (0.02 V over each threshold): a full swing takes about 10 ms at mid-range',
    'the state equation is integrated by classical Runge-Kutta with sub-steps of at most 0.002 in state (the window makes it non-linear in x), then clipped to [0, 1]',
    'the conductance the read sees is I/V = a x sinh(b V) / V at the read voltage (it is a1 b x at V -> 0); the range is [0, a1 sinh(b V_read) / V_read]',
  ],
};

/**
 * The threshold-type device for the seed's LSTM "threshold memristors" ([0032]-[0033]): Y. V. Pershin, M. Di Ventra,
 * "SPICE model of memristive devices with threshold", Radioengineering 22(2), 485-489 (2013) (arXiv:1204.2600),
 * eqs. (1)-(3): I = V / R, dR/dt = f(V) W(R, V), f(V) = beta V + (alpha - beta)(|V + V_t| - |V - V_t|) / 2, W the
 * step functions that stop R at R_on and R_off. R_on 1 kohm, R_off 10 kohm, alpha = 0, V_t = 1.6 V: the parameters of
 * ngspice's example of this model (examples/memristor/memristor.sp, H. Vogt 2012, which notes they are chosen for a
 * clean demonstration, not fitted to a device). beta is ours (that example ties it to its sweep period).
 */
export const THRESHOLD_PERSHIN: ThresholdModel = {
  kind: 'threshold',
  name: 'threshold',
  rOnOhm: 1e3,
  rOffOhm: 10e3,
  alphaOhmPerVS: 0,
  betaOhmPerVS: 1e8,
  vtV: 1.6,
  initialState: 0.5,
  readV: 0.5,
  setV: -1.7,
  resetV: 1.7,
  source:
    'Pershin & Di Ventra, Radioengineering 22(2):485 (2013), arXiv:1204.2600, eqs. (1)-(3); R_on 1 kohm, R_off 10 kohm, alpha 0, V_t 1.6 V as in ngspice examples/memristor/memristor.sp (not a device fit)',
  choices: [
    'beta = 1e8 ohm/(V s): at the write amplitudes (0.1 V over the threshold) R moves 1e7 ohm/s, a full swing in 0.9 ms, a few of the seed\'s write windows',
    'a positive voltage raises R (towards R_off), as in the paper; the set amplitude is therefore negative',
    'alpha = 0, so the read at 0.5 V (below V_t) cannot move the state; the rate is constant under a pulse, so pulses are integrated exactly and R clipped to [R_on, R_off]',
  ],
};

export const MEMRISTOR_PRESETS: Readonly<Record<string, MemristorModel>> = {
  'linear-ion-drift': LINEAR_ION_DRIFT_HP,
  vteam: VTEAM_MEMTORCH,
  yakopcic: YAKOPCIC_2011,
  threshold: THRESHOLD_PERSHIN,
};
