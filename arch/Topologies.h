//===- arch/Topologies.h - Network topologies by name ----------*- C++ -*-===//
//
// A topology turns a fan-out (an X x Y array of children) into a
// NetworkGraph. Adding one is a builder function and a line in the table in
// Topologies.cpp; nothing else in Tessel knows topology formulas.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_TOPOLOGIES_H
#define TESSEL_ARCH_TOPOLOGIES_H

#include <array>
#include <memory>
#include <string>
#include <vector>

namespace tessel {

class NetworkGraph;

/// What a builder needs: the children's array and topology parameters.
struct NetworkShape {
  unsigned x = 1, y = 1;                   ///< The fan-out; child = x + X*y.
  unsigned radix = 2;                      ///< Trees.
  std::array<unsigned, 2> attach = {0, 0}; ///< Meshes.
};

struct Topology {
  const char *name;
  const char *description;
  /// Empty when the topology can connect `shape`; else why not and what
  /// would fit.
  std::string (*checkShape)(const NetworkShape &shape);
  /// Adds the links and switches, and marks the switches that are routers
  /// (NetworkGraph::markRouter) for the area model.
  void (*build)(NetworkGraph &graph, const NetworkShape &shape);
};

/// Every topology, in the order they are documented.
const std::vector<Topology> &topologies();
/// The topology called `name`, or nullptr.
const Topology *findTopology(const std::string &name);
/// "bus, tree, systolic, mesh, crossbar".
std::string topologyNames();
/// The finished graph of `topology` over `shape` (checkShape must be empty).
std::shared_ptr<const NetworkGraph>
buildNetworkGraph(const Topology &topology, const NetworkShape &shape);

} // namespace tessel

#endif // TESSEL_ARCH_TOPOLOGIES_H
