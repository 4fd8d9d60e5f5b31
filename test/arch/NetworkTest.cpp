//===- test/arch/NetworkTest.cpp - Hop counts of each topology ------------===//
//
// Every expected count is worked by hand on a small graph. Children are
// numbered x-fastest: child = x + X*y. The parent is the source.
//
//===----------------------------------------------------------------------===//
#include "arch/Arch.h"
#include "arch/NetworkGraph.h"
#include "arch/Topologies.h"

#include <gtest/gtest.h>

#include <stdexcept>

using namespace tessel;

namespace {

NetworkShape shapeOf(unsigned x, unsigned y) {
  NetworkShape shape;
  shape.x = x;
  shape.y = y;
  return shape;
}

Network networkOf(const std::string &topology, const NetworkShape &shape,
                  bool multicast, bool reduction) {
  const Topology *found = findTopology(topology);
  EXPECT_NE(found, nullptr) << topology;
  EXPECT_EQ(found->checkShape(shape), "");
  Network network;
  network.topology = topology;
  network.multicast = multicast;
  network.reduction = reduction;
  network.graph = buildNetworkGraph(*found, shape);
  return network;
}

std::vector<unsigned> allChildren(unsigned count) {
  std::vector<unsigned> children;
  for (unsigned child = 0; child < count; ++child)
    children.push_back(child);
  return children;
}

TEST(NetworkTest, TopologyRegistryListsEveryTopology) {
  EXPECT_EQ(topologyNames(), "bus, tree, systolic, mesh, crossbar");
  EXPECT_EQ(findTopology("torus"), nullptr);
}

// Bus of 4 taps: parent -(1)- bus -(0)- each child. One hop reaches any
// set of children at once.
TEST(NetworkTest, BusReachesEveryChildInOneHop) {
  Network bus = networkOf("bus", shapeOf(4, 1), true, true);
  for (unsigned child = 0; child < 4; ++child)
    EXPECT_EQ(bus.unicastHops(child), 1u);
  EXPECT_EQ(bus.multicastHops(allChildren(4)), 1u);
  EXPECT_EQ(bus.reductionHops({0, 2}), 1u);

  Network unicastBus = networkOf("bus", shapeOf(4, 1), false, false);
  EXPECT_EQ(unicastBus.multicastHops(allChildren(4)), 4u);
  EXPECT_EQ(unicastBus.reductionHops({0, 2}), 2u);
}

// Crossbar 2x2: a private link per child, so a multicast still takes one
// link per destination.
TEST(NetworkTest, CrossbarTakesOneLinkPerDestination) {
  Network crossbar = networkOf("crossbar", shapeOf(2, 2), true, true);
  for (unsigned child = 0; child < 4; ++child)
    EXPECT_EQ(crossbar.unicastHops(child), 1u);
  EXPECT_EQ(crossbar.multicastHops({1, 3}), 2u);
  EXPECT_EQ(crossbar.multicastHops(allChildren(4)), 4u);
  EXPECT_EQ(crossbar.reductionHops(allChildren(4)), 4u);
}

// Binary tree with 4 leaves: root(parent) -> s0, s1; s0 -> leaves 0, 1;
// s1 -> leaves 2, 3.
TEST(NetworkTest, BinaryTreeOfFourLeaves) {
  Network tree = networkOf("tree", shapeOf(4, 1), true, true);
  for (unsigned child = 0; child < 4; ++child)
    EXPECT_EQ(tree.unicastHops(child), 2u);
  EXPECT_EQ(tree.multicastHops({0, 1}), 3u); // root-s0, s0-0, s0-1
  EXPECT_EQ(tree.multicastHops({0, 2}), 4u); // both subtrees
  EXPECT_EQ(tree.multicastHops(allChildren(4)), 6u);
  EXPECT_EQ(tree.reductionHops(allChildren(4)), 6u);

  Network unicastTree = networkOf("tree", shapeOf(4, 1), false, false);
  EXPECT_EQ(unicastTree.multicastHops({0, 1}), 4u);
  EXPECT_EQ(unicastTree.reductionHops(allChildren(4)), 8u);
}

// Radix 4, 16 leaves: 4 switches then 16 leaves. A 2x4 fan-out is 8 leaves
// of a binary tree: 2 + 4 + 8 links.
TEST(NetworkTest, TreesOfOtherRadixAndShape) {
  NetworkShape wide = shapeOf(4, 4);
  wide.radix = 4;
  Network radix4 = networkOf("tree", wide, true, false);
  EXPECT_EQ(radix4.unicastHops(15), 2u);
  EXPECT_EQ(radix4.multicastHops({0, 1, 2, 3}), 5u);
  EXPECT_EQ(radix4.multicastHops(allChildren(16)), 20u);

  Network eight = networkOf("tree", shapeOf(2, 4), true, false);
  EXPECT_EQ(eight.unicastHops(7), 3u);
  EXPECT_EQ(eight.multicastHops(allChildren(8)), 14u);
}

TEST(NetworkTest, TreeRejectsLeafCountsThatAreNotAPowerOfItsRadix) {
  const Topology &tree = *findTopology("tree");
  EXPECT_EQ(tree.checkShape(shapeOf(3, 4)),
            "a radix-2 tree has a power of 2 leaves, not 12; valid leaf "
            "counts near it: 8, 16");
  NetworkShape radix3 = shapeOf(9, 1);
  radix3.radix = 3;
  EXPECT_EQ(tree.checkShape(radix3), "");
}

// Systolic 1x4: parent -> c0 -> c1 -> c2 -> c3, forward only.
TEST(NetworkTest, SystolicChainOfFour) {
  Network chain = networkOf("systolic", shapeOf(1, 4), true, true);
  for (unsigned child = 0; child < 4; ++child)
    EXPECT_EQ(chain.unicastHops(child), child + 1);
  EXPECT_EQ(chain.multicastHops({3}), 4u);
  EXPECT_EQ(chain.multicastHops({1, 3}), 4u); // c1 is on c3's path
  EXPECT_EQ(chain.multicastHops(allChildren(4)), 4u);
  EXPECT_EQ(chain.reductionHops({0, 3}), 4u);

  Network unicastChain = networkOf("systolic", shapeOf(4, 1), false, false);
  EXPECT_EQ(unicastChain.multicastHops(allChildren(4)), 1u + 2 + 3 + 4);
}

// Systolic 2x2 fed at (0,0): (1,0) and (0,1) are two hops, (1,1) three.
TEST(NetworkTest, SystolicGridIsFedFromTheCorner) {
  Network grid = networkOf("systolic", shapeOf(2, 2), true, false);
  EXPECT_EQ(grid.unicastHops(0), 1u);
  EXPECT_EQ(grid.unicastHops(1), 2u);
  EXPECT_EQ(grid.unicastHops(2), 2u);
  EXPECT_EQ(grid.unicastHops(3), 3u);
  EXPECT_EQ(grid.multicastHops(allChildren(4)), 4u);
}

// Mesh 2x3 (X=2, Y=3), parent at router (0,0). Child = x + 2y. Hops =
// 1 + x + y: 1, 2 / 2, 3 / 3, 4.
TEST(NetworkTest, MeshTwoByThreeAttachedAtTheCorner) {
  Network mesh = networkOf("mesh", shapeOf(2, 3), true, true);
  const uint64_t expected[] = {1, 2, 2, 3, 3, 4};
  for (unsigned child = 0; child < 6; ++child)
    EXPECT_EQ(mesh.unicastHops(child), expected[child]) << child;
  // (0,1) and (0,2) share parent-(0,0)-(0,1): 3 links.
  EXPECT_EQ(mesh.multicastHops({2, 4}), 3u);
  // (1,0) and (0,1) share parent-(0,0): 3 links.
  EXPECT_EQ(mesh.multicastHops({1, 2}), 3u);
  // A spanning tree of 6 routers plus the parent's link.
  EXPECT_EQ(mesh.multicastHops(allChildren(6)), 6u);
  EXPECT_EQ(mesh.reductionHops(allChildren(6)), 6u);

  Network unicastMesh = networkOf("mesh", shapeOf(2, 3), false, false);
  EXPECT_EQ(unicastMesh.multicastHops({2, 4}), 5u);
  EXPECT_EQ(unicastMesh.reductionHops(allChildren(6)), 15u);
}

// Mesh 2x3 attached at (1,1): hops = 1 + |x-1| + |y-1|.
TEST(NetworkTest, MeshAttachedInside) {
  NetworkShape shape = shapeOf(2, 3);
  shape.attach = {1, 1};
  Network mesh = networkOf("mesh", shape, true, false);
  const uint64_t expected[] = {3, 2, 2, 1, 3, 2};
  for (unsigned child = 0; child < 6; ++child)
    EXPECT_EQ(mesh.unicastHops(child), expected[child]) << child;
  EXPECT_EQ(mesh.multicastHops(allChildren(6)), 6u);
}

TEST(NetworkTest, MeshRejectsAnAttachPointOutsideIt) {
  NetworkShape shape = shapeOf(2, 3);
  shape.attach = {2, 0};
  EXPECT_EQ(findTopology("mesh")->checkShape(shape),
            "attach [2, 0] is outside the 2x3 mesh; valid: x in 0..1, y in "
            "0..2");
}

TEST(NetworkTest, GraphSizes) {
  // Bus of 4: source, bus node, 4 children; 5 links each way.
  EXPECT_EQ(networkOf("bus", shapeOf(4, 1), true, true).graph->vertexCount(),
            6u);
  // Binary tree of 4: source, 2 switches, 4 leaves; 6 links each way.
  Network tree = networkOf("tree", shapeOf(4, 1), true, true);
  EXPECT_EQ(tree.graph->vertexCount(), 7u);
  EXPECT_EQ(tree.graph->linkCount(), 12u);
}

// What the simulator's routers are built from (sim/Noc.h): every one-way
// link, the shortest-path tree, and on a mesh each router's grid position.
// Mesh 3x2: rows of 2 links, columns of 1: 7 pairs, plus the parent's 2.
// Binary tree of 4: switches 5 (children 0, 1) and 6 under the parent.
TEST(NetworkTest, LinksTreeAndGridPositions) {
  Network mesh = networkOf("mesh", shapeOf(3, 2), true, false);
  const NetworkGraph &grid = *mesh.graph;
  EXPECT_EQ(grid.links().size(), 16u);
  EXPECT_EQ(grid.gridPosition(grid.childVertex(4)),
            (std::array<unsigned, 2>{1, 1}));
  EXPECT_EQ(grid.gridPosition(grid.childVertex(2)),
            (std::array<unsigned, 2>{2, 0}));
  EXPECT_EQ(grid.gridPosition(NetworkGraph::kSource), std::nullopt);
  EXPECT_THROW(NetworkGraph(1).setGridPosition(5, {0, 0}), std::out_of_range);

  Network tree = networkOf("tree", shapeOf(4, 1), true, true);
  const NetworkGraph &graph = *tree.graph;
  EXPECT_EQ(graph.gridPosition(graph.childVertex(0)), std::nullopt);
  EXPECT_EQ(graph.treeParent(graph.childVertex(1)), 5u);
  EXPECT_EQ(graph.treeParent(graph.childVertex(2)), 6u);
  EXPECT_EQ(graph.treeParent(5), NetworkGraph::kSource);
  EXPECT_EQ(graph.treeParent(NetworkGraph::kSource), NetworkGraph::kSource);
  unsigned taps = 0;
  for (const NetworkGraph::Edge &edge :
       networkOf("bus", shapeOf(4, 1), true, true).graph->links())
    taps += edge.hops == 0;
  EXPECT_EQ(taps, 8u); // Each child's tap, both ways.
}

TEST(NetworkTest, ChildOutOfRangeThrows) {
  Network bus = networkOf("bus", shapeOf(4, 1), true, true);
  EXPECT_THROW(bus.unicastHops(4), std::out_of_range);
  EXPECT_THROW(bus.multicastHops({0, 4}), std::out_of_range);
}

TEST(NetworkTest, UnreachableChildIsALogicError) {
  NetworkGraph graph(2);
  graph.addLink(NetworkGraph::kSource, graph.childVertex(0));
  EXPECT_THROW(graph.finish(), std::logic_error);
}

} // namespace
