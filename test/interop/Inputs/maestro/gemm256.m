// GEMM 256x256x256 for throughput: clusters of 256 PEs reduce one
// output over K (one k per PE); the clusters split the rows of M.
Constant Size 256;
Network gemm256 {
  Layer GEMM256 {
    Type: GEMM
    Dimensions { K: Size, M: Size, N: Size }
    Dataflow {
      TemporalMap(1,1) N;
      SpatialMap(1,1) M;
      TemporalMap(Size,Size) K;
      Cluster(Size, P);
      TemporalMap(1,1) N;
      TemporalMap(1,1) M;
      SpatialMap(1,1) K;
    }
  }
}
