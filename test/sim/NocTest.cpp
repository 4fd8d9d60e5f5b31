//===- test/sim/NocTest.cpp - Links, routers and networks by hand ---------===//
//
// The network components (sim/Link.h, sim/Router.h, sim/Noc.h) against
// counts worked out by hand in the comment above each test, then seeded
// random traffic against an independent reference set.
//
// Conventions: a word injected before step() of cycle t moves in cycle t;
// a link of latency L delivers it to the next router in cycle t + L, which
// forwards it in that same cycle; Delivery::cycle is the cycle in which it
// reached its endpoint. Children are numbered x-fastest (child = x + X*y).
// The default buffer depth is ceil(bandwidth) x (hopLatency + 1).
//
//===----------------------------------------------------------------------===//
#include "sim/Noc.h"

#include "arch/Arch.h"
#include "arch/NetworkGraph.h"
#include "arch/Topologies.h"

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <tuple>

using namespace tessel;
using namespace tessel::sim;

namespace {

struct NetworkSpec {
  std::string topology;
  unsigned x = 1, y = 1;
  std::optional<double> bandwidth;
  bool multicast = true;
  bool reduction = false;
  unsigned radix = 2;
  std::array<unsigned, 2> attach = {0, 0};
  uint64_t hopLatency = 1;
};

Network networkOf(const NetworkSpec &spec) {
  const Topology *topology = findTopology(spec.topology);
  EXPECT_NE(topology, nullptr) << spec.topology;
  NetworkShape shape;
  shape.x = spec.x;
  shape.y = spec.y;
  shape.radix = spec.radix;
  shape.attach = spec.attach;
  EXPECT_EQ(topology->checkShape(shape), "");
  Network network;
  network.topology = spec.topology;
  network.multicast = spec.multicast;
  network.reduction = spec.reduction;
  network.linkBandwidth = spec.bandwidth;
  network.hopLatency = spec.hopLatency;
  network.radix = spec.radix;
  network.attach = spec.attach;
  network.graph = buildNetworkGraph(*topology, shape);
  return network;
}

Flit wordTo(ChildSet children, uint64_t tag, uint64_t value) {
  Flit flit;
  flit.tag = tag;
  flit.value = value;
  flit.children = std::move(children);
  return flit;
}

/// A word from one of `children` to the parent, summed over `children`
/// where the network reduces.
Flit wordUp(ChildSet children, uint64_t tag, uint64_t value) {
  Flit flit = wordTo(std::move(children), tag, value);
  flit.direction = Direction::ToParent;
  return flit;
}

std::vector<Endpoint> endpointsOf(const Noc &noc) {
  std::vector<Endpoint> endpoints = {Endpoint::parent()};
  for (uint32_t child = 0; child < noc.childCount(); ++child)
    endpoints.push_back(Endpoint::child(child));
  return endpoints;
}

/// What the endpoints should receive, each word exactly once, and what
/// they did: the receiver's value and count check.
class Scoreboard {
public:
  void expect(Endpoint at, uint64_t tag, uint64_t value,
              uint32_t contributions = 1) {
    expected.insert({at.id, tag, value, contributions});
  }
  void receive(Endpoint at, const Delivery &delivery) {
    got.insert({at.id, delivery.flit.tag, delivery.flit.value,
                delivery.flit.contributions});
    cycles[{at.id, delivery.flit.tag}].push_back(delivery.cycle);
    last = std::max(last, delivery.cycle);
  }
  /// Takes every word waiting at every endpoint.
  void drain(Noc &noc) {
    for (Endpoint at : endpointsOf(noc))
      while (auto delivery = noc.receive(at))
        receive(at, *delivery);
  }
  /// Empty when every expected word arrived once and nothing else did.
  std::string problems() const {
    std::string text;
    std::set<Word> words(expected.begin(), expected.end());
    words.insert(got.begin(), got.end());
    for (const Word &word : words) {
      size_t wanted = expected.count(word), arrived = got.count(word);
      if (wanted != arrived)
        text += Endpoint{std::get<0>(word)}.str() + " tag " +
                std::to_string(std::get<1>(word)) + " value " +
                std::to_string(std::get<2>(word)) + " (" +
                std::to_string(std::get<3>(word)) +
                " contributions): " + "expected " + std::to_string(wanted) +
                ", received " + std::to_string(arrived) + "\n";
    }
    return text;
  }
  /// The cycles in which `at` received words tagged `tag`.
  std::vector<uint64_t> cyclesOf(Endpoint at, uint64_t tag) const {
    auto found = cycles.find({at.id, tag});
    return found == cycles.end() ? std::vector<uint64_t>() : found->second;
  }
  uint64_t lastCycle() const { return last; }
  size_t received() const { return got.size(); }

private:
  using Word = std::tuple<uint32_t, uint64_t, uint64_t, uint32_t>;
  std::multiset<Word> expected, got;
  std::map<std::pair<uint32_t, uint64_t>, std::vector<uint64_t>> cycles;
  uint64_t last = 0;
};

/// Steps `noc` `cycles` times, the endpoints taking every arrival.
void run(Noc &noc, Scoreboard &board, uint64_t cycles) {
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    noc.step();
    board.drain(noc);
  }
}

uint64_t totalLinkWords(const Noc &noc) {
  uint64_t words = 0;
  for (const auto &link : noc.links())
    words += link->words();
  return words;
}

/// A word an endpoint offers from cycle `from` on.
struct Offer {
  uint64_t from;
  Endpoint at;
  Flit flit;
};

/// Each endpoint offers its words in order, each from its cycle on and as
/// its buffer allows; every endpoint takes every arrival. Runs until all
/// are offered and the network is idle, or `limit` cycles. Returns the
/// cycles run.
uint64_t drive(Noc &noc, std::vector<Offer> offers, Scoreboard &board,
               uint64_t limit = 1000) {
  std::stable_sort(
      offers.begin(), offers.end(),
      [](const Offer &a, const Offer &b) { return a.from < b.from; });
  std::map<uint32_t, std::deque<Offer>> queues;
  for (Offer &offer : offers)
    queues[offer.at.id].push_back(std::move(offer));
  uint64_t cycle = 0;
  for (; cycle < limit; ++cycle) {
    bool offering = false;
    for (auto &[id, queue] : queues) {
      while (!queue.empty() && queue.front().from <= cycle &&
             noc.canInject(queue.front().at)) {
        noc.inject(queue.front().at, std::move(queue.front().flit));
        queue.pop_front();
      }
      offering |= !queue.empty();
    }
    if (!offering && noc.idle())
      break;
    noc.step();
    board.drain(noc);
  }
  return cycle;
}

// --- ChildSet ---------------------------------------------------------------

TEST(ChildSetTest, MaskBelowTwoHundredFiftySixSortedListBeyond) {
  ChildSet set = {5, 0, 63, 5};
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(set.str(), "{0, 5, 63}");
  EXPECT_EQ(set.front(), 0u);
  EXPECT_EQ(set.back(), 63u);
  set.insert(65535); // A member past the mask: the list form.
  set.insert(64);
  set.insert(255);
  EXPECT_EQ(set.members(), (std::vector<uint32_t>{0, 5, 63, 64, 255, 65535}));
  EXPECT_TRUE(set.contains(64));
  EXPECT_EQ(set.back(), 65535u);
  EXPECT_FALSE(set.contains(6));
  set.erase(64);
  set.erase(65535); // Small again: equal to the same set built small.
  EXPECT_EQ(set, (ChildSet{0, 5, 63, 255}));
  EXPECT_EQ(set.back(), 255u);
  EXPECT_EQ(set.size(), 4u);
  EXPECT_EQ(ChildSet::range(62, 4).members(),
            (std::vector<uint32_t>{62, 63, 64, 65}));
  EXPECT_TRUE(ChildSet().empty());
  EXPECT_THROW(ChildSet().front(), std::logic_error);
}

// --- Link -------------------------------------------------------------------

/// Pushes word i when ready from cycle 0 (at most `words`), pops every
/// arrival; returns (tag, arrival cycle) in arrival order. The receiver
/// acts before the sender in a cycle when `receiverFirst`.
std::vector<std::pair<uint64_t, uint64_t>>
streamOver(Link &link, uint64_t words, uint64_t cycles, bool receiverFirst) {
  std::vector<std::pair<uint64_t, uint64_t>> arrivals;
  uint64_t sent = 0;
  auto receive = [&] {
    while (link.valid())
      arrivals.push_back({link.pop().tag, link.cycle()});
  };
  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    if (receiverFirst)
      receive();
    while (sent < words && link.ready())
      link.push(wordTo({0}, sent++, 0));
    if (!receiverFirst)
      receive();
    link.commit();
  }
  return arrivals;
}

// Bandwidth 1, latency 3: word i enters in cycle i and arrives in cycle
// i + 3, whichever of sender and receiver acts first in a cycle.
TEST(LinkTest, BandwidthOneLatencyThreeDeliversWordIAtCycleIPlusThree) {
  for (bool receiverFirst : {true, false}) {
    Link link("l", 1.0, 3);
    auto arrivals = streamOver(link, 5, 12, receiverFirst);
    ASSERT_EQ(arrivals.size(), 5u);
    for (uint64_t i = 0; i < 5; ++i)
      EXPECT_EQ(arrivals[i], std::make_pair(i, i + 3));
    EXPECT_EQ(link.words(), 5u);
  }
}

// Bandwidth 0.5: the allowance starts at one word and gains half a word per
// cycle, so words enter in cycles 0, 2, 4, ... and word i arrives in cycle
// 2i + 3.
TEST(LinkTest, HalfBandwidthHalvesTheRate) {
  Link link("l", 0.5, 3);
  auto arrivals = streamOver(link, 5, 14, true);
  ASSERT_EQ(arrivals.size(), 5u);
  for (uint64_t i = 0; i < 5; ++i)
    EXPECT_EQ(arrivals[i], std::make_pair(i, 2 * i + 3));
}

// Bandwidth 1.5 (latency 1): allowance 1.5, so cycle 0 takes one word
// (0.5 left, +1.5 = 2), cycle 1 two (0 left, +1.5), cycle 2 one, cycle 3
// two: 6 words in 4 cycles, arriving 1, 2, 2, 3, 4, 4.
TEST(LinkTest, FractionalBandwidthAboveOneWord) {
  Link link("l", 1.5, 1);
  auto arrivals = streamOver(link, 6, 6, true);
  std::vector<uint64_t> cycles;
  for (auto &[tag, cycle] : arrivals)
    cycles.push_back(cycle);
  EXPECT_EQ(cycles, (std::vector<uint64_t>{1, 2, 2, 3, 4, 4}));
}

// Ready/valid: latency 3 at one word per cycle holds latency + 1 = 4 words.
// With the receiver not taking any, pushes in cycles 0-3 fill it and
// ready() drops in cycle 4. A pop in cycle 5 frees room seen from cycle 6.
// A credit returned in cycle 5 is the sender's in cycle 6.
TEST(LinkTest, ReadyDropsWhenTheReceiverStopsTaking) {
  Link link("l", 1.0, 3);
  for (uint64_t cycle = 0; cycle < 4; ++cycle) {
    ASSERT_TRUE(link.ready()) << cycle;
    link.push(wordTo({0}, cycle, 0));
    link.commit();
  }
  EXPECT_FALSE(link.ready()); // Cycle 4.
  link.commit();
  ASSERT_TRUE(link.valid()); // Cycle 5: words 0 and 1 have arrived.
  EXPECT_EQ(link.pop().tag, 0u);
  EXPECT_FALSE(link.ready());
  link.returnCredit();
  EXPECT_EQ(link.takeCredits(), 0u);
  link.commit();
  EXPECT_TRUE(link.ready()); // Cycle 6.
  EXPECT_EQ(link.takeCredits(), 1u);
  EXPECT_EQ(link.takeCredits(), 0u);
  EXPECT_THROW(Link("zero", 1.0, 0), std::invalid_argument);
}

// --- Routers and networks ---------------------------------------------------

// A crossbar with one child, bandwidth 1, latency 1, buffers of 2 words,
// and a child that takes nothing. The parent injects a word whenever it can:
//   cycle 0-3: w0..w3 leave the parent (credits 2, 1, then one back each
//              cycle as the child's router passes w0, w1 into its endpoint
//              queue, which then holds 2: full);
//   cycle 3:   w2 waits in the child's router (its endpoint queue is full);
//   cycle 4:   w3 arrives behind it: the child's FIFO is full, the parent
//              has no credit and w4 waits in the parent's FIFO;
//   cycle 5:   w5 joins it: the parent's FIFO is full.
// From cycle 6 the parent cannot inject: 6 words = 2 + 2 + 2 buffers. The
// parent's link stalls for lack of credit from cycle 4 (6 cycles to cycle
// 9), the child's endpoint port from cycle 3 (7 cycles).
// The child then takes its words from cycle 10: w0, w1 (arrived 1, 2),
// w2 reaches it in cycle 10, w3 in 11; the credits let w4 go in 11 and w5
// in 12, arriving 12 and 13.
TEST(NocTest, FullBufferStopsTheUpstreamThroughCredits) {
  NetworkSpec spec{"crossbar", 1, 1};
  spec.bandwidth = 1;
  NocOptions options;
  options.bufferDepth = 2;
  Network network = networkOf(spec);
  Noc noc(network, "xbar", options);
  uint64_t injected = 0;
  for (uint64_t cycle = 0; cycle < 10; ++cycle) {
    if (noc.canInject(Endpoint::parent()))
      noc.inject(Endpoint::parent(), wordTo({0}, injected++, 0));
    if (cycle >= 6) {
      EXPECT_FALSE(noc.canInject(Endpoint::parent())) << cycle;
    }
    noc.step();
  }
  EXPECT_EQ(injected, 6u);
  const Router &parent = noc.router("xbar.parent");
  ASSERT_EQ(parent.outputName(1), "xbar.parent->child0");
  EXPECT_EQ(parent.outputCredits(1), std::optional<size_t>(0));
  TrafficCounters link = noc.counters("xbar.parent->child0");
  EXPECT_EQ(link.words, 4u);
  EXPECT_EQ(link.stalled(StallCause::NoCredit), 6u);
  EXPECT_EQ(noc.counters("xbar.child0->child0").stalled(StallCause::NoCredit),
            7u);

  Scoreboard board;
  for (uint64_t tag = 0; tag < 6; ++tag)
    board.expect(Endpoint::child(0), tag, 0);
  board.drain(noc);
  run(noc, board, 5);
  EXPECT_EQ(board.problems(), "");
  std::vector<uint64_t> arrivals;
  for (uint64_t tag = 0; tag < 6; ++tag)
    arrivals.push_back(board.cyclesOf(Endpoint::child(0), tag).at(0));
  EXPECT_EQ(arrivals, (std::vector<uint64_t>{1, 2, 10, 11, 12, 13}));
  EXPECT_TRUE(noc.idle());
}

/// Two flows of 4 words on a 2x2 mesh, A from child 0 = (0,0) and B from
/// child 1 = (1,0), both to child 3 = (1,1); word k of each offered from
/// cycle k. Returns the arrivals at child 3 as (cycle, flow, k), in order.
std::vector<std::tuple<uint64_t, char, uint64_t>>
contendingFlows(Noc &noc, Scoreboard &board) {
  std::vector<Offer> offers;
  for (uint32_t flow = 0; flow < 2; ++flow)
    for (uint64_t k = 0; k < 4; ++k) {
      uint64_t tag = 10 * flow + k;
      offers.push_back({k, Endpoint::child(flow), wordTo({3}, tag, tag)});
    }
  drive(noc, offers, board);
  std::vector<std::tuple<uint64_t, char, uint64_t>> arrivals;
  for (unsigned flow = 0; flow < 2; ++flow)
    for (uint64_t k = 0; k < 4; ++k)
      for (uint64_t cycle : board.cyclesOf(Endpoint::child(3), 10 * flow + k))
        arrivals.push_back({cycle, "AB"[flow], k});
  std::sort(arrivals.begin(), arrivals.end());
  return arrivals;
}

// A: (0,0) -> (1,0) -> (1,1); B: (1,0) -> (1,1). Both need the link
// mesh(1,0)->(1,1), one word per cycle; latency 1, buffers of 2.
// mesh(1,0)'s inputs in round-robin order: its child (B), then the link
// from (0,0) (A).
//   cycle 0: b0 crosses (alone).
//   cycle 1: a0 arrives; the pointer is past B: a0 crosses, b1 waits.
//   cycle 2: b1 crosses, a1 waits (a2 leaves (0,0) on its last credit).
//   cycle 3: a1 crosses; a3 cannot leave (0,0): its credits went to a1, a2
//            still in (1,0)'s FIFO (one cycle "no credit" on
//            mesh(0,0)->(1,0)).
//   cycles 4-7: b2, a2, b3, a3 alternate.
// Each crossing reaches child 3 a cycle later: b0 1, a0 2, b1 3, a1 4, b2 5,
// a2 6, b3 7, a3 8 -- the 8 words go one per cycle through the shared
// link, which is busy for a waiting word in cycles 1-6 (6 cycles "output
// busy").
// Without contention (unlimited bandwidth, or 2 words per cycle) each flow
// goes at its own pace: b_k arrives in cycle k + 1, a_k in k + 2, the last
// (a3) in cycle 5.
TEST(NocTest, TwoFlowsContendOnOneMeshLink) {
  NetworkSpec spec{"mesh", 2, 2};
  spec.bandwidth = 1;
  Network contended = networkOf(spec);
  Noc noc(contended, "mesh");
  Scoreboard board;
  for (uint64_t flow = 0; flow < 2; ++flow)
    for (uint64_t k = 0; k < 4; ++k)
      board.expect(Endpoint::child(3), 10 * flow + k, 10 * flow + k);
  auto arrivals = contendingFlows(noc, board);
  EXPECT_EQ(board.problems(), "");
  using Arrival = std::tuple<uint64_t, char, uint64_t>;
  EXPECT_EQ(arrivals, (std::vector<Arrival>{{1, 'B', 0},
                                            {2, 'A', 0},
                                            {3, 'B', 1},
                                            {4, 'A', 1},
                                            {5, 'B', 2},
                                            {6, 'A', 2},
                                            {7, 'B', 3},
                                            {8, 'A', 3}}));
  TrafficCounters shared = noc.counters("mesh(1,0)->(1,1)");
  EXPECT_EQ(shared.words, 8u);
  EXPECT_EQ(shared.stalled(StallCause::OutputBusy), 6u);
  EXPECT_EQ(shared.stalledCycles(), 6u);
  TrafficCounters feeder = noc.counters("mesh(0,0)->(1,0)");
  EXPECT_EQ(feeder.words, 4u);
  EXPECT_EQ(feeder.stalled(StallCause::NoCredit), 1u);
  EXPECT_EQ(feeder.stalledCycles(), 1u);
  EXPECT_EQ(noc.counters("mesh(1,0)").stalledCycles(), 6u);
  EXPECT_EQ(noc.stallReport(), "mesh(0,0)->(1,0): 1 cycles no credit\n"
                               "mesh(1,0)->(1,1): 6 cycles output busy\n");

  std::vector<Arrival> uncontended = {{1, 'B', 0}, {2, 'A', 0}, {2, 'B', 1},
                                      {3, 'A', 1}, {3, 'B', 2}, {4, 'A', 2},
                                      {4, 'B', 3}, {5, 'A', 3}};
  for (std::optional<double> bandwidth :
       {std::optional<double>(), std::optional<double>(2.0)}) {
    spec.bandwidth = bandwidth;
    Network free = networkOf(spec);
    Noc wide(free, "mesh");
    Scoreboard wideBoard;
    EXPECT_EQ(contendingFlows(wide, wideBoard), uncontended);
    EXPECT_EQ(wide.counters("mesh(1,0)->(1,1)").words, 8u);
    EXPECT_EQ(wide.counters("mesh(1,0)->(1,1)").stalledCycles(), 0u);
    EXPECT_EQ(wide.stallReport(), "");
  }
}

/// The routers a word tagged `tag` leaves, in order, while `noc` runs
/// until idle.
std::vector<std::string> routeOf(Noc &noc, Endpoint from, Flit flit) {
  std::vector<std::string> visited;
  uint64_t tag = flit.tag;
  noc.setObserver([&](const Router &router, const Flit &copy, uint64_t) {
    if (copy.tag == tag)
      visited.push_back(router.name());
  });
  noc.inject(from, std::move(flit));
  Scoreboard board;
  for (unsigned cycle = 0; cycle < 50 && !(cycle > 0 && noc.idle()); ++cycle) {
    noc.step();
    board.drain(noc);
  }
  EXPECT_EQ(board.received(), 1u);
  noc.setObserver(nullptr);
  return visited;
}

// 3x3 mesh, parent at (0,0). XY takes the X hops first, then the Y hops:
//   (0,2) -> (2,0): (0,2) (1,2) (2,2) (2,1) (2,0) -- tree routing would go
//                   up to the parent's router first, and YX via (0,0);
//   parent -> (1,1): parent (0,0) (1,0) (1,1);
//   (2,2) -> parent: (2,2) (1,2) (0,2) (0,1) (0,0) parent.
TEST(NocTest, XyRoutingTakesTheXHopsFirst) {
  Network network = networkOf({"mesh", 3, 3});
  Noc noc(network, "mesh");
  EXPECT_EQ(routeOf(noc, Endpoint::child(6), wordTo({2}, 1, 0)),
            (std::vector<std::string>{"mesh(0,2)", "mesh(1,2)", "mesh(2,2)",
                                      "mesh(2,1)", "mesh(2,0)"}));
  EXPECT_EQ(routeOf(noc, Endpoint::parent(), wordTo({4}, 2, 0)),
            (std::vector<std::string>{"mesh.parent", "mesh(0,0)", "mesh(1,0)",
                                      "mesh(1,1)"}));
  EXPECT_EQ(
      routeOf(noc, Endpoint::child(8), wordUp({8}, 3, 0)),
      (std::vector<std::string>{"mesh(2,2)", "mesh(1,2)", "mesh(0,2)",
                                "mesh(0,1)", "mesh(0,0)", "mesh.parent"}));
  EXPECT_EQ(noc.counters("mesh(0,2)->(1,2)").words, 1u);
  EXPECT_EQ(noc.counters("mesh(0,2)->(0,1)").words, 1u); // The last route.
  EXPECT_EQ(noc.counters("mesh(0,1)->(0,0)").words, 1u);
}

// Binary tree over 8 leaves: parent -> switch0, switch1; switch0 ->
// switch2, switch3; switch1 -> switch4, switch5; switch2 -> children 0, 1,
// switch3 -> 2, 3, switch4 -> 4, 5, switch5 -> 6, 7. A word for {0, 1, 2,
// 5} forks at the parent (towards switch0 with {0, 1, 2} and switch1 with
// {5}), at switch0 ({0, 1}, {2}) and at switch2 ({0}, {1}): 9 links, once
// each; 3 words make 27, each listed link 3, the others 0. Without
// multicast: one unicast per child, 3 hops each, 12 link words per word
// (parent->switch0 carries 3 of them).
TEST(NocTest, MulticastCrossesEachTreeLinkOnce) {
  NetworkSpec spec{"tree", 8, 1};
  spec.bandwidth = 1;
  Network network = networkOf(spec);
  Noc noc(network, "tree");
  ChildSet destinations = {0, 1, 2, 5};
  Scoreboard board;
  std::vector<Offer> offers;
  for (uint64_t tag = 0; tag < 3; ++tag) {
    offers.push_back(
        {tag, Endpoint::parent(), wordTo(destinations, tag, 100 + tag)});
    destinations.forEach([&](uint32_t child) {
      board.expect(Endpoint::child(child), tag, 100 + tag);
    });
  }
  drive(noc, offers, board);
  EXPECT_EQ(board.problems(), "");
  std::map<std::string, uint64_t> expected = {
      {"tree.parent->switch0", 3},  {"tree.parent->switch1", 3},
      {"tree.switch0->switch2", 3}, {"tree.switch0->switch3", 3},
      {"tree.switch1->switch4", 3}, {"tree.switch2->child0", 3},
      {"tree.switch2->child1", 3},  {"tree.switch3->child2", 3},
      {"tree.switch4->child5", 3}};
  for (const auto &link : noc.links()) {
    auto found = expected.find(link->name());
    EXPECT_EQ(link->words(), found == expected.end() ? 0 : found->second)
        << link->name();
  }
  EXPECT_EQ(totalLinkWords(noc), 3 * network.multicastHops({0, 1, 2, 5}));
  EXPECT_EQ(totalLinkWords(noc), 27u);
  // Three levels, a word per cycle from cycle 0: the last leaves the
  // parent in cycle 2 and arrives in cycle 5.
  EXPECT_EQ(board.lastCycle(), 5u);

  spec.multicast = false;
  Network unicast = networkOf(spec);
  Noc serial(unicast, "tree");
  Scoreboard serialBoard;
  serial.inject(Endpoint::parent(), wordTo(destinations, 0, 7));
  destinations.forEach([&](uint32_t child) {
    serialBoard.expect(Endpoint::child(child), 0, 7);
  });
  run(serial, serialBoard, 20);
  EXPECT_EQ(serialBoard.problems(), "");
  EXPECT_EQ(totalLinkWords(serial), 12u);
  EXPECT_EQ(serial.counters("tree.parent->switch0").words, 3u);
}

// A radix-4 tree over 256 leaves (parent, 4, 16, 64 switches): a word for
// every child uses all 4 + 16 + 64 + 256 = 340 downward links once; one
// for children 60..99 (a set past 63 takes the list form) uses the union
// of their paths: the links to the first-level switches over 0..63 and
// 64..127 (2), to the second-level ones over 48..63, 64..79, 80..95,
// 96..111 (4), to the leaf switches over 60..63, ..., 96..99 (10) and the
// 40 leaf links: 2 + 4 + 10 + 40 = 56.
TEST(NocTest, LargeMulticastSets) {
  NetworkSpec spec{"tree", 16, 16};
  spec.radix = 4;
  Network network = networkOf(spec);
  Noc noc(network, "tree");
  Scoreboard board;
  noc.inject(Endpoint::parent(), wordTo(ChildSet::range(0, 256), 0, 1));
  noc.inject(Endpoint::parent(), wordTo(ChildSet::range(60, 40), 1, 2));
  for (uint32_t child = 0; child < 256; ++child)
    board.expect(Endpoint::child(child), 0, 1);
  for (uint32_t child = 60; child < 100; ++child)
    board.expect(Endpoint::child(child), 1, 2);
  run(noc, board, 20);
  EXPECT_EQ(board.problems(), "");
  EXPECT_EQ(totalLinkWords(noc), 340u + 56u);
  std::vector<unsigned> some;
  for (unsigned child = 60; child < 100; ++child)
    some.push_back(child);
  EXPECT_EQ(network.multicastHops(some), 56u);
}

// Reduction on the binary tree of 8 leaves (named as above): child c
// sends 100 * tag + c + 1 for tags 0-2. Each switch adds the words of its
// two subtrees and forwards one sum; the parent's router adds the last two.
// So each of the 14 upward links carries one word per tag (42), the parent
// receives one word per tag, 800 * tag + 36, with 8 contributions. Tag t
// is offered in cycle t; three levels: its sum arrives in cycle t + 3. Over {0,
// 1, 5} only: child0, child1 -> switch2 -> switch0 -> parent, child5 -> switch4
// -> switch1 -> parent: 7 links (the model's reductionHops). Without reduction
// every word travels alone: 8 x 3 hops x 3 tags = 72 link words, 24 words at
// the parent.
TEST(NocTest, ReductionTreeDeliversOneSumPerTag) {
  NetworkSpec spec{"tree", 8, 1};
  spec.bandwidth = 1;
  spec.reduction = true;
  Network network = networkOf(spec);
  Noc noc(network, "tree");
  Scoreboard board;
  ChildSet all = ChildSet::range(0, 8);
  std::vector<Offer> offers;
  for (uint64_t tag = 0; tag < 3; ++tag) {
    for (uint32_t child = 0; child < 8; ++child)
      offers.push_back({tag, Endpoint::child(child),
                        wordUp(all, tag, 100 * tag + child + 1)});
    board.expect(Endpoint::parent(), tag, 800 * tag + 36, 8);
  }
  drive(noc, offers, board);
  EXPECT_EQ(board.problems(), "");
  EXPECT_EQ(board.cyclesOf(Endpoint::parent(), 0), (std::vector<uint64_t>{3}));
  EXPECT_EQ(board.lastCycle(), 5u);
  EXPECT_EQ(totalLinkWords(noc), 42u);
  EXPECT_EQ(noc.counters("tree.switch0->parent").words, 3u);
  EXPECT_EQ(noc.counters("tree.parent->switch0").words, 0u);
  EXPECT_EQ(noc.router("tree.switch2").combined(), 3u);
  EXPECT_TRUE(noc.idle());

  Noc some(network, "tree");
  Scoreboard someBoard;
  for (uint32_t child : {0u, 1u, 5u})
    some.inject(Endpoint::child(child), wordUp({0, 1, 5}, 9, child + 1));
  someBoard.expect(Endpoint::parent(), 9, 1 + 2 + 6, 3);
  run(some, someBoard, 10);
  EXPECT_EQ(someBoard.problems(), "");
  EXPECT_EQ(totalLinkWords(some), 7u);
  EXPECT_EQ(network.reductionHops({0, 1, 5}), 7u);

  spec.reduction = false;
  Network plain = networkOf(spec);
  Noc separate(plain, "tree");
  Scoreboard separateBoard;
  for (uint64_t tag = 0; tag < 3; ++tag)
    for (uint32_t child = 0; child < 8; ++child)
      separateBoard.expect(Endpoint::parent(), tag, 100 * tag + child + 1);
  drive(separate, offers, separateBoard);
  EXPECT_EQ(separateBoard.problems(), "");
  EXPECT_EQ(totalLinkWords(separate), 72u);
}

// A reduction of the same word in two rounds (a later tile's drain): the
// rounds do not mix. Child 0's round-1 word reaching the join before child
// 1's round-0 word would otherwise complete round 0 with the wrong
// contributors and leave round 1 waiting forever. Then a reduction that
// waits for a contributor that never comes holds words but makes no
// progress: idle() is false and progressed() false (the simulator reports
// it stuck instead of running on).
TEST(NocTest, ReductionRoundsDoNotMixAndAStuckOneMakesNoProgress) {
  NetworkSpec spec{"tree", 2, 1};
  spec.bandwidth = 1;
  spec.reduction = true;
  Network network = networkOf(spec);
  Noc noc(network, "tree");
  Flit first = wordUp({0, 1}, 7, 1), again = wordUp({0, 1}, 7, 10);
  again.round = 1;
  Flit late = wordUp({0, 1}, 7, 2), lateAgain = wordUp({0, 1}, 7, 20);
  lateAgain.round = 1;
  noc.inject(Endpoint::child(0), first);
  noc.step();
  noc.inject(Endpoint::child(0), again);
  noc.step();
  noc.inject(Endpoint::child(1), late);
  noc.step();
  noc.inject(Endpoint::child(1), lateAgain);
  std::vector<std::pair<uint64_t, uint64_t>> sums; // (round, value)
  for (int cycle = 0; cycle < 20; ++cycle) {
    noc.step();
    while (auto got = noc.receive(Endpoint::parent()))
      sums.push_back({got->flit.round, got->flit.value});
  }
  EXPECT_EQ(sums,
            (std::vector<std::pair<uint64_t, uint64_t>>{{0, 3}, {1, 30}}));
  EXPECT_TRUE(noc.idle());

  Noc stuck(network, "tree");
  stuck.inject(Endpoint::child(0), wordUp({0, 1}, 9, 5));
  for (int cycle = 0; cycle < 10; ++cycle)
    stuck.step();
  EXPECT_FALSE(stuck.idle());
  EXPECT_FALSE(stuck.progressed());
}

// 2x2 mesh, parent at (0,0), reduction over all four children (values
// 1..4). XY routes to the parent: (1,0) -> (0,0); (0,1) -> (0,0); (1,1) ->
// (0,1) -> (0,0) (X first). Cycle 0: (1,0) and (1,1) are alone on their
// routes so far and send; (0,1) holds child 2's word (it expects 2), (0,0)
// child 0's (it expects 4). Cycle 1: (0,0) adds child 1's; (0,1) completes
// with child 3's and sends 7 (2 contributions). Cycle 2: (0,0) completes
// and sends 10. Cycle 3: the parent receives 10 with 4 contributions.
// 4 link words. Over children 2 = (0,1) and 3 = (1,1) only: (1,1) ->
// (0,1) (X first), where they join, -> (0,0) -> parent: 3 link words.
TEST(NocTest, ReductionOnAMeshJoinsWhereXyRoutesMeet) {
  NetworkSpec spec{"mesh", 2, 2};
  spec.bandwidth = 1;
  spec.reduction = true;
  Network network = networkOf(spec);
  Noc noc(network, "mesh");
  Scoreboard board;
  for (uint32_t child = 0; child < 4; ++child)
    noc.inject(Endpoint::child(child), wordUp({0, 1, 2, 3}, 0, child + 1));
  board.expect(Endpoint::parent(), 0, 10, 4);
  run(noc, board, 10);
  EXPECT_EQ(board.problems(), "");
  EXPECT_EQ(board.lastCycle(), 3u);
  EXPECT_EQ(totalLinkWords(noc), 4u);
  EXPECT_EQ(noc.counters("mesh(1,1)->(0,1)").words, 1u);
  EXPECT_EQ(noc.router("mesh(0,0)").combined(), 2u);
  EXPECT_EQ(noc.router("mesh(0,1)").combined(), 1u);

  Noc two(network, "mesh");
  Scoreboard twoBoard;
  for (uint32_t child : {2u, 3u})
    two.inject(Endpoint::child(child), wordUp({2, 3}, 0, child));
  twoBoard.expect(Endpoint::parent(), 0, 5, 2);
  run(two, twoBoard, 10);
  EXPECT_EQ(twoBoard.problems(), "");
  EXPECT_EQ(totalLinkWords(two), 3u);
  EXPECT_EQ(two.counters("mesh(1,1)->(0,1)").words, 1u);
}

// A bus of 4 taps (unlimited link bandwidth, the bus itself the limit: one
// word per cycle). The parent broadcasts 3 words: all cross the
// parent's link in cycle 0 and reach the bus in cycle 1, which carries one
// per cycle to all four taps: word i reaches every child in cycle i + 1.
// Children 0 and 1 each send 2 words up in cycle 0: the bus takes them in
// turn, x0 y0 x1 y1 in cycles 0-3, arriving one cycle later; a word waits
// for the bus in cycles 0-2 (3 cycles "output busy"). A crossbar gives
// each child its own link: all four arrive in cycle 1.
TEST(NocTest, BusIsOneSharedMedium) {
  Network network = networkOf({"bus", 4, 1});
  NocOptions oneWord;
  oneWord.busWordsPerCycle = 1;
  Noc bus(network, "bus", oneWord);
  Scoreboard board;
  for (uint64_t tag = 0; tag < 3; ++tag) {
    bus.inject(Endpoint::parent(), wordTo(ChildSet::range(0, 4), tag, tag));
    for (uint32_t child = 0; child < 4; ++child)
      board.expect(Endpoint::child(child), tag, tag);
  }
  run(bus, board, 6);
  EXPECT_EQ(board.problems(), "");
  for (uint64_t tag = 0; tag < 3; ++tag)
    EXPECT_EQ(board.cyclesOf(Endpoint::child(3), tag),
              (std::vector<uint64_t>{tag + 1}));
  EXPECT_EQ(bus.counters("bus.parent->switch0").words, 3u);

  auto upFromTwoChildren = [](Noc &noc) {
    Scoreboard up;
    for (uint32_t child = 0; child < 2; ++child)
      for (uint64_t k = 0; k < 2; ++k) {
        uint64_t tag = 10 * child + k;
        noc.inject(Endpoint::child(child), wordUp({child}, tag, tag));
        up.expect(Endpoint::parent(), tag, tag);
      }
    run(noc, up, 8);
    EXPECT_EQ(up.problems(), "");
    std::vector<uint64_t> cycles;
    for (uint64_t tag : {0, 10, 1, 11})
      cycles.push_back(up.cyclesOf(Endpoint::parent(), tag).at(0));
    return cycles;
  };
  Noc shared(network, "bus", oneWord);
  EXPECT_EQ(upFromTwoChildren(shared), (std::vector<uint64_t>{1, 2, 3, 4}));
  EXPECT_EQ(
      shared.counters("bus.switch0->parent").stalled(StallCause::OutputBusy),
      3u);
  Network crossbar = networkOf({"crossbar", 4, 1});
  Noc dedicated(crossbar, "xbar");
  EXPECT_EQ(upFromTwoChildren(dedicated), (std::vector<uint64_t>{1, 1, 1, 1}));
}

// Hop latency 2 on the 8-leaf binary tree: 3 hops to a child take 6
// cycles. The default buffers (bandwidth 1: 1 x (2 + 1) = 3 words) cover
// the credit round trip, so a stream of 10 words to child 5 arrives one per
// cycle, in cycles 6-15.
TEST(NocTest, DefaultBuffersSustainTheLinkRate) {
  NetworkSpec spec{"tree", 8, 1};
  spec.bandwidth = 1;
  spec.hopLatency = 2;
  Network network = networkOf(spec);
  Noc noc(network, "tree");
  Scoreboard board;
  uint64_t sent = 0;
  for (uint64_t cycle = 0; cycle < 30; ++cycle) {
    if (sent < 10 && noc.canInject(Endpoint::parent())) {
      board.expect(Endpoint::child(5), sent, sent);
      noc.inject(Endpoint::parent(), wordTo({5}, sent, sent));
      ++sent;
    }
    noc.step();
    board.drain(noc);
  }
  EXPECT_EQ(board.problems(), "");
  for (uint64_t tag = 0; tag < 10; ++tag)
    EXPECT_EQ(board.cyclesOf(Endpoint::child(5), tag),
              (std::vector<uint64_t>{6 + tag}));
  EXPECT_EQ(noc.stallReport(), "");
}

// The receiver's check (every word exactly once, with its value) catches a
// fault injected on one link; the same traffic without the fault passes.
// Multicast of tags 0-2 to {0, 1, 2, 5} on the 8-leaf tree (see above):
// dropping the first word on switch0->switch3 (child 2's only way) loses
// tag 0 at child 2; duplicating it on switch2->child1 gives child 1 tag 0
// twice. Reduction of all 8 children: a duplicate of child 0's word on its
// link to switch2, with child 1's word (2) late (cycle 5), lets the
// duplicate complete switch2's sum: the parent gets 1 + 1 + 3 + ... + 8 =
// 35, not 36; dropping child 3's word leaves switch3 waiting: no sum.
TEST(NocTest, FaultsAreCaughtByTheReceiversCheck) {
  NetworkSpec spec{"tree", 8, 1};
  spec.bandwidth = 1;
  Network network = networkOf(spec);
  auto multicast = [&](const char *faultyLink,
                       std::optional<Link::Fault> fault) {
    Noc noc(network, "tree");
    if (fault)
      noc.link(faultyLink).injectFault(*fault);
    Scoreboard board;
    std::vector<Offer> offers;
    for (uint64_t tag = 0; tag < 3; ++tag) {
      offers.push_back(
          {tag, Endpoint::parent(), wordTo({0, 1, 2, 5}, tag, 10 + tag)});
      for (uint32_t child : {0u, 1u, 2u, 5u})
        board.expect(Endpoint::child(child), tag, 10 + tag);
    }
    drive(noc, offers, board, 50);
    return board.problems();
  };
  EXPECT_EQ(multicast("", std::nullopt), "");
  EXPECT_EQ(multicast("tree.switch0->switch3", Link::Fault::Drop),
            "child2 tag 0 value 10 (1 contributions): expected 1, "
            "received 0\n");
  EXPECT_EQ(multicast("tree.switch2->child1", Link::Fault::Duplicate),
            "child1 tag 0 value 10 (1 contributions): expected 1, "
            "received 2\n");

  spec.reduction = true;
  Network reducing = networkOf(spec);
  auto reduction = [&](const char *faultyLink,
                       std::optional<Link::Fault> fault) {
    Noc noc(reducing, "tree");
    if (fault)
      noc.link(faultyLink).injectFault(*fault);
    Scoreboard board;
    board.expect(Endpoint::parent(), 0, 36, 8);
    std::vector<Offer> offers;
    for (uint32_t child = 0; child < 8; ++child)
      offers.push_back({child == 1 ? 5u : 0u, Endpoint::child(child),
                        wordUp(ChildSet::range(0, 8), 0, child + 1)});
    drive(noc, offers, board, 50); // A lost word leaves a partial sum.
    return board.problems();
  };
  EXPECT_EQ(reduction("", std::nullopt), "");
  EXPECT_EQ(reduction("tree.child0->switch2", Link::Fault::Duplicate),
            "parent tag 0 value 35 (8 contributions): expected 0, "
            "received 1\n"
            "parent tag 0 value 36 (8 contributions): expected 1, "
            "received 0\n");
  EXPECT_EQ(reduction("tree.child3->switch3", Link::Fault::Drop),
            "parent tag 0 value 36 (8 contributions): expected 1, "
            "received 0\n");
}

// 2x2 systolic: the parent feeds child 0, links go +x and +y, and the
// bottom row (children 2 = (0,1) and 3 = (1,1)) drains into the parent. A
// word for all four children follows the shortest-path tree, which reaches
// child 3 through child 1: 4 links; one from child 0 to child 3 two more,
// the same way. Up, a word goes down its column: child 1 = (1,0) -> child
// 3 -> parent, 2 links (child1->child3 has carried 3 words). A reduction of all
// four joins in the bottom row: child 0 -> child 2 -> parent, child 1 -> child
// 3 -> parent: 4 links, as the model's reductionHops counts. Nothing can go
// against the links (child 3 to child 0): refused when offered.
TEST(NocTest, SystolicWordsGoForwardAndLeaveAtTheBottomEdge) {
  Network network = networkOf({"systolic", 2, 2});
  Noc noc(network, "sys");
  Scoreboard board;
  noc.inject(Endpoint::parent(), wordTo({0, 1, 2, 3}, 0, 5));
  noc.inject(Endpoint::child(0), wordTo({3}, 1, 6));
  noc.inject(Endpoint::child(1), wordUp({1}, 2, 7));
  for (uint32_t child = 0; child < 4; ++child)
    board.expect(Endpoint::child(child), 0, 5);
  board.expect(Endpoint::child(3), 1, 6);
  board.expect(Endpoint::parent(), 2, 7);
  run(noc, board, 10);
  EXPECT_EQ(board.problems(), "");
  EXPECT_EQ(totalLinkWords(noc), 4u + 2u + 2u);
  EXPECT_EQ(noc.counters("sys.child1->child3").words, 3u);
  EXPECT_EQ(noc.counters("sys.child3->parent").words, 1u);
  EXPECT_THROW(noc.inject(Endpoint::child(3), wordTo({0}, 3, 0)),
               std::invalid_argument);

  NetworkSpec spec{"systolic", 2, 2};
  spec.reduction = true;
  Network reducing = networkOf(spec);
  Noc sum(reducing, "sys");
  Scoreboard sumBoard;
  for (uint32_t child = 0; child < 4; ++child)
    sum.inject(Endpoint::child(child), wordUp({0, 1, 2, 3}, 0, child + 1));
  sumBoard.expect(Endpoint::parent(), 0, 10, 4);
  run(sum, sumBoard, 10);
  EXPECT_EQ(sumBoard.problems(), "");
  EXPECT_EQ(totalLinkWords(sum), 4u);
  EXPECT_EQ(reducing.reductionHops({0, 1, 2, 3}), 4u);
  EXPECT_EQ(sum.counters("sys.child2->parent").words, 1u);
  EXPECT_EQ(sum.counters("sys.child3->parent").words, 1u);
}

TEST(NocTest, RefusesWordsThatCannotGo) {
  Network network = networkOf({"mesh", 2, 2});
  Noc noc(network, "mesh");
  EXPECT_THROW(noc.inject(Endpoint::parent(), wordTo({}, 0, 0)),
               std::invalid_argument);
  EXPECT_THROW(noc.inject(Endpoint::parent(), wordTo({4}, 0, 0)),
               std::invalid_argument);
  EXPECT_THROW(noc.inject(Endpoint::child(4), wordTo({0}, 0, 0)),
               std::invalid_argument);
  EXPECT_THROW(noc.inject(Endpoint::child(1), wordUp({0}, 0, 0)),
               std::invalid_argument); // The sender is not among them.
  EXPECT_THROW(noc.inject(Endpoint::parent(), wordUp({0}, 0, 0)),
               std::invalid_argument);
  EXPECT_THROW(noc.inject(Endpoint::child(2), wordTo({2}, 0, 0)),
               std::invalid_argument); // To itself.
  EXPECT_THROW(noc.counters("mesh(9,9)"), std::out_of_range);
  EXPECT_TRUE(noc.idle());
}

// --- Seeded random traffic --------------------------------------------------

struct RandomCase {
  const char *name;
  NetworkSpec spec;
  size_t bufferDepth;
  /// Children can send to children (not on a systolic array, whose links
  /// only go forward).
  bool childToChild;
};

/// Random words on `noc`: from the parent to random sets of children, from
/// children to other children (if `childToChild`), plain drains to the
/// parent and reductions over random sets. Fills `board` with what each
/// endpoint must receive, computed from the words alone.
std::vector<Offer> randomTraffic(const Noc &noc, bool childToChild,
                                 bool reduces, std::mt19937_64 &random,
                                 Scoreboard &board) {
  uint32_t children = noc.childCount();
  auto below = [&](uint64_t bound) { return random() % bound; };
  auto randomSet = [&](uint32_t except) {
    ChildSet set;
    uint32_t available = children - (except < children ? 1 : 0);
    uint64_t size = 1 + below(std::min<uint32_t>(available, 6));
    while (set.size() < size) {
      uint32_t child = uint32_t(below(children));
      if (child != except)
        set.insert(child);
    }
    return set;
  };
  std::vector<Offer> offers;
  for (uint64_t tag = 0; tag < 300; ++tag) {
    uint64_t kind = below(4), from = below(150);
    uint64_t value = below(1000);
    if (kind == 0 ||
        (kind == 1 && (children < 2 || !childToChild))) { // Parent to them.
      ChildSet set = randomSet(Endpoint::kParent);
      set.forEach([&](uint32_t child) {
        board.expect(Endpoint::child(child), tag, value);
      });
      offers.push_back({from, Endpoint::parent(), wordTo(set, tag, value)});
    } else if (kind == 1) { // Child to children.
      uint32_t sender = uint32_t(below(children));
      ChildSet set = randomSet(sender);
      set.forEach([&](uint32_t child) {
        board.expect(Endpoint::child(child), tag, value);
      });
      offers.push_back(
          {from, Endpoint::child(sender), wordTo(set, tag, value)});
    } else if (kind == 2) { // A drain to the parent.
      uint32_t sender = uint32_t(below(children));
      board.expect(Endpoint::parent(), tag, value);
      offers.push_back(
          {from, Endpoint::child(sender), wordUp({sender}, tag, value)});
    } else { // A reduction: each source offers its word at its own time.
      ChildSet sources = randomSet(Endpoint::kParent);
      uint64_t sum = 0;
      sources.forEach([&](uint32_t child) {
        uint64_t part = below(1000);
        sum += part;
        if (!reduces)
          board.expect(Endpoint::parent(), tag, part);
        offers.push_back({from + below(20), Endpoint::child(child),
                          wordUp(sources, tag, part)});
      });
      if (reduces)
        board.expect(Endpoint::parent(), tag, sum, uint32_t(sources.size()));
    }
  }
  return offers;
}

void PrintTo(const RandomCase &param, std::ostream *out) { *out << param.name; }

class RandomTrafficTest : public ::testing::TestWithParam<RandomCase> {};

// Every word offered is delivered exactly once to each of its destinations
// (reductions: one sum with every contribution), compared with the set
// computed from the offers alone, and the network drains: a deadlock fails
// on the cycle limit.
TEST_P(RandomTrafficTest, EveryWordArrivesOnceAndNothingDeadlocks) {
  const RandomCase &param = GetParam();
  Network network = networkOf(param.spec);
  for (uint64_t seed : {1, 2, 3}) {
    NocOptions options;
    options.bufferDepth = param.bufferDepth;
    Noc noc(network, param.spec.topology, options);
    std::mt19937_64 random(seed);
    Scoreboard board;
    std::vector<Offer> offers = randomTraffic(
        noc, param.childToChild, param.spec.reduction, random, board);
    const uint64_t limit = 20000;
    uint64_t cycles = drive(noc, offers, board, limit);
    ASSERT_LT(cycles, limit)
        << param.name << " seed " << seed << ": not drained (deadlock?)\n"
        << noc.stallReport();
    EXPECT_EQ(board.problems(), "") << param.name << " seed " << seed;
  }
}

NetworkSpec specOf(const char *topology, unsigned x, unsigned y,
                   std::optional<double> bandwidth, bool multicast,
                   bool reduction) {
  NetworkSpec spec{topology, x, y};
  spec.bandwidth = bandwidth;
  spec.multicast = multicast;
  spec.reduction = reduction;
  return spec;
}

NetworkSpec attached(NetworkSpec spec, std::array<unsigned, 2> attach) {
  spec.attach = attach;
  return spec;
}

INSTANTIATE_TEST_SUITE_P(
    Topologies, RandomTrafficTest,
    ::testing::Values(
        RandomCase{"mesh",
                   attached(specOf("mesh", 4, 3, 1, true, true), {1, 1}), 0,
                   true},
        RandomCase{"mesh_tight",
                   attached(specOf("mesh", 4, 4, 0.5, true, true), {3, 0}), 1,
                   true},
        RandomCase{"mesh_unicast", specOf("mesh", 3, 3, 1, false, false), 2,
                   true},
        RandomCase{"mesh_unlimited",
                   specOf("mesh", 3, 2, std::nullopt, true, true), 0, true},
        RandomCase{"tree", specOf("tree", 4, 4, 1, true, true), 1, true},
        RandomCase{"tree_wide", specOf("tree", 4, 4, 2, true, true), 0, true},
        RandomCase{"tree_unicast", specOf("tree", 8, 1, 2, false, false), 0,
                   true},
        RandomCase{"bus", specOf("bus", 4, 2, 1, true, true), 1, true},
        RandomCase{"crossbar", specOf("crossbar", 3, 2, 0.5, true, true), 0,
                   true},
        RandomCase{"systolic", specOf("systolic", 3, 3, 1, true, true), 1,
                   false}),
    [](const ::testing::TestParamInfo<RandomCase> &info) {
      return std::string(info.param.name);
    });

// --- The models' hop counts are the routers' links -------------------------

struct HopCase {
  const char *name;
  NetworkSpec spec;
};

void PrintTo(const HopCase &param, std::ostream *out) { *out << param.name; }

class ModelHopsTest : public ::testing::TestWithParam<HopCase> {};

/// Offers every word of `offers` at once, runs `noc` until it is idle, and
/// returns the words its links carried meanwhile. The endpoints must get
/// what `board` expects.
uint64_t linkWordsOf(Noc &noc, std::vector<Offer> offers, Scoreboard &board) {
  uint64_t before = totalLinkWords(noc);
  uint64_t cycles = drive(noc, std::move(offers), board, 1000);
  EXPECT_LT(cycles, 1000u) << "not drained\n" << noc.stallReport();
  return totalLinkWords(noc) - before;
}

/// Random sets of 1 to all children, distinct sizes equally likely.
ChildSet randomSet(uint32_t children, std::mt19937_64 &random) {
  ChildSet set;
  uint64_t size = 1 + random() % children;
  while (set.size() < size)
    set.insert(uint32_t(random() % children));
  return set;
}

std::vector<unsigned> membersOf(const ChildSet &set) {
  std::vector<uint32_t> members = set.members();
  return std::vector<unsigned>(members.begin(), members.end());
}

// The hop counts the models use (Network::unicastHops, drainHops,
// multicastHops, reductionHops, read from arch/NetworkGraph's routes) equal
// the link words the routers move: every unicast and drain, and seeded
// random multicast and reduction sets. Before the mesh's graph held the XY
// routes, its counts came from Dijkstra's trees and differed on a 3x3 mesh
// for 56 of 193 random multicasts and 102 of 193 reductions; on a 2x2 mesh
// attached at (0,0) a reduction of children 2 and 3 was 4 hops in the
// models and 3 links in the routers (worked in test/arch/NetworkTest.cpp,
// MeshRoutesAreXyBothWays, and ReductionOnAMeshJoinsWhereXyRoutesMeet
// above). Words of the same set go up and down the same network, one set
// at a time, so each link carries what the set alone needs.
TEST_P(ModelHopsTest, ModelHopCountsEqualTheLinksTheRoutersUse) {
  const HopCase &param = GetParam();
  Network network = networkOf(param.spec);
  Noc noc(network, param.name);
  uint32_t children = noc.childCount();
  std::string mismatches;
  auto compare = [&](const char *what, const ChildSet &set, uint64_t links,
                     uint64_t model) {
    if (links != model)
      mismatches += std::string(what) + " " + set.str() + ": routers " +
                    std::to_string(links) + " links, model " +
                    std::to_string(model) + "\n";
  };
  uint64_t tag = 0;
  auto multicast = [&](const ChildSet &set) {
    Scoreboard board;
    set.forEach([&](uint32_t child) {
      board.expect(Endpoint::child(child), tag, tag);
    });
    uint64_t links = linkWordsOf(
        noc, {{0, Endpoint::parent(), wordTo(set, tag, tag)}}, board);
    EXPECT_EQ(board.problems(), "") << set.str();
    ++tag;
    return links;
  };
  auto reduction = [&](const ChildSet &set) {
    Scoreboard board;
    std::vector<Offer> offers;
    uint64_t sum = 0;
    set.forEach([&](uint32_t child) {
      offers.push_back(
          {0, Endpoint::child(child), wordUp(set, tag, child + 1)});
      sum += child + 1;
      if (!param.spec.reduction)
        board.expect(Endpoint::parent(), tag, child + 1);
    });
    if (param.spec.reduction)
      board.expect(Endpoint::parent(), tag, sum, uint32_t(set.size()));
    uint64_t links = linkWordsOf(noc, std::move(offers), board);
    EXPECT_EQ(board.problems(), "") << set.str();
    ++tag;
    return links;
  };
  for (uint32_t child = 0; child < children; ++child) {
    compare("unicast to", {child}, multicast({child}),
            network.unicastHops(child));
    compare("drain from", {child}, reduction({child}),
            network.drainHops(child));
  }
  for (uint64_t seed : {1, 2, 3}) {
    std::mt19937_64 random(seed);
    for (unsigned trial = 0; trial < 40; ++trial) {
      ChildSet down = randomSet(children, random);
      compare("multicast to", down, multicast(down),
              network.multicastHops(membersOf(down)));
      ChildSet up = randomSet(children, random);
      compare("reduction of", up, reduction(up),
              network.reductionHops(membersOf(up)));
    }
  }
  EXPECT_EQ(mismatches, "") << param.name;
}

HopCase hopCase(const char *name, const char *topology, unsigned x, unsigned y,
                std::array<unsigned, 2> attach = {0, 0}, unsigned radix = 2,
                bool shares = true) {
  NetworkSpec spec =
      attached(specOf(topology, x, y, 1, shares, shares), attach);
  spec.radix = radix;
  return {name, spec};
}

INSTANTIATE_TEST_SUITE_P(
    Topologies, ModelHopsTest,
    ::testing::Values(
        hopCase("mesh2x2", "mesh", 2, 2), hopCase("mesh3x3", "mesh", 3, 3),
        hopCase("mesh3x3_centre", "mesh", 3, 3, {1, 1}),
        hopCase("mesh4x3_inside", "mesh", 4, 3, {2, 1}),
        hopCase("mesh5x2_far_corner", "mesh", 5, 2, {4, 1}),
        hopCase("mesh4x4_edge", "mesh", 4, 4, {3, 0}),
        hopCase("mesh6x6", "mesh", 6, 6),
        hopCase("mesh1x6_column", "mesh", 1, 6, {0, 3}),
        hopCase("mesh6x1_row", "mesh", 6, 1, {2, 0}),
        hopCase("mesh3x3_unicast", "mesh", 3, 3, {2, 2}, 2, false),
        hopCase("tree8", "tree", 8, 1),
        hopCase("tree4x4_radix4", "tree", 4, 4, {0, 0}, 4),
        hopCase("tree9_radix3", "tree", 9, 1, {0, 0}, 3),
        hopCase("tree8_unicast", "tree", 8, 1, {0, 0}, 2, false),
        hopCase("bus", "bus", 4, 2),
        hopCase("bus_unicast", "bus", 4, 2, {0, 0}, 2, false),
        hopCase("crossbar", "crossbar", 3, 2),
        hopCase("systolic3x3", "systolic", 3, 3),
        hopCase("systolic4x2", "systolic", 4, 2),
        hopCase("systolic1x5", "systolic", 1, 5),
        hopCase("systolic5x1", "systolic", 5, 1),
        hopCase("systolic3x2_unicast", "systolic", 3, 2, {0, 0}, 2, false)),
    [](const ::testing::TestParamInfo<HopCase> &info) {
      return std::string(info.param.name);
    });

} // namespace
