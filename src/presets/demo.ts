// The options of `ohmnet demo` (the README's main job): the bundled digits CNN compiled as a designer would start,
// fan-in and fan-out 32 (a buildable summing amplifier), the patent's 5 V signal limit with 20% headroom on the
// calibration data, E96 resistors (1% parts) over the patent's 100 kΩ..1 MΩ, 1% gaussian tolerance with 50 Monte
// Carlo trials, and SPICE on 20 test digits. Calibrated on the 1,437 training digits, measured on the 360 held-out
// digits (fixtures/digits_calibration.json, fixtures/digits_test.json). Without headroom, 62 neuron outputs of the
// held-out digits exceed the rails (the training digits do not reach every signal's extreme); with 20%, none do.

export const DEMO_PRESET = {
  fanIn: 32,
  fanOut: 32,
  signalLimitV: 5,
  signalHeadroomRel: 0.2,
  resistors: 'E96',
  rMinOhm: 100e3,
  rMaxOhm: 1e6,
  toleranceRel: 0.01,
  trials: 50,
  spiceSamples: 20,
} as const;

export const DEMO_FILES = { model: 'digits_cnn.onnx', calibration: 'digits_calibration.json', test: 'digits_test.json' } as const;
