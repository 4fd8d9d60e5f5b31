// C[m,n] += A[m,k] * B[k,n], M=2 N=2 K=4 on 4 PEs: each PE owns one k,
// takes one row of A a step and both columns of B.
Network tiny {
  Layer G {
    Type: GEMM
    Dimensions { M: 2, N: 2, K: 4 }
    Dataflow {
      TemporalMap(1,1) M;
      SpatialMap(1,1) K;
      TemporalMap(2,2) N;
    }
  }
}
