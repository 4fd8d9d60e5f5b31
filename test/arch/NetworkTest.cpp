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

#include <memory>
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

// Systolic 3x2 (X = 3 columns, Y = 2 rows): partial sums go down the
// columns and the bottom row (1) drains into the parent: links parent ->
// (0,0), 4 along the rows, 3 down the columns, 3 drains = 11. Up from
// (x, 0): (x, 0) -> (x, 1) -> parent, 2 hops; from (x, 1): 1 hop. A
// reduction of a column is 2 links, of the top row 3 + 3 = 6, of all 6.
// Down, nothing changes: 1 + x + y, and the drains are no way in.
TEST(NetworkTest, SystolicBottomRowDrainsIntoTheParent) {
  Network grid = networkOf("systolic", shapeOf(3, 2), true, true);
  EXPECT_EQ(grid.graph->linkCount(), 11u);
  const uint64_t down[] = {1, 2, 3, 2, 3, 4}, up[] = {2, 2, 2, 1, 1, 1};
  for (unsigned child = 0; child < 6; ++child) {
    EXPECT_EQ(grid.unicastHops(child), down[child]) << child;
    EXPECT_EQ(grid.drainHops(child), up[child]) << child;
  }
  EXPECT_EQ(grid.reductionHops({1, 4}), 2u);
  EXPECT_EQ(grid.reductionHops({0, 1, 2}), 6u);
  EXPECT_EQ(grid.reductionHops(allChildren(6)), 6u);
  EXPECT_EQ(grid.multicastHops(allChildren(6)), 6u);
  const NetworkGraph &graph = *grid.graph;
  EXPECT_EQ(graph.nextTowardSource(graph.childVertex(2)), graph.childVertex(5));
  EXPECT_EQ(graph.nextTowardSource(graph.childVertex(5)),
            NetworkGraph::kSource);

  // Without reduction every word drains alone: 3 x 2 + 3 x 1 = 9 hops.
  Network plain = networkOf("systolic", shapeOf(3, 2), true, false);
  EXPECT_EQ(plain.reductionHops(allChildren(6)), 9u);
  // A single row: every PE is on the bottom edge, one hop from the parent.
  Network row = networkOf("systolic", shapeOf(4, 1), true, true);
  EXPECT_EQ(row.reductionHops({0, 3}), 2u);
  EXPECT_EQ(row.unicastHops(3), 4u);
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

// Mesh 2x2 attached at (0,0): children 0 = (0,0), 1 = (1,0), 2 = (0,1),
// 3 = (1,1). The routes are XY, as the routers take them:
//   down (from the parent): X along row 0 first, then Y: (1,1) is reached
//     parent -> (0,0) -> (1,0) -> (1,1), (0,1) by parent -> (0,0) -> (0,1);
//   up (to the parent): X along the sender's row first, then Y along
//     column 0: (1,1) -> (0,1) -> (0,0) -> parent, (0,1) -> (0,0) -> parent.
// A reduction of children 2 and 3: (1,1) -> (0,1), where the two words
// join, -> (0,0) -> parent: 3 links. (Dijkstra's tree reached (1,1)
// through (1,0), so the models used to count 4: (1,1) -> (1,0) -> (0,0),
// (0,1) -> (0,0), (0,0) -> parent.) A multicast to them takes the other
// way round: parent -> (0,0), then (0,0) -> (0,1) and (0,0) -> (1,0) ->
// (1,1): 4 links.
TEST(NetworkTest, MeshRoutesAreXyBothWays) {
  Network mesh = networkOf("mesh", shapeOf(2, 2), true, true);
  EXPECT_EQ(mesh.reductionHops({2, 3}), 3u);
  EXPECT_EQ(mesh.multicastHops({2, 3}), 4u);
  const NetworkGraph &graph = *mesh.graph;
  auto at = [&](unsigned x, unsigned y) {
    return graph.childVertex(x + 2 * y);
  };
  EXPECT_EQ(graph.treeParent(at(1, 1)), at(1, 0));
  EXPECT_EQ(graph.treeParent(at(0, 1)), at(0, 0));
  EXPECT_EQ(graph.treeParent(at(0, 0)), NetworkGraph::kSource);
  EXPECT_EQ(graph.nextTowardSource(at(1, 1)), at(0, 1));
  EXPECT_EQ(graph.nextTowardSource(at(1, 0)), at(0, 0));
  EXPECT_EQ(graph.nextTowardSource(at(0, 0)), NetworkGraph::kSource);
  for (unsigned child = 0; child < 4; ++child)
    EXPECT_EQ(mesh.drainHops(child), mesh.unicastHops(child)) << child;
}

// Mesh 4x3 attached at (2,1); child = x + 4y. Down to (0,2) = child 8:
// parent, (2,1), (1,1), (0,1), (0,2); up from (3,0) = child 3: (3,0),
// (2,0), (2,1), parent. A multicast to the row-0 corners {0, 3}: parent
// -> (2,1), (2,1) -> (1,1) -> (0,1) -> (0,0), (2,1) -> (3,1) -> (3,0): 6
// links; their reduction: (0,0) -> (1,0) -> (2,0) <- (3,0), then (2,0) ->
// (2,1) -> parent: 5 links. Column 0, {0, 4, 8}: down parent -> (2,1) ->
// (1,1) -> (0,1), then (0,0) and (0,2): 5 links; up 2 links along each
// row to column 2, (2,0) -> (2,1) and (2,2) -> (2,1), then the parent's
// link: 6 + 2 + 1 = 9.
TEST(NetworkTest, MeshXyRoutesFromAnInsideAttachPoint) {
  NetworkShape shape = shapeOf(4, 3);
  shape.attach = {2, 1};
  Network mesh = networkOf("mesh", shape, true, true);
  const NetworkGraph &graph = *mesh.graph;
  auto at = [&](unsigned x, unsigned y) {
    return graph.childVertex(x + 4 * y);
  };
  EXPECT_EQ(graph.treeParent(at(0, 2)), at(0, 1));
  EXPECT_EQ(graph.treeParent(at(0, 1)), at(1, 1));
  EXPECT_EQ(graph.treeParent(at(3, 0)), at(3, 1));
  EXPECT_EQ(graph.nextTowardSource(at(3, 0)), at(2, 0));
  EXPECT_EQ(graph.nextTowardSource(at(2, 0)), at(2, 1));
  EXPECT_EQ(graph.nextTowardSource(at(2, 2)), at(2, 1));
  EXPECT_EQ(mesh.multicastHops({0, 3}), 6u);
  EXPECT_EQ(mesh.reductionHops({0, 3}), 5u);
  EXPECT_EQ(mesh.multicastHops({0, 4, 8}), 5u);
  EXPECT_EQ(mesh.reductionHops({0, 4, 8}), 9u);
  // Every router once, plus the parent's link, either way.
  EXPECT_EQ(mesh.multicastHops(allChildren(12)), 12u);
  EXPECT_EQ(mesh.reductionHops(allChildren(12)), 12u);
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
// link, the routes, and on a mesh each router's grid position.
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

// Every vertex needs a route to the parent too: a chain with no way back.
TEST(NetworkTest, ChildThatCannotReachTheParentIsALogicError) {
  NetworkGraph graph(2);
  graph.addLink(NetworkGraph::kSource, graph.childVertex(0));
  graph.addLink(graph.childVertex(0), graph.childVertex(1));
  try {
    graph.finish();
    ADD_FAILURE() << "a graph without links to the parent finished";
  } catch (const std::logic_error &error) {
    EXPECT_NE(std::string(error.what()).find("cannot reach the source"),
              std::string::npos)
        << error.what();
  }
}

// Routes a topology sets must be chains of links ending at the parent.
// Two children, each linked both ways to the parent and to each other.
TEST(NetworkTest, SetRoutesAreChecked) {
  auto pair = [] {
    auto graph = std::make_unique<NetworkGraph>(2);
    unsigned a = graph->childVertex(0), b = graph->childVertex(1);
    graph->addBidirectionalLink(NetworkGraph::kSource, a);
    graph->addBidirectionalLink(NetworkGraph::kSource, b);
    graph->addBidirectionalLink(a, b);
    return graph;
  };
  // Down: b through a; up: a through b. 1 + 2 hops each way.
  auto routed = pair();
  routed->setRoutes({0, 0, 1}, {0, 2, 0});
  routed->finish();
  EXPECT_EQ(routed->hopsTo(1), 2u);
  EXPECT_EQ(routed->hopsFrom(0), 2u);
  EXPECT_EQ(routed->multicastTreeHops({0, 1}), 2u);
  EXPECT_EQ(routed->reductionTreeHops({0, 1}), 2u);
  auto shortest = pair();
  shortest->finish();
  EXPECT_EQ(shortest->hopsTo(1), 1u);
  EXPECT_NE(shortest->fingerprint(), routed->fingerprint());

  auto cycle = pair(); // Up: a and b point at each other.
  cycle->setRoutes({0, 0, 0}, {0, 2, 1});
  EXPECT_THROW(cycle->finish(), std::logic_error);
  auto missing = pair(); // Down: b's route starts at b itself.
  missing->setRoutes({0, 0, 2}, {0, 0, 0});
  EXPECT_THROW(missing->finish(), std::logic_error);
  auto unsized = pair(); // Fewer vertices routed than the graph has.
  unsized->setRoutes({0, 0}, {0, 0});
  EXPECT_THROW(unsized->finish(), std::logic_error);
}

} // namespace
