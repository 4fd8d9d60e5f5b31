//===- sim/Routing.h - Where a router sends a flit next ---------*- C++ -*-===//
//
// A routing function of one network graph (arch/NetworkGraph.h): from a
// vertex, the next vertex towards a child or towards the parent (vertex 0).
// Two kinds, chosen from the graph:
//
//  * dimension-ordered (XY) when the topology placed its routers on a grid
//    (the mesh): X hops first, then Y; the parent is reached through the
//    router it attaches to. Deadlock-free without virtual channels.
//  * tree routing on the graph's own routes (every other topology; the
//    shortest paths, arch/NetworkGraph.h): towards a child, down the tree
//    of routes from the parent when the child is in the subtree, up it
//    otherwise; towards the parent, along the graph's route to it (the
//    same tree reversed, except on a systolic array, whose words leave
//    down their column). A route goes up, then down, so it is deadlock-free
//    too.
//
// The XY routes are the routes the mesh's graph holds, so both kinds give
// the hop counts the models read from the graph. Routes to one destination
// form a tree, so a multicast forks at branch points and a reduction joins
// where routes to the parent meet.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_ROUTING_H
#define TESSEL_SIM_ROUTING_H

#include <cstdint>
#include <memory>

namespace tessel {
class NetworkGraph;
}

namespace tessel::sim {

class Routing {
public:
  virtual ~Routing() = default;

  /// XY on a graph with grid positions, else tree routing.
  static std::unique_ptr<Routing> forGraph(const NetworkGraph &graph);

  /// "xy" or "tree".
  virtual const char *name() const = 0;
  /// The vertex after `at` on the route to child `child`; `at` itself when
  /// the child is at `at`.
  virtual unsigned towardChild(unsigned at, uint32_t child) const = 0;
  /// The vertex after `at` on the route to the parent; the parent's vertex
  /// (0) itself when `at` is 0.
  virtual unsigned towardParent(unsigned at) const = 0;
  /// Whether the route from child `child` to the parent passes `at`
  /// (starting or ending there included).
  virtual bool onRouteToParent(unsigned at, uint32_t child) const = 0;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_ROUTING_H
