// The public library API of ohmnet: everything the CLI does is a typed function exported here.

export { importModel } from './import/index.js';
export type { ImportOptions } from './import/index.js';
export { importOnnx, importOnnxFile, DEFAULT_MAX_TENSOR_ELEMENTS } from './import/onnx.js';
export { evaluate, evaluateNode, applyActivation } from './reference/evaluate.js';
export type { Evaluation, EvaluateOptions } from './reference/evaluate.js';
export type * from './ir/ops.js';
export { parameterCount } from './ir/ops.js';
export type { Tensor, Shape } from './ir/tensor.js';
export { inferShapes, inferNodeShape, macsOf } from './ir/shapes.js';
export { validateGraph } from './ir/validate.js';
export { inspectGraph } from './report/inspect.js';
export type { InspectReport, LayerRow } from './report/inspect.js';
export { readSamples } from './io/samples.js';
export { OhmnetError, EXIT, isOhmnetError } from './errors.js';
export { main } from './cli/main.js';
export { compileGraph, resolveOptions, compilePasses } from './transform/pipeline.js';
export type { CompileOptions, Compiled, ResolvedOptions, PassRecord } from './transform/pipeline.js';
export { runPipeline, DifferentialCheckError } from './pass/manager.js';
export type { DebugHooks, ManagerOptions, PipelineResult, PassTiming } from './pass/manager.js';
export { AnalysisCache } from './pass/types.js';
export type { Pass, PassResult, PassContext, IrKind } from './pass/types.js';
export { evaluateTnet, readout } from './tnet/evaluate.js';
export type { TnetEvaluation, TnetEvalOptions, SignalStats } from './tnet/evaluate.js';
export { BLOCKS, BLOCK, BLOCK_TABLE, blockKind } from './tnet/blocks.js';
export type { BlockKind, BlockName } from './tnet/blocks.js';
export { verifyTnet, TnetInvariantError } from './tnet/verify.js';
export { tnetStats } from './tnet/stats.js';
export type * from './tnet/types.js';
export { summarize, buildSummary, equivalenceOf } from './report/summary.js';
export type { Summary, LayerSummary, Equivalence, SetSummary, AccuracySummary, RealizationSummary, MeasuredFigures } from './report/summary.js';
export { openRun, runFlow, runStages, STAGES, fullSummary, realizationSummary, tnetSummary, realizeCompiled, resolveFlowOptions, Run } from './flow/index.js';
export type { FlowOptions, ResolvedFlowOptions, StageName, SampleSet, SampleInput, SetName } from './flow/index.js';
export { readSampleFile } from './io/sample-file.js';
export { DEFAULTS } from './presets/defaults.js';
export { DEMO_PRESET } from './presets/demo.js';
export { buildCircuit, signalNet } from './circuit/build.js';
export type { Circuit, Device, Resistor, VoltageSource, Instance, Cell, BlockCircuit, LayerCircuit, NetworkCircuit, ParamRef } from './circuit/types.js';
export { neuronElement, normalizerFor, normalizerOhm, twoValueNormalizer, NORMALIZER_NEGLIGIBLE_REL, noiseGain, drawNeuron, finiteGainNeuron } from './realize/circuit.js';
export type { OpampDc } from './realize/circuit.js';
export { onCall } from './util/instrument.js';
export type { CallEvent, InstrumentedCall } from './util/instrument.js';
export { writeTnetJson, readTnetJson } from './io/tnet-json.js';
export { lowerToTnet } from './lower/to-tnet.js';
export { foldBatchNorm } from './lower/fold-batchnorm.js';
export { realize, realizationStats, effectiveNeuron } from './realize/realize.js';
export type { Realized, RealizeOptions, RealizationStats, FeedbackMode } from './realize/realize.js';
export { resolveResistorSet, resolveRealizationOptions, realizeNetwork } from './realize/stage.js';
export type { RealizationOptions, ResolvedRealizationOptions, RealizationResult } from './realize/stage.js';
export { E_SERIES, SERIES_NAMES, seriesValues, parseResistance, readCustomSet } from './realize/series.js';
export { buildPairTable, bestOption, PairTableCache } from './realize/pairs.js';
export type { PairTable } from './realize/pairs.js';
export { resistorSetValue, searchOptimalSet, PATENT_SET_20 } from './realize/resistor-set.js';
export { monteCarlo, percentile } from './simulate/montecarlo.js';
export type { MonteCarloResult, MonteCarloOptions, Distribution } from './simulate/montecarlo.js';
export { evaluateRealized, perturbedWeights, nominalWeights, simulateRealized, compareOutputs, accuracyOf, classOf, quantizer } from './simulate/realized.js';
export type { ErrorFigures, ConverterOptions, ToleranceDistribution } from './simulate/realized.js';
export { writeResistorsCsv } from './io/resistors-csv.js';
export { exportOnnx, EXPORT_OPSET } from './io/onnx-export.js';
export type { ExportOptions } from './io/onnx-export.js';
export { createEngine, ngspiceAvailable, defaultTimeoutMs, NgspiceEngine, WasmEngine } from './spice/engines/index.js';
export type { SpiceEngine, OperatingPointRequest, OperatingPointResult, EngineOptions, EngineName, EngineKind } from './spice/engines/index.js';
export { emitNetlist, writeNetlist, printCircuit, commentText } from './spice/emit.js';
export { testbenchText, testbenchLines, type TestbenchOptions, type TestbenchSample } from './spice/testbench.js';
export type { NetlistOptions } from './spice/emit.js';
export { parseOpamp, opampSubckt, DEFAULT_IDEAL, DEFAULT_MACRO } from './spice/models.js';
export type { OpampModel, IdealOpamp, MacroOpamp } from './spice/models.js';
export { verifySpice, crossValidate, behaviouralModelText } from './spice/verify.js';
export type { SpiceVerification, SpiceVerifyOptions, OutputAgreement, SpiceComparison } from './spice/verify.js';
export { renderReport, writeReport } from './report/html.js';
export type { ReportData } from './report/data.js';
export { addRealization } from './report/summary.js';
export type { FullSummary, SpiceFigures } from './report/summary.js';
export { main as runCli } from './cli/main.js';
export type { CliIO } from './cli/context.js';
export type { OhmnetConfig } from './config/types.js';
export { loadConfig, configSchema } from './config/load.js';
export { simulateTransient, checkOpampFits } from './simulate/transient.js';
export type { TransientOptions, TransientLane, TransientResult, InferenceTransient, TransientLayer, EnergyParts } from './simulate/transient.js';
export { estimateEnergy, energyFigures, energyPerMacJ, energyPerMacFromPowerJ, binasLanes, parseOpampPreset, OPAMP_DEPENDENCE } from './simulate/energy.js';
export type { EnergyFigures, EnergyOptions, LayerEnergy, Percentiles } from './simulate/energy.js';
export { DYNAMIC_OPAMPS, OPAMP_GENERIC, OPAMP_MICROPOWER, OPAMP_FAST, PATENT_SUPPLIES, ENERGY_DEFAULTS } from './presets/opamps.js';
export type { DynamicOpamp } from './presets/opamps.js';
export { fineTune, resolveGrid, GRID_NAMES, GRID_PRESETS, TrainModel, trainModel, evaluateSet, TRAIN_DEFAULTS } from './train/index.js';
export type { FineTuneOptions, FineTuneResult, GridInfo, GridName, TrainOptions, EpochRow, LabelledSet } from './train/index.js';
export { SimulatedChip, characterize, trainForChip, trainChipNetwork, chipAccuracy, chipNetwork, sigmaVtMv, BINAS_180NM, IRIS_CHIP_RECIPE } from './train/mismatch.js';
export type { MismatchModel, Characterization, ChipRecipe, SigmaFormula } from './train/mismatch.js';
export {
  solveCrossbar,
  solveCrossbarNodes,
  crossbarSolution,
  crossbarFromResistances,
  crossbarFromConductances,
  voltageSets,
  deviceCurrents as crossbarDeviceCurrents,
  outputCurrents as crossbarOutputCurrents,
  kclResidualRel as crossbarKclResidualRel,
  BandedCholesky as CrossbarBandedCholesky,
  CROSSBAR_SOLVERS,
} from './crossbar/solve.js';
export type { CrossbarSolution, CrossbarSolveOptions, CrossbarArray, CrossbarNodeVoltages, CrossbarSolverName } from './crossbar/solve.js';
export { crossbarNetlist, crossbarResistorNetlist, crossbarProbes, crossbarCheckProbes, wordNode as crossbarWordNode, bitNode as crossbarBitNode } from './crossbar/netlist.js';
export type { CrossbarDevice, CrossbarNetlistOptions } from './crossbar/netlist.js';
export { CROSSBAR_DEFAULTS } from './presets/defaults.js';
export { mapDenseLayer, crossbarLayerOutputs, MAPPING_SCHEMES } from './crossbar/mapping.js';
export type { CrossbarMapOptions, MappedLayer, MappedTile, MappingScheme } from './crossbar/mapping.js';
export { solveCrossbarOutputs, solveCrossbarEach } from './crossbar/solve.js';
export { SparseLdl as CrossbarSparseLdl, nestedDissection as crossbarNestedDissection } from './crossbar/solve-sparse.js';

// Memristor devices and on-line crossbar training (issue 17).
export { MEMRISTOR_PRESETS, LINEAR_ION_DRIFT_HP, VTEAM_MEMTORCH, YAKOPCIC_2011, THRESHOLD_PERSHIN, NO_VARIATION } from './presets/memristors.js';
export type { MemristorModel, LinearIonDriftModel, VteamModel, YakopcicModel, ThresholdModel, DeviceVariation } from './presets/memristors.js';
export { createDevices, validateModel, applyPulse, readCycle, writePulse, conductanceS, conductanceRange, stateOf, setState } from './crossbar/devices.js';
export type { DeviceArray } from './crossbar/devices.js';
export { memristorSubcircuit, subcircuitName, stateRateExpression, currentExpression } from './crossbar/devices-spice.js';
export { trainOnline, splitHalves, ONLINE_DEFAULTS } from './crossbar/online.js';
export type { OnlineOptions, OnlineData, OnlineResult } from './crossbar/online.js';

export { sdkLoop, SDK_DEFAULTS } from './train/sdk.js';
export type { SdkOptions, SdkResult, SdkRow } from './train/sdk.js';
export { renderTrainingReport, learningCurves } from './report/html/training.js';
export type { TrainingReportData, TrainingRun } from './report/html/training.js';

// Non-linear synapse cells and their SPICE look-up tables (issue 16, docs/synapse.md).
export { characterize as characterizeSynapse, loadSynapseLut, spiceSynapsePoints, DEFAULT_LUT_GRID } from './synapse/characterize.js';
export { SynapseLut, parseLut, serializeLut, readLutFile, F_COST, H_COST, MIN_GRID_POINTS } from './synapse/lut.js';
export type { LutData, LutGrid, LutCounters } from './synapse/lut.js';
export { spiceNetworkOutputs, spiceNetworkTransient, networkCircuit, networkOpDeck } from './synapse/transistor-netlist.js';
export type { CellNetwork, NetworkCurrents } from './synapse/transistor-netlist.js';
// Non-linear synapse network: the model, Newton operating point, training on SPICE curves, figures (issue 16).
export { SynapseModel, softmaxCrossEntropy as synapseSoftmaxCrossEntropy, zeroGradient as synapseZeroGradient } from './synapse/model.js';
export type { SynapseNetwork, SynapseEncoding, ForwardTrace, GradientKind } from './synapse/model.js';
export { solveNeuron, newCounters as newSynapseCounters } from './synapse/newton.js';
export type { NewtonOptions, NeuronSolution, EvalCounters } from './synapse/newton.js';
export { trainSynapseNetwork, monteCarloAccuracy, evaluateSet as evaluateSynapseSet, checkNetwork as checkSynapseNetwork, stochasticRound, defaultEncoding as defaultSynapseEncoding, INTERPOLATION_COSTS } from './synapse/train.js';
export type { SynapseTrainOptions, SynapseTrainResult, SynapseSetFigures, SynapseHistoryRow, MonteCarloScale, InterpolationCost } from './synapse/train.js';
export { serializeWeights as serializeSynapseWeights, parseWeights as parseSynapseWeights, readWeightsFile as readSynapseWeightsFile } from './synapse/weights-file.js';
export type { SynapseWeightsFile } from './synapse/weights-file.js';
export { networkAreaUm2, densityMacPerSUm2, impliedAreaUm2, energyPerMacJ as synapseEnergyPerMacJ, energyPerInferenceJ, table1Ratios, SEED_AREAS, SEED_TABLE1_NETWORK } from './synapse/figures.js';
export type { CellAreas, Table1Row } from './synapse/figures.js';
export type { SynapseCurves, SynapsePoint, SomaPoint } from './synapse/curves.js';
export { SYNAPSE_TRAIN_DEFAULTS } from './presets/defaults.js';
export { spiceAgreement, trainedNetworkCircuit } from './synapse/spice-agreement.js';
export type { SpiceAgreement } from './synapse/spice-agreement.js';
