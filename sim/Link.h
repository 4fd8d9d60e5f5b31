//===- sim/Link.h - One network link: bandwidth, latency, credits -*- C++
//-*-===//
//
// A Link carries flits one way: at most `bandwidth` words per cycle (a
// fractional rate by a credit accumulator, 0.5 = one word every other
// cycle; none = unlimited), each arriving `latency` cycles (>= 1) after it
// entered, through a bounded pipeline. Ready/valid: the sender may push
// while ready(), the receiver pops while valid(); a word the receiver does
// not take stays, and the pipeline fills until ready() drops. Beside the
// data runs a credit wire back to the sender (one cycle), which routers use
// for their buffer credits.
//
// Two-phase: in a cycle the sender and the receiver act in any order
// (ready() and valid() see the state the last commit() left); commit() ends
// the cycle. A test hook drops or duplicates the next word.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_LINK_H
#define TESSEL_SIM_LINK_H

#include "sim/Flit.h"
#include "support/RingQueue.h"

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace tessel::sim {

/// A words-per-cycle limit: each cycle adds `rate` to an allowance (capped
/// at ceil(rate), so an idle limiter does not save up bursts); a word takes
/// one. None: unlimited.
class RateLimiter {
public:
  explicit RateLimiter(std::optional<double> wordsPerCycle);

  bool unlimited() const { return !rate; }
  /// Whether a word may go this cycle.
  bool allows() const;
  void take();
  /// Whether something costing `words` words (a packed element's share,
  /// or a wide element's several) may go this cycle: the allowance holds
  /// it, or is full when it needs more than a cycle carries.
  bool allows(double words) const;
  /// Takes `words`; a cost above the allowance leaves a debt that the
  /// next cycles' rate repays.
  void take(double words);
  /// The end of a cycle.
  void tick();
  /// The most words one cycle can carry; 0 when unlimited.
  unsigned burst() const;
  /// Whether tick() leaves it as it is (unlimited, or a full allowance).
  bool full() const;

private:
  std::optional<double> rate;
  double allowance = 0;
};

/// The components of a network that have work this cycle, so that idle
/// ones are not stepped (sim/Noc.h): ids in the order they woke, each once.
struct ActiveSet {
  std::vector<uint32_t> list;
  std::vector<uint8_t> flag;

  void add(uint32_t id) {
    if (!flag[id]) {
      flag[id] = 1;
      list.push_back(id);
    }
  }
  /// Takes the list (sorted) and clears the set.
  void drainInto(std::vector<uint32_t> &out);
};

class Link {
public:
  /// `capacity` 0: room for the words of latency + 1 cycles (enough for
  /// the full rate when the receiver pops each word as it arrives);
  /// unbounded when the bandwidth is.
  Link(std::string name, std::optional<double> bandwidth, uint64_t latency,
       size_t capacity = 0);

  const std::string &name() const { return name_; }
  uint64_t latency() const { return latency_; }
  const RateLimiter &rate() const { return limiter; }

  // The sender.
  /// A word may enter this cycle: bandwidth left and room in the pipeline.
  bool ready() const;
  /// Sends a word (ready() must hold); it arrives latency() cycles later.
  void push(Flit flit);
  /// Credits the receiver returned before this cycle; resets them.
  unsigned takeCredits();

  // The receiver.
  /// A word has arrived.
  bool valid() const;
  const Flit &front() const;
  Flit pop();
  /// Frees one of the sender's credits (seen next cycle).
  void returnCredit() {
    ++creditsReturned;
    if (activeLinks)
      activeLinks->add(id);
  }

  /// The end of the cycle.
  void commit();

  /// Inside a network: the network's clock instead of its own (commit()
  /// then need not be called in a cycle in which the link is settled()),
  /// and the sets its pushes and credits wake: itself in `links` as `id`,
  /// its receiving router in `routers` as `receiver`.
  void attach(const uint64_t *clock, ActiveSet *links, uint32_t id,
              ActiveSet *routers, uint32_t receiver);
  /// Nothing in flight, nothing pushed or credited this cycle, its rate at
  /// its full allowance: commit() would only advance its clock.
  bool settled() const {
    return pipeline.empty() && pushedThisCycle == 0 && creditsReturned == 0 &&
           limiter.full();
  }

  uint64_t cycle() const { return clock ? *clock : now; }
  /// Words the link has carried (pushed).
  uint64_t words() const { return words_; }
  /// Words of tensor `tensor` it has carried.
  uint64_t wordsOf(uint32_t tensor) const {
    return tensor < wordsByTensor.size() ? wordsByTensor[tensor] : 0;
  }
  /// Link words an element of each tensor takes (arch/Packing.h: the
  /// words it spans, at least 1); unset or past its end: one each. The
  /// table outlives the link.
  void setWordCosts(const std::vector<double> *costs);
  /// The graph's hop weight of the link (energy and hop counts use it).
  unsigned hops() const { return hops_; }
  void setHops(unsigned hops) { hops_ = hops; }
  /// Words in the pipeline, arrived or not.
  size_t occupancy() const { return pipeline.size(); }

  /// Test hook: the next word pushed is lost, or delivered twice.
  enum class Fault { Drop, Duplicate };
  void injectFault(Fault fault) { nextFault = fault; }

private:
  struct InFlight {
    uint64_t arrival;
    Flit flit;
  };

  std::string name_;
  uint64_t latency_;
  size_t capacity;
  RateLimiter limiter;
  uint64_t now = 0;
  RingQueue<InFlight> pipeline; ///< Oldest first.
  size_t occupiedAtStart = 0;    ///< pipeline.size() at the last commit.
  size_t pushedThisCycle = 0;
  unsigned creditsReturned = 0;  ///< This cycle, seen after commit.
  unsigned creditsAvailable = 0; ///< Returned before this cycle.
  uint64_t words_ = 0;
  std::vector<uint64_t> wordsByTensor;
  unsigned hops_ = 1;
  std::optional<Fault> nextFault;
  const std::vector<double> *wordCosts = nullptr;
  double leastWordCost = 1;
  const uint64_t *clock = nullptr;
  ActiveSet *activeLinks = nullptr, *activeRouters = nullptr;
  uint32_t id = 0, receiver = 0;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_LINK_H
