//===- sim/Router.cpp -----------------------------------------------------===//
#include "sim/Router.h"

#include "sim/Routing.h"

#include <algorithm>
#include <stdexcept>

namespace tessel::sim {

const char *stallCauseName(StallCause cause) {
  switch (cause) {
  case StallCause::NoCredit:
    return "no credit";
  case StallCause::OutputBusy:
    return "output busy";
  case StallCause::Bandwidth:
    return "bandwidth";
  }
  return "?";
}

uint64_t TrafficCounters::stalledCycles() const {
  uint64_t cycles = 0;
  for (uint64_t stalled : stalls)
    cycles += stalled;
  return cycles;
}

TrafficCounters &TrafficCounters::operator+=(const TrafficCounters &other) {
  words += other.words;
  for (unsigned cause = 0; cause < kStallCauses; ++cause)
    stalls[cause] += other.stalls[cause];
  return *this;
}

Router::Router(Config config, const Routing &routing)
    : config(std::move(config)), routing(routing) {
  if (this->config.medium)
    medium.emplace(this->config.medium);
}

// --- Wiring ---------------------------------------------------------------

void Router::addInput(Link &link) {
  linkInputs.push_back(static_cast<unsigned>(inputs.size()));
  Input input;
  input.link = &link;
  inputs.push_back(std::move(input));
}

void Router::addLocalInput(Endpoint endpoint) {
  portOf(parentInput, inputOfChild, endpoint) = static_cast<int>(inputs.size());
  Input input;
  input.endpoint = endpoint;
  inputs.push_back(std::move(input));
}

void Router::addOutput(unsigned vertex, Link &link, size_t credits) {
  Output output;
  output.name = link.name();
  output.link = &link;
  if (credits != 0)
    output.credits = credits;
  std::pair<unsigned, unsigned> entry = {vertex,
                                         static_cast<unsigned>(outputs.size())};
  outputByVertex.insert(
      std::lower_bound(outputByVertex.begin(), outputByVertex.end(), entry),
      entry);
  outputs.push_back(std::move(output));
}

void Router::addLocalOutput(unsigned vertex, Endpoint endpoint) {
  Output output;
  output.name = config.name + "->" + endpoint.str();
  unsigned index = static_cast<unsigned>(outputs.size());
  portOf(parentOutput, outputOfChild, endpoint) = static_cast<int>(index);
  std::pair<unsigned, unsigned> entry = {vertex, index};
  outputByVertex.insert(
      std::lower_bound(outputByVertex.begin(), outputByVertex.end(), entry),
      entry);
  outputs.push_back(std::move(output));
}

namespace {
using VertexPort = std::pair<unsigned, unsigned>;

std::vector<VertexPort>::const_iterator
findVertex(const std::vector<VertexPort> &ports, unsigned vertex) {
  auto found = std::lower_bound(ports.begin(), ports.end(), vertex,
                                [](const VertexPort &entry, unsigned wanted) {
                                  return entry.first < wanted;
                                });
  return found != ports.end() && found->first == vertex ? found : ports.end();
}
} // namespace

bool Router::hasOutputToward(unsigned vertex) const {
  return findVertex(outputByVertex, vertex) != outputByVertex.end();
}

unsigned Router::outputToward(unsigned vertex) const {
  auto found = findVertex(outputByVertex, vertex);
  if (found == outputByVertex.end())
    throw std::logic_error("router " + config.name +
                           ": no link towards graph vertex " +
                           std::to_string(vertex) + ", which " +
                           routing.name() + " routing asks for");
  return found->second;
}

int &Router::portOf(int &parent, std::vector<int> &children,
                    Endpoint endpoint) {
  if (endpoint.isParent())
    return parent;
  if (endpoint.id >= children.size())
    children.resize(size_t(endpoint.id) + 1, -1);
  return children[endpoint.id];
}

unsigned Router::localInput(Endpoint endpoint) const {
  int port = endpoint.isParent()                 ? parentInput
             : endpoint.id < inputOfChild.size() ? inputOfChild[endpoint.id]
                                                 : -1;
  if (port < 0)
    throw std::logic_error("router " + config.name + " has no port for " +
                           endpoint.str());
  return static_cast<unsigned>(port);
}

unsigned Router::localOutput(Endpoint endpoint) const {
  int port = endpoint.isParent()                  ? parentOutput
             : endpoint.id < outputOfChild.size() ? outputOfChild[endpoint.id]
                                                  : -1;
  if (port < 0)
    throw std::logic_error("router " + config.name + " has no port for " +
                           endpoint.str());
  return static_cast<unsigned>(port);
}

void Router::markOccupied(unsigned input) {
  if (inputs[input].listed)
    return;
  inputs[input].listed = true;
  // Appended; sorted at the next visit (a sorted insert per word would cost
  // a bus with thousands of taps time quadratic in them).
  if (!occupied.empty() && occupied.back() > input)
    occupiedSorted = false;
  occupied.push_back(input);
}

void Router::compactOccupied() {
  size_t kept = 0;
  for (unsigned index : occupied) {
    if (inputs[index].fifo.empty()) {
      inputs[index].listed = false;
      continue;
    }
    occupied[kept++] = index;
  }
  occupied.resize(kept);
  if (!occupiedSorted) {
    std::sort(occupied.begin(), occupied.end());
    occupiedSorted = true;
  }
}

// --- Endpoints ------------------------------------------------------------

bool Router::canInject(Endpoint endpoint) const {
  const Input &input = inputs[localInput(endpoint)];
  return config.bufferDepth == 0 || input.fifo.size() < config.bufferDepth;
}

void Router::inject(Endpoint endpoint, Flit flit) {
  if (!canInject(endpoint))
    throw std::logic_error("router " + config.name + ": " + endpoint.str() +
                           " injects into a full buffer");
  unsigned index = localInput(endpoint);
  inputs[index].fifo.push_back(std::move(flit));
  markOccupied(index);
  ++queued;
}

std::optional<Delivery> Router::receive(Endpoint endpoint) {
  Output &output = outputs[localOutput(endpoint)];
  if (output.delivered.empty())
    return std::nullopt;
  Delivery delivery = std::move(output.delivered.front());
  output.delivered.pop_front();
  if (deliveries)
    --*deliveries;
  return delivery;
}

// --- One cycle --------------------------------------------------------------

bool Router::compute(uint64_t cycle) {
  now = cycle;
  receiveCredits();
  bool progress = acceptArrivals();
  if (queued == 0)
    return progress; // Nothing to route; no word waits.
  for (Output &output : outputs)
    output.grantedThisCycle = 0;
  mediumGrantedThisCycle = 0;
  unsigned rounds = medium ? medium->burst() : config.wordsPerCycle;
  for (unsigned done = 0; rounds == 0 || done < rounds; ++done) {
    bool combined = routeHeads();
    bool moved = medium ? traverseMedium() : traverseCrossbar();
    if (!combined && !moved)
      break;
    progress = true;
  }
  countStalls();
  return progress;
}

void Router::commit() {
  if (medium)
    medium->tick();
}

void Router::receiveCredits() {
  for (Output &output : outputs)
    if (output.link) {
      unsigned credits = output.link->takeCredits();
      if (output.credits)
        *output.credits += credits;
    }
}

bool Router::acceptArrivals() {
  bool arrived = false;
  for (unsigned index : linkInputs) {
    Input &input = inputs[index];
    while (input.link->valid() && (config.bufferDepth == 0 ||
                                   input.fifo.size() < config.bufferDepth)) {
      input.fifo.push_back(input.link->pop());
      markOccupied(index);
      ++queued;
      arrived = true;
    }
  }
  return arrived;
}

bool Router::routeHeads() {
  bool combined = false;
  compactOccupied();
  for (unsigned index : occupied) {
    Input &input = inputs[index];
    if (!input.fifo.empty() && !input.head.routed)
      combined |= !routeHead(input);
  }
  return combined;
}

bool Router::routeHead(Input &input) {
  const Flit &flit = input.fifo.front();
  Head &head = input.head;
  head.pending.clear();
  head.completes = false;
  if (flit.direction == Direction::ToParent) {
    // A crossbar combines as the word reaches the head; a bus only when
    // the word wins the bus (traverseMedium).
    if (config.reduction && !medium && combineOrComplete(input))
      return false; // Added into a partial sum; the FIFO moved on.
    head.pending.push_back(
        {outputToward(routing.towardParent(config.vertex)), {}});
  } else if (!config.multicast) {
    if (head.unicastsLeft.empty()) {
      std::vector<uint32_t> children = flit.children.members();
      head.unicastsLeft.assign(children.rbegin(), children.rend());
    }
    uint32_t child = head.unicastsLeft.back();
    head.pending.push_back(
        {outputToward(routing.towardChild(config.vertex, child)), {child}});
  } else {
    // Fork: one copy per output whose subtree holds destinations.
    groupOfOutput.resize(outputs.size(), -1);
    flit.children.forEach([&](uint32_t child) {
      unsigned output = outputToward(routing.towardChild(config.vertex, child));
      int &group = groupOfOutput[output];
      if (group < 0) {
        group = static_cast<int>(head.pending.size());
        head.pending.push_back({output, {}});
      }
      head.pending[group].children.insert(child);
    });
    for (const Copy &copy : head.pending)
      groupOfOutput[copy.output] = -1;
  }
  head.routed = true;
  return true;
}

bool Router::combineOrComplete(Input &input) {
  const Flit &flit = input.fifo.front();
  ReductionKey key = {flit.tensor, flit.tag, flit.round};
  auto found = partials.find(key);
  uint64_t expected = 0, sum = flit.value, contributions = flit.contributions,
           senders = flit.senders;
  if (found != partials.end()) {
    expected = found->second.expected;
    sum += found->second.sum;
    contributions += found->second.contributions;
    senders += found->second.senders;
  } else {
    // The contributors whose routes to the parent pass here.
    flit.children.forEach([&](uint32_t child) {
      expected += routing.onRouteToParent(config.vertex, child);
    });
  }
  if (senders < expected) {
    Partial &partial = partials[key];
    partial = {sum, contributions, senders, expected};
    ++combined_;
    finishHead(input);
    return true;
  }
  input.head.completes = true;
  input.head.sum = sum;
  input.head.contributions = static_cast<uint32_t>(contributions);
  input.head.senders = static_cast<uint32_t>(senders);
  return false;
}

bool Router::traverseCrossbar() {
  bool moved = false;
  requested.clear();
  compactOccupied();
  for (unsigned index : occupied)
    if (inputs[index].head.routed)
      for (const Copy &copy : inputs[index].head.pending) {
        Output &output = outputs[copy.output];
        if (output.requesters.empty())
          requested.push_back(copy.output);
        output.requesters.push_back(index);
      }
  std::sort(requested.begin(), requested.end());
  for (unsigned index : requested) {
    Output &output = outputs[index];
    // Round robin: requesters from the first at or after the pointer. A
    // link takes one word a round; an endpoint every word it has room for
    // (its own ports are the endpoint's to model), and so does a link
    // without a rate or credit limit (the rounds would grant the same
    // words in the same order, one round each: a bus with thousands of
    // taps would cost rounds times taps).
    const bool takesAll =
        !output.link || (output.link->rate().unlimited() && !output.credits);
    std::vector<unsigned> &asking = output.requesters;
    size_t first =
        std::lower_bound(asking.begin(), asking.end(), output.nextInput) -
        asking.begin();
    for (size_t offset = 0; offset < asking.size() && canSend(output);
         ++offset) {
      unsigned winner = asking[(first + offset) % asking.size()];
      output.nextInput = winner + 1;
      send(winner, index);
      moved = true;
      if (!takesAll)
        break;
    }
    asking.clear();
  }
  return moved;
}

bool Router::traverseMedium() {
  if (!medium->allows())
    return false;
  // Round robin over the inputs from mediumNextInput on (only occupied
  // ones can have a routed head).
  compactOccupied();
  unsigned start = mediumNextInput % static_cast<unsigned>(inputs.size());
  size_t first = std::lower_bound(occupied.begin(), occupied.end(), start) -
                 occupied.begin();
  for (size_t offset = 0; offset < occupied.size(); ++offset) {
    unsigned index = occupied[(first + offset) % occupied.size()];
    Input &input = inputs[index];
    if (!input.head.routed)
      continue;
    // (Read before a partial sum joins one waiting here: that pops it.)
    const uint32_t tensor = input.fifo.front().tensor;
    bool granted = config.reduction &&
                   input.fifo.front().direction == Direction::ToParent &&
                   combineOrComplete(input);
    if (!granted)
      granted = std::all_of(
          input.head.pending.begin(), input.head.pending.end(),
          [&](const Copy &copy) { return canSend(outputs[copy.output]); });
    if (!granted)
      continue;
    // One word on the bus reaches every tap it is for at once (a partial
    // sum that joined one waiting here crossed it too).
    while (input.head.routed && !input.head.pending.empty())
      send(index, input.head.pending.front().output);
    medium->take(config.wordCosts && tensor < config.wordCosts->size()
                     ? (*config.wordCosts)[tensor]
                     : 1);
    mediumNextInput = index + 1;
    ++mediumGrantedThisCycle;
    return true;
  }
  return false;
}

bool Router::canSend(const Output &output) const {
  if (!output.link)
    return config.bufferDepth == 0 ||
           output.delivered.size() < config.bufferDepth;
  return (!output.credits || *output.credits > 0) && output.link->ready();
}

void Router::send(unsigned inputIndex, unsigned outputIndex) {
  Input &input = inputs[inputIndex];
  Head &head = input.head;
  Output &output = outputs[outputIndex];
  auto copy = std::find_if(
      head.pending.begin(), head.pending.end(),
      [&](const Copy &pending) { return pending.output == outputIndex; });
  const Flit &original = input.fifo.front();
  Flit flit = original.withChildren(original.direction == Direction::ToChildren
                                        ? std::move(copy->children)
                                        : original.children);
  if (original.direction == Direction::ToParent && head.completes) {
    flit.value = head.sum; // The reduction leaves carrying the sum.
    flit.contributions = head.contributions;
    flit.senders = head.senders;
  }
  head.pending.erase(copy);

  ++output.counters.words;
  ++output.grantedThisCycle;
  if (observer && *observer)
    (*observer)(*this, flit, now);
  if (output.link) {
    if (output.credits)
      --*output.credits;
    output.link->push(std::move(flit));
  } else {
    output.delivered.push_back({std::move(flit), now});
    if (deliveries)
      ++*deliveries;
  }

  if (!head.pending.empty())
    return;
  if (head.completes)
    partials.erase({original.tensor, original.tag, original.round});
  if (original.direction == Direction::ToChildren && !config.multicast) {
    head.unicastsLeft.pop_back();
    if (!head.unicastsLeft.empty()) { // The same word, to the next child.
      head.routed = false;
      return;
    }
  }
  finishHead(input);
}

void Router::finishHead(Input &input) {
  input.fifo.pop_front();
  --queued;
  // Reset, keeping the vectors' storage (no allocation per word).
  Head &head = input.head;
  head.routed = false;
  head.pending.clear();
  head.completes = false;
  head.sum = 0;
  head.contributions = 0;
  head.senders = 0;
  head.unicastsLeft.clear();
  if (input.link)
    input.link->returnCredit();
}

void Router::countStalls() {
  for (unsigned index : occupied) {
    const Input &input = inputs[index];
    if (input.head.routed)
      for (const Copy &copy : input.head.pending) {
        Output &output = outputs[copy.output];
        if (output.stallCountedIn == now)
          continue;
        output.stallCountedIn = now;
        ++output.counters.stalls[static_cast<unsigned>(stallCause(output))];
      }
  }
}

StallCause Router::stallCause(const Output &output) const {
  bool room = output.link ? !output.credits || *output.credits > 0
                          : config.bufferDepth == 0 ||
                                output.delivered.size() < config.bufferDepth;
  bool busy = medium ? mediumGrantedThisCycle > 0
                     : output.link && output.grantedThisCycle > 0;
  if (busy)
    return StallCause::OutputBusy;
  return room ? StallCause::Bandwidth : StallCause::NoCredit;
}

// --- Inspection -------------------------------------------------------------

const std::string &Router::outputName(size_t output) const {
  return outputs.at(output).name;
}

const TrafficCounters &Router::outputCounters(size_t output) const {
  return outputs.at(output).counters;
}

std::optional<size_t> Router::outputCredits(size_t output) const {
  const Output &port = outputs.at(output);
  if (port.link)
    return port.credits;
  if (config.bufferDepth == 0)
    return std::nullopt;
  return config.bufferDepth - port.delivered.size();
}

TrafficCounters Router::counters() const {
  TrafficCounters total;
  for (const Output &output : outputs)
    total += output.counters;
  return total;
}

bool Router::hasWork() const {
  if (queued != 0)
    return true;
  for (unsigned index : linkInputs)
    if (inputs[index].link->occupancy() != 0)
      return true;
  return false;
}

size_t Router::buffered() const {
  size_t words = queued;
  for (const Output &output : outputs)
    words += output.delivered.size();
  return words;
}

} // namespace tessel::sim
