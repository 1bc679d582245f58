import { importOnnxFile } from './src/import/onnx.ts';
const dir = './fixtures/recurrent/bad/';
for (const f of ['lstm_bidirectional', 'lstm_clip', 'lstm_peepholes', 'lstm_hardsigmoid_activations', 'lstm_state_input', 'lstm_reverse', 'lstm_input_forget', 'lstm_sequence_lens']) {
  try { importOnnxFile(dir + f + '.onnx'); console.log(f, 'IMPORTED'); } catch (e) { console.log(f, '=>', (e as Error).message); }
}
