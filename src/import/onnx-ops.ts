// The ONNX op types the importer reads (importer data, named in the "unsupported op" message).

export const SUPPORTED_ONNX_OPS = [
  'Add', 'AveragePool', 'BatchNormalization', 'Clip', 'Concat', 'Constant', 'Conv', 'Dropout', 'Flatten', 'Gemm',
  'GlobalAveragePool', 'HardSigmoid', 'Identity', 'LeakyRelu', 'MatMul', 'MaxPool', 'Mul', 'Pad', 'ReduceMean', 'Relu',
  'Reshape', 'Sigmoid', 'Softmax', 'Squeeze', 'Sub', 'Tanh', 'Transpose', 'Unsqueeze',
] as const;
