//===- arch/NetworkGraph.h - A network as a Boost graph ---------*- C++ -*-===//
//
// The graph of one network: vertex 0 is the parent (the source), vertices
// 1..N its children, further vertices switches or routers. Links carry a hop
// weight (1 for a link that costs a hop, 0 for a bus tap). Once finished, two
// route trees give every hop count:
//
//  * the routes from the source (down): a unicast is the weight of the route
//    to its child, a multicast the weight of the union of the routes to its
//    destinations (each shared link counted once);
//  * the routes to the source (up): a reduction is the weight of the union
//    of the routes from its contributors, words joining where routes meet.
//
// By default both are shortest-path trees (Dijkstra, ties broken by link
// order). A topology whose routers route otherwise sets its routes
// (setRoutes): the mesh its XY routes, which are what sim/Routing.h does.
//
// Topology builders (Topologies.h) create these; the rest of Tessel asks a
// Network (Arch.h) for hop counts. The simulator's network components
// (sim/Noc.h) are built from the links, the routes and, on a mesh, the grid
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
  /// Replaces the shortest-path routes, by vertex: `fromSource[v]` is the
  /// vertex before v on its route from the source, `toSource[v]` the vertex
  /// after v on its route to the source (the source's are itself). Checked
  /// by finish().
  void setRoutes(std::vector<unsigned> fromSource,
                 std::vector<unsigned> toSource);
  /// Computes the routes (shortest paths, unless set) and their hops.
  /// Throws std::logic_error if some vertex cannot be reached from the
  /// source or cannot reach it, or if a set route is not a chain of links
  /// ending at the source.
  void finish();

  /// Hops on the route from the source to `child`.
  uint64_t hopsTo(unsigned child) const;
  /// Hops on the route from `child` to the source.
  uint64_t hopsFrom(unsigned child) const;
  /// Hops on the union of the routes from the source to `children`.
  uint64_t multicastTreeHops(const std::vector<unsigned> &children) const;
  /// Hops on the union of the routes from `children` to the source.
  uint64_t reductionTreeHops(const std::vector<unsigned> &children) const;

  /// Places a router on a grid (a mesh): position {x, y}.
  void setGridPosition(unsigned vertex, std::array<unsigned, 2> position);
  /// The grid position of `vertex`, if its topology placed it on one.
  std::optional<std::array<unsigned, 2>> gridPosition(unsigned vertex) const;

  /// Marks `vertex` a router: a switch that steers each word from one of
  /// its links to another (a tree's switches, a mesh's routers; not a bus
  /// node, whose taps all see every word, nor a PE that forwards words in
  /// registers). The area model prices routers (arch/Area.h).
  void markRouter(unsigned vertex);
  bool isRouter(unsigned vertex) const;

  /// One one-way link.
  struct Edge {
    unsigned from, to, hops;
  };
  /// Every link, by source vertex, then in the order added.
  std::vector<Edge> links() const;
  /// The vertex before `vertex` on its route from the source (the source's
  /// is itself). Needs finish().
  unsigned treeParent(unsigned vertex) const { return down.next.at(vertex); }
  /// The vertex after `vertex` on its route to the source (the source's is
  /// itself). Needs finish().
  unsigned nextTowardSource(unsigned vertex) const {
    return up.next.at(vertex);
  }

  unsigned vertexCount() const;
  /// A hash of the finished routes: equal for networks whose every hop
  /// count is equal (never the address, which memory reuses).
  uint64_t fingerprint() const { return fingerprint_; }
  unsigned linkCount() const;

private:
  using Graph =
      boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS,
                            boost::no_property,
                            boost::property<boost::edge_weight_t, unsigned>>;

  /// The routes between every vertex and the source, one direction: a tree
  /// rooted at the source, each vertex linked to `next` (towards the source
  /// along the tree).
  struct RouteTree {
    std::vector<unsigned> next;
    std::vector<unsigned> linkHops; ///< Of the link between v and next[v].
    std::vector<uint64_t> distance; ///< Hops between v and the source.
  };

  /// The hops of the link `from` -> `to`; throws std::logic_error if none.
  unsigned linkHopsOf(unsigned from, unsigned to) const;
  /// Fills `tree`'s hops from its `next`; `toSource`: its links go v ->
  /// next[v], else next[v] -> v. Throws std::logic_error if a step is no
  /// link or the steps from some vertex never reach the source.
  void measure(RouteTree &tree, bool toSource) const;
  uint64_t unionHops(const RouteTree &tree,
                     const std::vector<unsigned> &children) const;

  Graph graph;
  unsigned childCount_;
  /// setRoutes()'s, empty unless a topology set them.
  std::vector<unsigned> routesFromSource, routesToSource;
  RouteTree down; ///< Routes from the source.
  RouteTree up;   ///< Routes to the source.
  uint64_t fingerprint_ = 0;
  /// Grid positions by vertex; empty unless the topology set some.
  std::vector<std::optional<std::array<unsigned, 2>>> gridPositions;
  /// By vertex; empty unless the topology marked some routers.
  std::vector<bool> routers;
};

} // namespace tessel

#endif // TESSEL_ARCH_NETWORKGRAPH_H
