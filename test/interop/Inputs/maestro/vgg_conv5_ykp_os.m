// VGG layer 5: 256 filters of 3x3x128 over a 58x58 input (56x56 output).
// Output-stationary YK-P: 16 clusters of 16 PEs; the clusters split the
// output rows (a 3-row input window each, one row apart), each PE of a
// cluster owns one filter; the PEs finish a full 3x3 window per step.
Network vgg {
  Layer CONV5 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 256, C: 128, R: 3, S: 3, Y: 58, X: 58 }
    Dataflow {
      TemporalMap(16,16) K;
      SpatialMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      TemporalMap(1,1) C;
      Cluster(16, P);
      SpatialMap(1,1) K;
      TemporalMap(Sz(R),1) Y;
      TemporalMap(Sz(S),1) X;
      TemporalMap(Sz(R),Sz(R)) R;
      TemporalMap(Sz(S),Sz(S)) S;
    }
  }
}
