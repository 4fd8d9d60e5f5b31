// RUN: not tessel workloads %s 2>&1 | FileCheck %s
// CHECK: syntax-error.mlir:[[@LINE+2]]:12: error: expected ':'
func.func @f() -> i32 {
  return %0 i32
}
