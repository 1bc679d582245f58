// The ONNX op types the importer reads (importer data, named in the "unsupported op" message).

export const SUPPORTED_ONNX_OPS = [
  'Abs', 'Add', 'AveragePool', 'BatchNormalization', 'Cast', 'Clip', 'Concat', 'Constant', 'ConstantOfShape', 'Conv', 'ConvTranspose',
  'Div', 'Dropout', 'Elu', 'Equal', 'Expand', 'Flatten', 'Gather', 'Gemm', 'GlobalAveragePool', 'GRU', 'HardSigmoid', 'HardSwish',
  'Identity', 'LeakyRelu', 'LSTM', 'MatMul', 'Max', 'MaxPool', 'Min', 'Mul', 'Neg', 'Pad', 'PRelu', 'Range', 'ReduceMean', 'Resize',
  'Relu', 'Reshape', 'RNN', 'Selu', 'Shape', 'Sigmoid', 'Slice', 'Softmax', 'Softplus', 'Softsign', 'Split', 'Squeeze', 'Sub', 'Sum', 'Tanh',
  'Transpose', 'Unsqueeze', 'Upsample', 'Where',
] as const;
