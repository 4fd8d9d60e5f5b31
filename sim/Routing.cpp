//===- sim/Routing.cpp ----------------------------------------------------===//
#include "sim/Routing.h"

#include "arch/NetworkGraph.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::sim {
namespace {

using Position = std::array<unsigned, 2>;

bool between(unsigned value, unsigned a, unsigned b) {
  return std::min(a, b) <= value && value <= std::max(a, b);
}

/// Dimension-ordered routing over routers with grid positions; the parent
/// (vertex 0) links to one of them.
class XyRouting : public Routing {
public:
  explicit XyRouting(const NetworkGraph &graph) : graph(graph) {
    positions.resize(graph.vertexCount());
    for (unsigned v = 1; v < graph.vertexCount(); ++v) {
      auto position = graph.gridPosition(v);
      if (!position)
        throw std::logic_error("XY routing: vertex " + std::to_string(v) +
                               " has no grid position");
      positions[v] = *position;
      width = std::max(width, (*position)[0] + 1);
      height = std::max(height, (*position)[1] + 1);
    }
    vertexAt.assign(size_t(width) * height, 0);
    for (unsigned v = 1; v < graph.vertexCount(); ++v)
      vertexAt[positions[v][0] + size_t(width) * positions[v][1]] = v;
    for (const NetworkGraph::Edge &edge : graph.links())
      if (edge.from == NetworkGraph::kSource)
        attach = edge.to;
    if (attach == 0)
      throw std::logic_error("XY routing: the parent links to no router");
  }

  const char *name() const override { return "xy"; }

  unsigned towardChild(unsigned at, uint32_t child) const override {
    if (at == NetworkGraph::kSource)
      return attach;
    return step(at, positions[graph.childVertex(child)]);
  }

  unsigned towardParent(unsigned at) const override {
    if (at == NetworkGraph::kSource || at == attach)
      return NetworkGraph::kSource;
    return step(at, positions[attach]);
  }

  bool onRouteToParent(unsigned at, uint32_t child) const override {
    if (at == NetworkGraph::kSource)
      return true;
    const Position &here = positions[at];
    const Position &from = positions[graph.childVertex(child)];
    const Position &to = positions[attach];
    // Along the sender's row to the attach column, then down that column.
    return (here[1] == from[1] && between(here[0], from[0], to[0])) ||
           (here[0] == to[0] && between(here[1], from[1], to[1]));
  }

private:
  /// The neighbour of `at` one X hop, else one Y hop, towards `target`.
  unsigned step(unsigned at, const Position &target) const {
    Position next = positions[at];
    for (unsigned axis = 0; axis < 2; ++axis)
      if (next[axis] != target[axis]) {
        next[axis] += next[axis] < target[axis] ? 1 : -1;
        return vertexAt[next[0] + size_t(width) * next[1]];
      }
    return at;
  }

  const NetworkGraph &graph;
  std::vector<Position> positions;
  unsigned width = 0, height = 0;
  std::vector<unsigned> vertexAt; ///< x + width * y -> vertex.
  unsigned attach = 0;            ///< The router the parent links to.
};

/// A tree over the graph's vertices rooted at the parent, given each
/// vertex's neighbour towards the root; a vertex's subtree is the interval
/// [enter, exit) of a depth-first numbering.
class NumberedTree {
public:
  template <typename Next> NumberedTree(unsigned vertices, Next towardRoot) {
    std::vector<std::vector<unsigned>> below(vertices);
    for (unsigned v = 1; v < vertices; ++v)
      below[towardRoot(v)].push_back(v);
    enter.assign(vertices, 0);
    exit.assign(vertices, 0);
    branches.resize(vertices);
    // Iterative depth-first walk: a systolic chain can be 65536 deep.
    std::vector<std::pair<unsigned, size_t>> stack = {{0, 0}};
    unsigned clock = 0;
    enter[0] = clock++;
    while (!stack.empty()) {
      auto &[vertex, next] = stack.back();
      if (next < below[vertex].size()) {
        unsigned child = below[vertex][next++];
        enter[child] = clock++;
        branches[vertex].push_back(child);
        stack.push_back({child, 0});
      } else {
        exit[vertex] = clock;
        stack.pop_back();
      }
    }
  }

  bool inSubtree(unsigned vertex, unsigned root) const {
    return enter[root] <= enter[vertex] && enter[vertex] < exit[root];
  }
  /// The branch of `at` whose subtree holds `target` (in it, not `at`).
  unsigned branchToward(unsigned at, unsigned target) const {
    // Branches are in numbering order.
    const std::vector<unsigned> &out = branches[at];
    auto after = std::upper_bound(out.begin(), out.end(), enter[target],
                                  [&](unsigned number, unsigned branch) {
                                    return number < enter[branch];
                                  });
    return *(after - 1);
  }

private:
  std::vector<unsigned> enter, exit;
  std::vector<std::vector<unsigned>> branches; ///< Tree children, in order.
};

/// Routing on the graph's routes (arch/NetworkGraph.h): from the parent,
/// down its tree of routes towards a child in the subtree, up that tree
/// otherwise; to the parent, along the graph's route to it.
class TreeRouting : public Routing {
public:
  explicit TreeRouting(const NetworkGraph &graph)
      : graph(graph),
        fromParent(graph.vertexCount(),
                   [&](unsigned v) { return graph.treeParent(v); }),
        toParent(graph.vertexCount(),
                 [&](unsigned v) { return graph.nextTowardSource(v); }) {}

  const char *name() const override { return "tree"; }

  unsigned towardChild(unsigned at, uint32_t child) const override {
    unsigned target = graph.childVertex(child);
    if (target == at)
      return at;
    if (!fromParent.inSubtree(target, at))
      return graph.treeParent(at);
    return fromParent.branchToward(at, target);
  }

  unsigned towardParent(unsigned at) const override {
    return graph.nextTowardSource(at);
  }

  bool onRouteToParent(unsigned at, uint32_t child) const override {
    return toParent.inSubtree(graph.childVertex(child), at);
  }

private:
  const NetworkGraph &graph;
  NumberedTree fromParent; ///< The routes from the parent.
  NumberedTree toParent;   ///< The routes to the parent.
};

} // namespace

std::unique_ptr<Routing> Routing::forGraph(const NetworkGraph &graph) {
  if (graph.vertexCount() > 1 && graph.gridPosition(1))
    return std::make_unique<XyRouting>(graph);
  return std::make_unique<TreeRouting>(graph);
}

} // namespace tessel::sim
