func.func @f(%a: tensor<4xf32>) {
  return
}}
// Corpus case: syntax error.
// RUN: tessel workloads %s
// ERROR: %s:3:
// ERROR: error:
