//===- sim/Noc.h - The links and routers of one network instance -*- C++
//-*-===//
//
// A Noc is the network between one instance of a storage level (the
// parent) and its children, built from the Arch's Network and its graph
// (arch/NetworkGraph.h): a Router at every vertex, a Link for every link of
// the graph (latency hops x hopLatency, at least one cycle; bandwidth
// linkBandwidth). A zero-hop link is a bus tap: the child behind it
// attaches straight to the bus's router, which is a shared medium moving
// linkBandwidth (none: unlimited) words per cycle over all its ports, a
// broadcast reaching every tap at once. Routing is XY on a mesh, the
// graph's routes elsewhere (sim/Routing.h).
//
// Use, once per cycle:
//
//   while (auto got = noc.receive(Endpoint::child(3))) ...; // arrived
//   if (noc.canInject(Endpoint::parent())) noc.inject(Endpoint::parent(), f);
//   noc.step();
//
// A word injected before step() of cycle t moves in cycle t; over h hops of
// latency L it reaches its destination in cycle t + h*L (Delivery::cycle)
// and can be received after that cycle's step(). Every link and router
// counts its words and its stalled cycles by cause, under names such as
// "mesh(1,0)->(1,1)".
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_NOC_H
#define TESSEL_SIM_NOC_H

#include "sim/Flit.h"
#include "sim/Link.h"
#include "sim/Router.h"
#include "sim/Routing.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tessel {
struct Network;
class NetworkGraph;
} // namespace tessel

namespace tessel::sim {

struct NocOptions {
  /// Words per router input FIFO and per endpoint queue. 0: enough to
  /// sustain the link rate, ceil(bandwidth) x (hop latency + 1) words (the
  /// credit round trip); unbounded when the bandwidth is unlimited.
  size_t bufferDepth = 0;
  /// Words a bus carries per cycle; none: the network's linkBandwidth
  /// (unlimited when it has none).
  std::optional<double> busWordsPerCycle;
  /// Link words an element of each tensor takes (sim/Link.h); empty: one.
  std::vector<double> wordCosts;
};

class Noc {
public:
  /// The network `network` (its graph must be built), its components named
  /// after `name` ("mesh" gives "mesh(1,0)", "mesh(1,0)->(1,1)").
  Noc(const Network &network, std::string name, NocOptions options = {});
  Noc(const Noc &) = delete; // Its routers point into it.
  Noc &operator=(const Noc &) = delete;

  uint32_t childCount() const { return childCount_; }
  /// The cycle the next step() simulates.
  uint64_t now() const { return now_; }

  /// Whether `at` can inject a word this cycle (its buffer has room).
  bool canInject(Endpoint at) const;
  /// Offers `flit` from `at`. Throws std::invalid_argument for a word that
  /// cannot go (no destinations, a child out of range, a word to the
  /// parent that does not name its sender, a route the graph has no link
  /// for) and std::logic_error when !canInject(at).
  void inject(Endpoint at, Flit flit);
  /// The next word that reached `at`, if any.
  std::optional<Delivery> receive(Endpoint at);
  /// Simulates one cycle: every router computes, then every router and
  /// link commits.
  void step();
  /// No word in any link, buffer or partial sum.
  bool idle() const;
  /// Whether the last step() moved a word (a router took, combined or sent
  /// one, or one travels on a link): a network holding words that none of
  /// this does is stuck.
  bool progressed() const { return progressed_; }
  /// Whether some endpoint has a word to receive.
  bool hasDeliveries() const { return deliveries != 0; }

  /// Called for every copy leaving any router (e.g. to record routes).
  void setObserver(Router::Observer observer);

  const std::vector<std::unique_ptr<Router>> &routers() const {
    return routers_;
  }
  const std::vector<std::unique_ptr<Link>> &links() const { return links_; }
  /// The link or router called `name`; throws std::out_of_range.
  Link &link(const std::string &name);
  const Router &router(const std::string &name) const;
  /// Words and stalled cycles of the router, link or endpoint port called
  /// `name` (a router's: over all its outputs).
  TrafficCounters counters(const std::string &name) const;
  /// One line per router output that stalled: "mesh(1,0)->(1,1): 6
  /// cycles output busy".
  std::string stallReport() const;

private:
  std::vector<double> wordCosts_; ///< NocOptions::wordCosts.
  struct Attachment {
    Router *router = nullptr;
    unsigned vertex = 0; ///< The endpoint's own graph vertex.
    uint32_t index = 0;  ///< The router's in routers_.
  };

  std::string vertexLabel(unsigned vertex) const;
  const Attachment &attachment(Endpoint at) const;
  /// Why `flit` cannot go from `at`; empty when it can.
  std::string refusal(Endpoint at, const Flit &flit) const;
  bool routeHasLinks(unsigned from, Endpoint to) const;

  std::string name;
  std::shared_ptr<const NetworkGraph> graph;
  uint32_t childCount_;
  std::unique_ptr<Routing> routing;
  std::vector<std::unique_ptr<Router>> routers_;
  std::vector<Router *> routerAt; ///< By vertex; null for a bus tap.
  std::vector<std::unique_ptr<Link>> links_;
  Attachment parent;
  std::vector<Attachment> children;
  Router::Observer observer;
  /// By router vertex: 0 unknown, 1 its route to the parent has every
  /// link, -1 not.
  mutable std::vector<int8_t> reachesParent;
  uint64_t now_ = 0;
  /// Routers with words to move and links with words in flight or state to
  /// commit: step() visits only these (an idle part of a large array
  /// costs nothing), in index order.
  ActiveSet activeRouters, activeLinks;
  std::vector<uint32_t> stepping;
  std::vector<uint32_t> mediumRouters; ///< Buses: their rate ticks.
  size_t deliveries = 0;               ///< Words waiting in endpoint queues.
  bool progressed_ = false;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_NOC_H
