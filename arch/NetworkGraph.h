//===- arch/NetworkGraph.h - A network as a Boost graph ---------*- C++ -*-===//
//
// The graph of one network: vertex 0 is the parent (the source), vertices
// 1..N its children, further vertices switches or routers. Links carry a hop
// weight (1 for a link that costs a hop, 0 for a bus tap). Once finished, a
// shortest-path tree from the source gives every hop count: a unicast is the
// path's weight, a multicast the weight of the union of the tree paths to
// its destinations (each shared link counted once), a reduction the same
// tree reversed.
//
// Topology builders (Topologies.h) create these; the rest of Tessel asks a
// Network (Arch.h) for hop counts. The simulator's network components
// (sim/Noc.h) are built from the links, the tree and, on a mesh, the grid
// positions of the routers (for dimension-ordered routing).
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_ARCH_NETWORKGRAPH_H
#define TESSEL_ARCH_NETWORKGRAPH_H

#include <boost/graph/adjacency_list.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace tessel {

class NetworkGraph {
public:
  /// A graph with the source and `childCount` children, no links yet.
  explicit NetworkGraph(unsigned childCount);

  static constexpr unsigned kSource = 0;
  unsigned childVertex(unsigned child) const { return 1 + child; }
  unsigned childCount() const { return childCount_; }

  /// Adds a switch or router; returns its vertex.
  unsigned addVertex();
  /// Adds a one-way link.
  void addLink(unsigned from, unsigned to, unsigned hops = 1);
  /// Adds a link each way.
  void addBidirectionalLink(unsigned a, unsigned b, unsigned hops = 1);
  /// Computes the shortest-path tree from the source. Throws
  /// std::logic_error if some child cannot be reached.
  void finish();

  /// Hops on the path from the source to `child`.
  uint64_t hopsTo(unsigned child) const;
  /// Hops on the union of the tree paths from the source to `children`.
  uint64_t treeHops(const std::vector<unsigned> &children) const;

  /// Places a router on a grid (a mesh): position {x, y}.
  void setGridPosition(unsigned vertex, std::array<unsigned, 2> position);
  /// The grid position of `vertex`, if its topology placed it on one.
  std::optional<std::array<unsigned, 2>> gridPosition(unsigned vertex) const;

  /// One one-way link.
  struct Edge {
    unsigned from, to, hops;
  };
  /// Every link, by source vertex, then in the order added.
  std::vector<Edge> links() const;
  /// The vertex before `vertex` on its shortest path from the source (the
  /// source's is itself). Needs finish().
  unsigned treeParent(unsigned vertex) const { return parent.at(vertex); }

  unsigned vertexCount() const;
  /// A hash of the finished shortest-path tree: equal for networks whose
  /// every hop count is equal (never the address, which memory reuses).
  uint64_t fingerprint() const { return fingerprint_; }
  unsigned linkCount() const;

private:
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                            boost::no_property,
                            boost::property<boost::edge_weight_t, unsigned>>;

  Graph graph;
  unsigned childCount_;
  std::vector<uint64_t> distance;       ///< Hops from the source.
  std::vector<unsigned> parent;         ///< In the shortest-path tree.
  std::vector<unsigned> parentLinkHops; ///< Weight of the link to parent.
  uint64_t fingerprint_ = 0;
  /// Grid positions by vertex; empty unless the topology set some.
  std::vector<std::optional<std::array<unsigned, 2>>> gridPositions;
};

} // namespace tessel

#endif // TESSEL_ARCH_NETWORKGRAPH_H
