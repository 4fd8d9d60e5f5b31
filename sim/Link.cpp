//===- sim/Link.cpp -------------------------------------------------------===//
#include "sim/Link.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace tessel::sim {
namespace {
/// Tolerance for fractional rates that do not sum exactly (0.1 ten times).
constexpr double kEpsilon = 1e-9;
} // namespace

RateLimiter::RateLimiter(std::optional<double> wordsPerCycle)
    : rate(wordsPerCycle) {
  if (rate && !(*rate > 0))
    throw std::invalid_argument("a rate needs more than 0 words per cycle, "
                                "got " +
                                std::to_string(*rate));
  if (rate)
    allowance = std::min(std::max(1.0, *rate), double(burst()));
}

bool RateLimiter::allows() const { return !rate || allowance >= 1 - kEpsilon; }

void RateLimiter::take() {
  if (rate)
    allowance -= 1;
}

bool RateLimiter::allows(double words) const {
  return !rate || allowance >= std::min(words, double(burst())) - kEpsilon;
}

void RateLimiter::take(double words) {
  if (rate)
    allowance -= words;
}

void RateLimiter::tick() {
  if (rate)
    allowance = std::min(allowance + *rate, double(burst()));
}

bool RateLimiter::full() const {
  return !rate || allowance >= double(burst()) - kEpsilon;
}

void ActiveSet::drainInto(std::vector<uint32_t> &out) {
  out.swap(list);
  list.clear();
  std::sort(out.begin(), out.end());
  for (uint32_t id : out)
    flag[id] = 0;
}

unsigned RateLimiter::burst() const {
  return rate ? unsigned(std::max(1.0, std::ceil(*rate - kEpsilon))) : 0;
}

Link::Link(std::string name, std::optional<double> bandwidth, uint64_t latency,
           size_t capacity)
    : name_(std::move(name)), latency_(latency), capacity(capacity),
      limiter(bandwidth) {
  if (latency_ == 0)
    throw std::invalid_argument("link " + name_ +
                                ": latency must be at least one cycle");
  if (this->capacity == 0)
    this->capacity = limiter.unlimited()
                         ? std::numeric_limits<size_t>::max()
                         : size_t(latency_ + 1) * limiter.burst();
}

bool Link::ready() const {
  return limiter.allows(leastWordCost) &&
         occupiedAtStart + pushedThisCycle < capacity;
}

void Link::setWordCosts(const std::vector<double> *costs) {
  wordCosts = costs;
  leastWordCost = 1;
  if (costs && !costs->empty())
    leastWordCost =
        std::max(1.0, *std::min_element(costs->begin(), costs->end()));
}

void Link::push(Flit flit) {
  if (!ready())
    throw std::logic_error("link " + name_ + ": push while not ready");
  limiter.take(wordCosts && flit.tensor < wordCosts->size()
                   ? (*wordCosts)[flit.tensor]
                   : 1);
  ++pushedThisCycle;
  ++words_;
  if (flit.tensor >= wordsByTensor.size())
    wordsByTensor.resize(size_t(flit.tensor) + 1, 0);
  ++wordsByTensor[flit.tensor];
  uint64_t arrival = cycle() + latency_;
  if (activeLinks) {
    activeLinks->add(id);
    activeRouters->add(receiver);
  }
  std::optional<Fault> fault = nextFault;
  nextFault.reset();
  if (fault == Fault::Drop)
    return;
  if (fault == Fault::Duplicate)
    pipeline.push_back({arrival, flit});
  pipeline.push_back({arrival, std::move(flit)});
}

unsigned Link::takeCredits() {
  unsigned credits = creditsAvailable;
  creditsAvailable = 0;
  return credits;
}

bool Link::valid() const {
  return !pipeline.empty() && pipeline.front().arrival <= cycle();
}

const Flit &Link::front() const {
  if (!valid())
    throw std::logic_error("link " + name_ + ": front while not valid");
  return pipeline.front().flit;
}

Flit Link::pop() {
  if (!valid())
    throw std::logic_error("link " + name_ + ": pop while not valid");
  Flit flit = std::move(pipeline.front().flit);
  pipeline.pop_front();
  return flit;
}

void Link::attach(const uint64_t *clock, ActiveSet *links, uint32_t id,
                  ActiveSet *routers, uint32_t receiver) {
  this->clock = clock;
  activeLinks = links;
  activeRouters = routers;
  this->id = id;
  this->receiver = receiver;
}

void Link::commit() {
  ++now;
  limiter.tick();
  occupiedAtStart = pipeline.size();
  pushedThisCycle = 0;
  creditsAvailable += creditsReturned;
  creditsReturned = 0;
}

} // namespace tessel::sim
