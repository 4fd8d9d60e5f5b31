//===- interop/Maestro.h - MAESTRO's .m files as Tessel's inputs -*- C++
//-*-===//
//
// Reads MAESTRO's two inputs: the hardware file (`num_pes: 256`,
// `l1_size_cstr`, `l2_size_cstr`, `noc_bw_cstr`, `offchip_bw_cstr`,
// `NoC_NumHops`, one `key: value` a line) and the mapping file in its DFSL
// (`Constant`, `Network { Layer { Type: CONV|GEMM|DSCONV, Stride,
// Dimensions, Dataflow { SpatialMap(size, offset) D; TemporalMap(...) D;
// Cluster(n, P); } } }`, sizes as numbers, constants or Sz(D)). Each layer
// becomes a Problem (CONV: N K C P Q R S with the input indexed by
// stride*P + R; GEMM: M N K), an Arch (DRAM, L2, one buffer per inner
// cluster level, L1 per PE; energies from Tessel's defaults) and the
// directive form of model/DataCentric.h, which the dataflow model
// evaluates. MAESTRO's Y and X directives walk input rows and columns;
// here they walk the output's P and Q: a window of Y rows covers
// (Y - R) / stride + 1 output rows, R being the filter rows at that level;
// a strided window steps by whole output tiles, as in MAESTRO. Y' and X'
// name P and Q directly.
//
// Errors throw MaestroError "file:line:col: error: what is wrong; what
// would be right".
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_INTEROP_MAESTRO_H
#define TESSEL_INTEROP_MAESTRO_H

#include "arch/Arch.h"
#include "mapping/Report.h"
#include "model/DataCentric.h"
#include "workloads/Problem.h"

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel {

struct MaestroError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// MAESTRO's hardware file; absent keys are unlimited (as in MAESTRO).
struct MaestroHardware {
  std::string file;
  uint64_t pes = 1;
  std::optional<uint64_t> l1Words, l2Words;
  std::optional<uint64_t> nocBandwidth, offChipBandwidth;
  uint64_t nocHops = 1;
  unsigned simdLanes = 1;
};

MaestroHardware readMaestroHardware(const std::string &path);

/// One layer of the mapping file, ready to evaluate.
struct MaestroLayer {
  std::string name;
  std::string type; ///< "CONV", "GEMM", "DSCONV".
  unsigned line = 0;
  Problem problem;
  Arch arch;
  DataCentricMapping mapping;
};

struct MaestroNetwork {
  std::string file;
  std::string name;
  std::vector<MaestroLayer> layers;
};

MaestroNetwork readMaestroMapping(const std::string &path,
                                  const MaestroHardware &hardware);

/// What `tessel maestro` computes: every layer evaluated by the dataflow
/// model.
struct MaestroLayerRun {
  size_t layer = 0; ///< Index into the network's layers.
  Report report;
  DataCentricResult details;
};

struct MaestroRun {
  MaestroHardware hardware;
  MaestroNetwork network;
  std::vector<MaestroLayerRun> layers;
  uint64_t cycles = 0; ///< All layers, one after another.
  double energy = 0;   ///< pJ, all layers.
};

MaestroRun runMaestro(const std::string &hardwarePath,
                      const std::string &mappingPath);

} // namespace tessel

#endif // TESSEL_INTEROP_MAESTRO_H
