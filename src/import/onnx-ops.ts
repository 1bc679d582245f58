// The ONNX op types the importer reads (importer data, named in the "unsupported op" message).

export const SUPPORTED_ONNX_OPS = [
  'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Constant', 'ConstantOfShape', 'Conv', 'Dropout',
  'Expand', 'Flatten', 'GRU', 'Gather', 'Gemm', 'GlobalAveragePool', 'HardSigmoid', 'HardSwish', 'Identity', 'LSTM', 'LeakyRelu',
  'MatMul', 'MaxPool', 'Mul', 'Pad', 'RNN', 'ReduceMean', 'Relu', 'Reshape', 'Shape', 'Sigmoid', 'Slice', 'Softmax',
  'Squeeze', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;
