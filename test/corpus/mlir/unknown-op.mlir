func.func @f() {
  "foo.bar"() : () -> ()
  return
}
// Corpus case: unknown op.
// RUN: tessel workloads %s
// ERROR: %s:2:12: error: operation being parsed with an unregistered dialect
