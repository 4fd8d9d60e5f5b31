Network bad {
  Layer G {
    Type: GEMM
    Dimensions { M: 2, N: 2, K: 4 }
    Dataflow {
      SpatalMap(1,1) K;
    }
  }
}
