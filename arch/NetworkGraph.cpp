//===- arch/NetworkGraph.cpp ----------------------------------------------===//
#include "arch/NetworkGraph.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tessel {

NetworkGraph::NetworkGraph(unsigned childCount)
    : graph(1 + childCount), childCount_(childCount) {}

unsigned NetworkGraph::addVertex() {
  return static_cast<unsigned>(boost::add_vertex(graph));
}

void NetworkGraph::addLink(unsigned from, unsigned to, unsigned hops) {
  boost::add_edge(from, to, hops, graph);
}

void NetworkGraph::addBidirectionalLink(unsigned a, unsigned b, unsigned hops) {
  addLink(a, b, hops);
  addLink(b, a, hops);
}

void NetworkGraph::setRoutes(std::vector<unsigned> fromSource,
                             std::vector<unsigned> toSource) {
  routesFromSource = std::move(fromSource);
  routesToSource = std::move(toSource);
}

namespace {

/// The predecessor of every vertex on its shortest path from `source` in
/// `graph`; throws std::logic_error for a vertex it cannot reach.
template <typename Graph>
std::vector<unsigned> shortestPathTree(const Graph &graph, unsigned source,
                                       const char *unreachable) {
  unsigned vertices = static_cast<unsigned>(boost::num_vertices(graph));
  std::vector<unsigned> predecessor(vertices);
  std::vector<uint64_t> distance(vertices);
  boost::dijkstra_shortest_paths(
      graph, source,
      boost::predecessor_map(predecessor.data()).distance_map(distance.data()));
  for (unsigned v = 0; v < vertices; ++v)
    if (v != source && predecessor[v] == v)
      throw std::logic_error("network vertex " + std::to_string(v) + " " +
                             unreachable);
  return predecessor;
}

void checkRouteCount(const std::vector<unsigned> &routes, unsigned vertices) {
  if (routes.size() != vertices)
    throw std::logic_error("network routes: " + std::to_string(routes.size()) +
                           " vertices routed, the graph has " +
                           std::to_string(vertices));
}

} // namespace

unsigned NetworkGraph::linkHopsOf(unsigned from, unsigned to) const {
  auto [edge, found] = boost::edge(from, to, graph);
  if (!found)
    throw std::logic_error("network route: no link from vertex " +
                           std::to_string(from) + " to vertex " +
                           std::to_string(to));
  return boost::get(boost::edge_weight, graph, edge);
}

void NetworkGraph::measure(RouteTree &tree, bool toSource) const {
  unsigned vertices = vertexCount();
  if (tree.next.at(kSource) != kSource)
    throw std::logic_error("network routes: the source's route must end at "
                           "itself");
  tree.linkHops.assign(vertices, 0);
  for (unsigned v = 0; v < vertices; ++v)
    if (v != kSource)
      tree.linkHops[v] =
          toSource ? linkHopsOf(v, tree.next[v]) : linkHopsOf(tree.next[v], v);
  // Walk each vertex's route to the first vertex already measured, then
  // measure the walk backwards: every vertex is walked once.
  const uint64_t unknown = UINT64_MAX;
  tree.distance.assign(vertices, unknown);
  tree.distance[kSource] = 0;
  std::vector<unsigned> walk;
  for (unsigned v = 0; v < vertices; ++v) {
    walk.clear();
    for (unsigned at = v; tree.distance[at] == unknown; at = tree.next[at]) {
      if (walk.size() == vertices)
        throw std::logic_error("network route from vertex " +
                               std::to_string(v) + " never reaches the source");
      walk.push_back(at);
    }
    for (auto at = walk.rbegin(); at != walk.rend(); ++at)
      tree.distance[*at] = tree.distance[tree.next[*at]] + tree.linkHops[*at];
  }
}

void NetworkGraph::finish() {
  unsigned vertices = vertexCount();
  if (routesFromSource.empty()) {
    down.next = shortestPathTree(graph, kSource,
                                 "is unreachable from the "
                                 "source");
  } else {
    checkRouteCount(routesFromSource, vertices);
    down.next = routesFromSource;
  }
  if (routesToSource.empty()) {
    // Shortest paths to the source: from it, on the links reversed.
    Graph reversed(vertices);
    for (const Edge &edge : links())
      boost::add_edge(edge.to, edge.from, edge.hops, reversed);
    up.next = shortestPathTree(reversed, kSource, "cannot reach the source");
  } else {
    checkRouteCount(routesToSource, vertices);
    up.next = routesToSource;
  }
  measure(down, false);
  measure(up, true);
  // Every hop count comes from the two trees: hash them.
  fingerprint_ = 1469598103934665603ull ^ childCount_;
  for (const RouteTree *tree : {&down, &up})
    for (unsigned v = 0; v < vertices; ++v)
      for (uint64_t part :
           {uint64_t(tree->next[v]), uint64_t(tree->linkHops[v])})
        fingerprint_ = (fingerprint_ ^ part) * 1099511628211ull;
}

namespace {
void checkChild(unsigned child, unsigned childCount) {
  if (child >= childCount)
    throw std::out_of_range("child " + std::to_string(child) +
                            " of a network with " + std::to_string(childCount) +
                            " children");
}
} // namespace

uint64_t NetworkGraph::hopsTo(unsigned child) const {
  checkChild(child, childCount_);
  return down.distance[childVertex(child)];
}

uint64_t NetworkGraph::hopsFrom(unsigned child) const {
  checkChild(child, childCount_);
  return up.distance[childVertex(child)];
}

uint64_t NetworkGraph::unionHops(const RouteTree &tree,
                                 const std::vector<unsigned> &children) const {
  // Marks of the vertices already on the union, by generation: a vertex is
  // on it when its mark is the current generation, so nothing is cleared
  // or allocated per call (searches ask this millions of times).
  thread_local std::vector<uint32_t> mark;
  thread_local uint32_t generation = 0;
  if (mark.size() < vertexCount())
    mark.assign(vertexCount(), 0), generation = 0;
  if (++generation == 0) { // Wrapped: every old mark would look current.
    std::fill(mark.begin(), mark.end(), 0);
    generation = 1;
  }
  uint64_t hops = 0;
  for (unsigned child : children) {
    checkChild(child, childCount_);
    for (unsigned v = childVertex(child); v != kSource && mark[v] != generation;
         v = tree.next[v]) {
      mark[v] = generation;
      hops += tree.linkHops[v];
    }
  }
  return hops;
}

uint64_t
NetworkGraph::multicastTreeHops(const std::vector<unsigned> &children) const {
  return unionHops(down, children);
}

uint64_t
NetworkGraph::reductionTreeHops(const std::vector<unsigned> &children) const {
  return unionHops(up, children);
}

void NetworkGraph::setGridPosition(unsigned vertex,
                                   std::array<unsigned, 2> position) {
  if (vertex >= vertexCount())
    throw std::out_of_range("vertex " + std::to_string(vertex) +
                            " of a network with " +
                            std::to_string(vertexCount()) + " vertices");
  gridPositions.resize(vertexCount());
  gridPositions[vertex] = position;
}

std::optional<std::array<unsigned, 2>>
NetworkGraph::gridPosition(unsigned vertex) const {
  if (vertex < gridPositions.size())
    return gridPositions[vertex];
  return std::nullopt;
}

void NetworkGraph::markRouter(unsigned vertex) {
  routers.resize(vertexCount());
  routers.at(vertex) = true;
}

bool NetworkGraph::isRouter(unsigned vertex) const {
  return vertex < routers.size() && routers[vertex];
}

std::vector<NetworkGraph::Edge> NetworkGraph::links() const {
  std::vector<Edge> edges;
  auto weight = boost::get(boost::edge_weight, graph);
  for (auto [edge, end] = boost::edges(graph); edge != end; ++edge)
    edges.push_back({static_cast<unsigned>(boost::source(*edge, graph)),
                     static_cast<unsigned>(boost::target(*edge, graph)),
                     weight[*edge]});
  return edges;
}

unsigned NetworkGraph::vertexCount() const {
  return static_cast<unsigned>(boost::num_vertices(graph));
}

unsigned NetworkGraph::linkCount() const {
  return static_cast<unsigned>(boost::num_edges(graph));
}

} // namespace tessel
