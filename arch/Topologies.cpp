//===- arch/Topologies.cpp - The topology builders and their table -------===//
#include "arch/Topologies.h"

#include "arch/NetworkGraph.h"

namespace tessel {
namespace {

unsigned childAt(const NetworkShape &shape, unsigned x, unsigned y) {
  return x + shape.x * y;
}

std::string fitsAnyShape(const NetworkShape &) { return ""; }

/// One shared medium: a hop onto the bus reaches every tap.
void buildBus(NetworkGraph &graph, const NetworkShape &shape) {
  unsigned bus = graph.addVertex();
  graph.addBidirectionalLink(NetworkGraph::kSource, bus, 1);
  for (unsigned child = 0; child < shape.x * shape.y; ++child)
    graph.addBidirectionalLink(bus, graph.childVertex(child), 0);
}

/// A dedicated link from the parent to each child.
void buildCrossbar(NetworkGraph &graph, const NetworkShape &shape) {
  for (unsigned child = 0; child < shape.x * shape.y; ++child)
    graph.addBidirectionalLink(NetworkGraph::kSource, graph.childVertex(child));
}

/// Depth of a full radix-`radix` tree with `leaves` leaves, or -1.
int fullTreeDepth(unsigned leaves, unsigned radix) {
  int depth = 0;
  uint64_t fits = 1;
  while (fits < leaves) {
    fits *= radix;
    ++depth;
  }
  return fits == leaves ? depth : -1;
}

std::string checkTree(const NetworkShape &shape) {
  unsigned leaves = shape.x * shape.y;
  if (shape.radix < 2)
    return "a tree needs radix >= 2, got " + std::to_string(shape.radix);
  if (fullTreeDepth(leaves, shape.radix) >= 0)
    return "";
  uint64_t below = 1;
  while (below * shape.radix < leaves)
    below *= shape.radix;
  return "a radix-" + std::to_string(shape.radix) + " tree has a power of " +
         std::to_string(shape.radix) + " leaves, not " +
         std::to_string(leaves) +
         "; valid leaf counts near it: " + std::to_string(below) + ", " +
         std::to_string(below * shape.radix);
}

/// A full radix-r tree rooted at the parent, its leaves the children.
void buildTree(NetworkGraph &graph, const NetworkShape &shape) {
  int depth = fullTreeDepth(shape.x * shape.y, shape.radix);
  graph.markRouter(NetworkGraph::kSource); // The root switch, at the parent.
  std::vector<unsigned> level = {NetworkGraph::kSource};
  for (int d = 1; d < depth; ++d) {
    std::vector<unsigned> next;
    for (unsigned node : level)
      for (unsigned branch = 0; branch < shape.radix; ++branch) {
        next.push_back(graph.addVertex());
        graph.markRouter(next.back());
        graph.addBidirectionalLink(node, next.back());
      }
    level = std::move(next);
  }
  unsigned child = 0;
  for (unsigned node : level)
    for (unsigned branch = 0; branch < shape.radix; ++branch)
      graph.addBidirectionalLink(node, graph.childVertex(child++));
}

/// Nearest-neighbour links that only carry data forward (+x and +y); the
/// parent feeds the corner PE (0, 0). Partial sums move down the columns
/// (+y) and leave at the bottom edge: each PE of the bottom row drains into
/// the parent, so a word's route to the parent runs down its column.
void buildSystolic(NetworkGraph &graph, const NetworkShape &shape) {
  graph.addLink(NetworkGraph::kSource, graph.childVertex(0));
  for (unsigned y = 0; y < shape.y; ++y)
    for (unsigned x = 0; x < shape.x; ++x) {
      unsigned here = graph.childVertex(childAt(shape, x, y));
      if (x + 1 < shape.x)
        graph.addLink(here, graph.childVertex(childAt(shape, x + 1, y)));
      if (y + 1 < shape.y)
        graph.addLink(here, graph.childVertex(childAt(shape, x, y + 1)));
      else
        graph.addLink(here, NetworkGraph::kSource);
    }
}

std::string checkMesh(const NetworkShape &shape) {
  if (shape.attach[0] < shape.x && shape.attach[1] < shape.y)
    return "";
  return "attach [" + std::to_string(shape.attach[0]) + ", " +
         std::to_string(shape.attach[1]) + "] is outside the " +
         std::to_string(shape.x) + "x" + std::to_string(shape.y) +
         " mesh; valid: x in 0.." + std::to_string(shape.x - 1) + ", y in 0.." +
         std::to_string(shape.y - 1);
}

/// One step from `from` towards `to` along one axis.
unsigned stepToward(unsigned from, unsigned to) {
  return from < to ? from + 1 : from - 1;
}

/// A router per child linked both ways to its four neighbours; the parent
/// joins the router at `attach`. Each router has its grid position, and the
/// routes are dimension-ordered (XY), as sim/Routing.h routes them: from
/// the parent, X along the attach router's row, then Y along the
/// destination's column; to the parent, X along the sender's row, then Y
/// along the attach router's column.
void buildMesh(NetworkGraph &graph, const NetworkShape &shape) {
  auto router = [&](unsigned x, unsigned y) {
    return graph.childVertex(childAt(shape, x, y));
  };
  auto [attachX, attachY] = shape.attach;
  unsigned attach = router(attachX, attachY);
  graph.addBidirectionalLink(NetworkGraph::kSource, attach);
  std::vector<unsigned> fromSource(graph.vertexCount()),
      toSource(graph.vertexCount());
  for (unsigned y = 0; y < shape.y; ++y)
    for (unsigned x = 0; x < shape.x; ++x) {
      unsigned here = router(x, y);
      graph.setGridPosition(here, {x, y});
      graph.markRouter(here);
      if (x + 1 < shape.x)
        graph.addBidirectionalLink(here, router(x + 1, y));
      if (y + 1 < shape.y)
        graph.addBidirectionalLink(here, router(x, y + 1));
      if (here == attach) {
        fromSource[here] = toSource[here] = NetworkGraph::kSource;
        continue;
      }
      fromSource[here] = y != attachY ? router(x, stepToward(y, attachY))
                                      : router(stepToward(x, attachX), y);
      toSource[here] = x != attachX ? router(stepToward(x, attachX), y)
                                    : router(x, stepToward(y, attachY));
    }
  graph.setRoutes(std::move(fromSource), std::move(toSource));
}

} // namespace

const std::vector<Topology> &topologies() {
  static const std::vector<Topology> table = {
      {"bus", "one shared medium; one hop reaches every child", fitsAnyShape,
       buildBus},
      {"tree", "full radix-r tree of switches, children at the leaves",
       checkTree, buildTree},
      {"systolic",
       "forward-only links to the +x and +y neighbours, fed at "
       "child (0, 0), drained from the bottom row",
       fitsAnyShape, buildSystolic},
      {"mesh",
       "2-D mesh of routers with XY routing, parent attached at one "
       "router",
       checkMesh, buildMesh},
      {"crossbar", "a dedicated link from the parent to each child",
       fitsAnyShape, buildCrossbar},
  };
  return table;
}

const Topology *findTopology(const std::string &name) {
  for (const Topology &topology : topologies())
    if (name == topology.name)
      return &topology;
  return nullptr;
}

std::string topologyNames() {
  std::string names;
  for (const Topology &topology : topologies())
    names += (names.empty() ? "" : ", ") + std::string(topology.name);
  return names;
}

std::shared_ptr<const NetworkGraph>
buildNetworkGraph(const Topology &topology, const NetworkShape &shape) {
  auto graph = std::make_shared<NetworkGraph>(shape.x * shape.y);
  topology.build(*graph, shape);
  graph->finish();
  return graph;
}

} // namespace tessel
