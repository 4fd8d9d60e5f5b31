//===- arch/NetworkGraph.cpp ----------------------------------------------===//
#include "arch/NetworkGraph.h"

#include <boost/graph/dijkstra_shortest_paths.hpp>

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

void NetworkGraph::finish() {
  unsigned vertices = vertexCount();
  distance.assign(vertices, 0);
  parent.assign(vertices, 0);
  boost::dijkstra_shortest_paths(
      graph, kSource,
      boost::predecessor_map(parent.data()).distance_map(distance.data()));
  parentLinkHops.assign(vertices, 0);
  for (unsigned v = 0; v < vertices; ++v) {
    if (v != kSource && parent[v] == v)
      throw std::logic_error("network vertex " + std::to_string(v) +
                             " is unreachable from the source");
    if (v != kSource)
      parentLinkHops[v] =
          static_cast<unsigned>(distance[v] - distance[parent[v]]);
  }
  // Every hop count comes from the tree: hash it.
  fingerprint_ = 1469598103934665603ull ^ childCount_;
  for (unsigned v = 0; v < vertices; ++v)
    for (uint64_t part : {uint64_t(parent[v]), uint64_t(parentLinkHops[v])})
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
  return distance[childVertex(child)];
}

uint64_t NetworkGraph::treeHops(const std::vector<unsigned> &children) const {
  std::vector<bool> onTree(vertexCount(), false);
  uint64_t hops = 0;
  for (unsigned child : children) {
    checkChild(child, childCount_);
    for (unsigned v = childVertex(child); v != kSource && !onTree[v];
         v = parent[v]) {
      onTree[v] = true;
      hops += parentLinkHops[v];
    }
  }
  return hops;
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
