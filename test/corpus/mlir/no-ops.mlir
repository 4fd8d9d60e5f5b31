func.func @f() {
  return
}
// Corpus case: no ops.
// RUN: tessel workloads %s
// ERROR: %s: warning: no linalg multiply-accumulate ops found
// EXIT: 0
