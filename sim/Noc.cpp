//===- sim/Noc.cpp --------------------------------------------------------===//
#include "sim/Noc.h"

#include "arch/Arch.h"
#include "arch/NetworkGraph.h"

#include <algorithm>
#include <stdexcept>

namespace tessel::sim {

Noc::Noc(const Network &network, std::string name, NocOptions options)
    : wordCosts_(std::move(options.wordCosts)), name(std::move(name)),
      graph(network.graph) {
  if (!graph)
    throw std::invalid_argument("network " + this->name +
                                ": its graph is not built");
  childCount_ = graph->childCount();
  routing = Routing::forGraph(*graph);
  unsigned vertices = graph->vertexCount();
  std::vector<NetworkGraph::Edge> edges = graph->links();

  // A child whose every link has zero hops is a bus tap: it attaches to the
  // router at the other end of its taps.
  std::vector<bool> hasHop(vertices, false), hasTap(vertices, false);
  for (const NetworkGraph::Edge &edge : edges)
    for (unsigned end : {edge.from, edge.to})
      (edge.hops == 0 ? hasTap : hasHop)[end] = true;
  auto isChild = [&](unsigned v) { return v >= 1 && v <= childCount_; };
  auto isTap = [&](unsigned v) { return isChild(v) && !hasHop[v]; };

  std::optional<double> bandwidth = network.linkBandwidth;
  uint64_t hopLatency = std::max<uint64_t>(1, network.hopLatency);
  RateLimiter linkRate(bandwidth);
  size_t depth = options.bufferDepth;
  if (depth == 0 && bandwidth)
    depth = size_t(linkRate.burst()) * (hopLatency + 1);

  routerAt.assign(vertices, nullptr);
  std::vector<uint32_t> indexAt(vertices, 0);
  children.resize(childCount_);
  reachesParent.assign(vertices, 0);
  for (unsigned v = 0; v < vertices; ++v) {
    if (isTap(v))
      continue;
    Router::Config config;
    std::string label = vertexLabel(v);
    config.name = this->name + (label[0] == '(' ? label : "." + label);
    config.vertex = v;
    config.multicast = network.multicast;
    config.reduction = network.reduction;
    config.bufferDepth = depth;
    config.wordsPerCycle = linkRate.burst();
    config.wordCosts = &wordCosts_;
    // A bus: one medium for all its ports (unlimited, as the Arch says,
    // when it gives no bandwidth).
    if (hasTap[v] && (options.busWordsPerCycle || bandwidth))
      config.medium =
          options.busWordsPerCycle ? *options.busWordsPerCycle : *bandwidth;
    uint32_t index = uint32_t(routers_.size());
    routers_.push_back(std::make_unique<Router>(config, *routing));
    Router &router = *routers_.back();
    routerAt[v] = &router;
    indexAt[v] = index;
    if (router.isMedium())
      mediumRouters.push_back(index);
    router.countDeliveriesIn(&deliveries);
    // Local ports first: the endpoint at the vertex itself.
    if (v == NetworkGraph::kSource) {
      router.addLocalInput(Endpoint::parent());
      router.addLocalOutput(v, Endpoint::parent());
      parent = {&router, v, index};
    } else if (isChild(v)) {
      router.addLocalInput(Endpoint::child(v - 1));
      router.addLocalOutput(v, Endpoint::child(v - 1));
      children[v - 1] = {&router, v, index};
    }
  }
  // Then the taps, by child.
  for (const NetworkGraph::Edge &edge : edges) {
    if (edge.hops != 0)
      continue;
    if (!isTap(edge.to) && !isTap(edge.from))
      throw std::logic_error("network " + this->name +
                             ": a zero-hop link between two routers (only a "
                             "bus tap to a child can have zero hops)");
    if (!isTap(edge.to))
      continue; // The tap's way back: the same attachment.
    Router &bus = *routerAt[edge.from];
    Endpoint child = Endpoint::child(edge.to - 1);
    bus.addLocalInput(child);
    bus.addLocalOutput(edge.to, child);
    children[child.id] = {&bus, edge.to, indexAt[edge.from]};
  }
  // Then a link for every link with hops; inputs by upstream vertex.
  std::vector<std::vector<std::pair<unsigned, Link *>>> incoming(vertices);
  for (const NetworkGraph::Edge &edge : edges) {
    if (edge.hops == 0)
      continue;
    Router &from = *routerAt[edge.from];
    links_.push_back(
        std::make_unique<Link>(from.name() + "->" + vertexLabel(edge.to),
                               bandwidth, edge.hops * hopLatency));
    links_.back()->setHops(edge.hops);
    links_.back()->setWordCosts(&wordCosts_);
    links_.back()->attach(&now_, &activeLinks, uint32_t(links_.size() - 1),
                          &activeRouters, indexAt[edge.to]);
    from.addOutput(edge.to, *links_.back(), depth);
    incoming[edge.to].push_back({edge.from, links_.back().get()});
  }
  for (unsigned v = 0; v < vertices; ++v) {
    std::sort(incoming[v].begin(), incoming[v].end());
    for (auto &[from, link] : incoming[v])
      routerAt[v]->addInput(*link);
  }
  activeRouters.flag.assign(routers_.size(), 0);
  activeLinks.flag.assign(links_.size(), 0);
  // Every link commits until it has settled (a fresh rate limiter may
  // start below its full allowance).
  for (uint32_t i = 0; i < links_.size(); ++i)
    activeLinks.add(i);
}

std::string Noc::vertexLabel(unsigned vertex) const {
  if (vertex == NetworkGraph::kSource)
    return "parent";
  if (auto position = graph->gridPosition(vertex))
    return "(" + std::to_string((*position)[0]) + "," +
           std::to_string((*position)[1]) + ")";
  if (vertex <= childCount_)
    return "child" + std::to_string(vertex - 1);
  return "switch" + std::to_string(vertex - 1 - childCount_);
}

const Noc::Attachment &Noc::attachment(Endpoint at) const {
  if (at.isParent())
    return parent;
  if (at.id >= childCount_)
    throw std::invalid_argument("network " + name + " has no child " +
                                std::to_string(at.id) + " (it has " +
                                std::to_string(childCount_) + ")");
  return children[at.id];
}

bool Noc::canInject(Endpoint at) const {
  return attachment(at).router->canInject(at);
}

void Noc::inject(Endpoint at, Flit flit) {
  const Attachment &from = attachment(at);
  std::string why = refusal(at, flit);
  if (!why.empty())
    throw std::invalid_argument("network " + name + ": " + at.str() + " " +
                                why);
  from.router->inject(at, std::move(flit));
  activeRouters.add(from.index);
}

std::string Noc::refusal(Endpoint at, const Flit &flit) const {
  if (flit.children.empty())
    return "sends a word that names no child";
  uint32_t last = flit.children.back();
  if (last >= childCount_)
    return "names child " + std::to_string(last) + ", but the network has " +
           std::to_string(childCount_);
  unsigned start = attachment(at).router->vertex();
  if (flit.direction == Direction::ToParent) {
    if (at.isParent())
      return "sends a word to itself";
    if (!flit.children.contains(at.id))
      return "sends a word to the parent whose children " +
             flit.children.str() + " do not include the sender";
    if (!routeHasLinks(start, Endpoint::parent()))
      return "has no route to the parent: the graph lacks a link on it "
             "(a " +
             std::string(routing->name()) + " route)";
    return "";
  }
  if (at.isParent())
    return ""; // Routes from the parent follow the graph's own links.
  if (flit.children.contains(at.id))
    return "sends a word to itself";
  std::string missing;
  flit.children.forEach([&](uint32_t child) {
    if (missing.empty() && !routeHasLinks(start, Endpoint::child(child)))
      missing = "has no route to child " + std::to_string(child) +
                ": the graph lacks a link on it";
  });
  return missing;
}

bool Noc::routeHasLinks(unsigned from, Endpoint to) const {
  int8_t *known = to.isParent() ? &reachesParent[from] : nullptr;
  if (known && *known != 0)
    return *known > 0;
  bool complete = false;
  unsigned at = from;
  for (unsigned hops = 0; hops <= graph->vertexCount(); ++hops) {
    unsigned next = to.isParent() ? routing->towardParent(at)
                                  : routing->towardChild(at, to.id);
    if (next == at || !routerAt[next]) { // Arrived, or reached its tap.
      complete = next == at || routerAt[at]->hasOutputToward(next);
      break;
    }
    if (!routerAt[at]->hasOutputToward(next))
      break;
    at = next;
  }
  if (known)
    *known = complete ? 1 : -1;
  return complete;
}

std::optional<Delivery> Noc::receive(Endpoint at) {
  return attachment(at).router->receive(at);
}

void Noc::step() {
  // A router computes in a cycle when words wait in its FIFOs or travel on
  // its input links; the others would find nothing to do.
  progressed_ = false;
  activeRouters.drainInto(stepping);
  for (uint32_t index : stepping) {
    Router &router = *routers_[index];
    progressed_ |= router.compute(now_);
    if (router.hasWork())
      activeRouters.add(index);
  }
  for (uint32_t index : mediumRouters)
    routers_[index]->commit();
  activeLinks.drainInto(stepping);
  for (uint32_t index : stepping) {
    Link &link = *links_[index];
    link.commit();
    progressed_ |= link.occupancy() != 0;
    if (!link.settled())
      activeLinks.add(index);
  }
  ++now_;
}

bool Noc::idle() const {
  if (!activeRouters.list.empty())
    return false;
  for (uint32_t index : activeLinks.list)
    if (links_[index]->occupancy() != 0)
      return false;
  // Links not active have settled: nothing in flight; routers not active
  // have empty FIFOs. Words may still wait in endpoint queues, sums in
  // partial reductions.
  if (deliveries != 0)
    return false;
  for (const auto &router : routers_)
    if (router->pendingReductions() != 0)
      return false;
  return true;
}

void Noc::setObserver(Router::Observer observer) {
  this->observer = std::move(observer);
  for (auto &router : routers_)
    router->setObserver(&this->observer);
}

Link &Noc::link(const std::string &linkName) {
  for (auto &link : links_)
    if (link->name() == linkName)
      return *link;
  throw std::out_of_range("network " + name + " has no link " + linkName);
}

const Router &Noc::router(const std::string &routerName) const {
  for (const auto &router : routers_)
    if (router->name() == routerName)
      return *router;
  throw std::out_of_range("network " + name + " has no router " + routerName);
}

TrafficCounters Noc::counters(const std::string &componentName) const {
  for (const auto &router : routers_) {
    if (router->name() == componentName)
      return router->counters();
    for (size_t output = 0; output < router->outputCount(); ++output)
      if (router->outputName(output) == componentName)
        return router->outputCounters(output);
  }
  throw std::out_of_range("network " + name + " has no router or link " +
                          componentName);
}

std::string Noc::stallReport() const {
  std::string report;
  for (const auto &router : routers_)
    for (size_t output = 0; output < router->outputCount(); ++output) {
      const TrafficCounters &counters = router->outputCounters(output);
      if (counters.stalledCycles() == 0)
        continue;
      std::string causes;
      for (unsigned cause = 0; cause < kStallCauses; ++cause)
        if (counters.stalls[cause] != 0)
          causes += (causes.empty() ? "" : ", ") +
                    std::to_string(counters.stalls[cause]) + " cycles " +
                    stallCauseName(static_cast<StallCause>(cause));
      report += router->outputName(output) + ": " + causes + "\n";
    }
  return report;
}

} // namespace tessel::sim
