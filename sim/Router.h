//===- sim/Router.h - A router or switch of a network ----------*- C++ -*-===//
//
// One vertex of a network graph, the shape of a wormhole router without
// virtual channels (each flit is a one-word packet). Per cycle, compute()
// calls its steps once, in order:
//
//   receiveCredits  credits the downstream routers returned (one per flit
//                   that left their input FIFO) refill the output counters
//   acceptArrivals  words that arrived on the input links enter the input
//                   FIFOs (bounded; the credits guarantee room)
//   then up to wordsPerCycle rounds of
//     routeHeads    the head of each input FIFO gets its output ports from
//                   the routing function: a multicast forks into one copy
//                   per output whose subtree holds destinations, each copy
//                   carrying that subset; a reduction word that is not the
//                   last of its (tensor, tag, round) here is added into the
//                   router's partial sum instead (the last one leaves
//                   carrying the sum)
//     traverse      each output grants one requesting input, round robin,
//                   when it has a credit and its link is ready; the granted
//                   copy crosses the crossbar onto the link (an endpoint's
//                   port takes every word its queue has room for). A bus
//                   (a shared medium) instead grants one head per round
//                   over all its ports and sends all its copies at once.
//   countStalls     every output a head still waits for counts a stalled
//                   cycle, by cause
//
// commit() ends the cycle. Local ports connect endpoints (the parent, a
// child): they inject into an input FIFO and receive from an output queue,
// between cycles.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_SIM_ROUTER_H
#define TESSEL_SIM_ROUTER_H

#include "sim/Flit.h"
#include "sim/Link.h"
#include "support/RingQueue.h"

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace tessel::sim {

class Routing;

/// Why a word waited for an output port in a cycle.
enum class StallCause : uint8_t {
  NoCredit,   ///< The downstream buffer was full.
  OutputBusy, ///< The port (or the bus) carried other words this cycle.
  Bandwidth,  ///< The link was idle but at its rate limit or full.
};
constexpr unsigned kStallCauses = 3;
/// "no credit", "output busy", "bandwidth".
const char *stallCauseName(StallCause cause);

struct TrafficCounters {
  uint64_t words = 0;
  std::array<uint64_t, kStallCauses> stalls{}; ///< Cycles, by cause.

  uint64_t stalled(StallCause cause) const {
    return stalls[static_cast<unsigned>(cause)];
  }
  uint64_t stalledCycles() const;
  TrafficCounters &operator+=(const TrafficCounters &other);
};

class Router {
public:
  struct Config {
    std::string name;
    unsigned vertex = 0;
    bool multicast = false;     ///< Else a multi-destination word leaves as
                                ///< one unicast after another.
    bool reduction = false;     ///< Sums words going to the parent.
    size_t bufferDepth = 0;     ///< Words per input FIFO and per endpoint
                                ///< queue; 0 = unbounded.
    unsigned wordsPerCycle = 0; ///< Per port; 0 = unlimited.
    /// A shared medium (a bus): words per cycle over the whole router.
    std::optional<double> medium;
    /// Medium words an element of each tensor takes; null: one each.
    const std::vector<double> *wordCosts = nullptr;
  };
  /// Called for every copy that leaves a router, with the cycle.
  using Observer =
      std::function<void(const Router &, const Flit &, uint64_t cycle)>;

  Router(Config config, const Routing &routing);

  // Wiring, once.
  void addInput(Link &link);
  void addLocalInput(Endpoint endpoint);
  /// An output to neighbour `vertex` over `link`, whose far end buffers
  /// `credits` words (0 = unbounded).
  void addOutput(unsigned vertex, Link &link, size_t credits);
  /// The output that hands words to `endpoint`, at graph vertex `vertex`.
  void addLocalOutput(unsigned vertex, Endpoint endpoint);
  void setObserver(const Observer *observer) { this->observer = observer; }
  /// A counter of words waiting in its endpoint queues, kept up to date
  /// (a network adds its routers' up: sim/Noc.h).
  void countDeliveriesIn(size_t *counter) { deliveries = counter; }
  /// Whether it has an output to graph vertex `vertex`.
  bool hasOutputToward(unsigned vertex) const;

  // Endpoints, between cycles.
  bool canInject(Endpoint endpoint) const;
  void inject(Endpoint endpoint, Flit flit);
  std::optional<Delivery> receive(Endpoint endpoint);

  // One cycle. Whether a word moved: arrived, was combined or was sent.
  bool compute(uint64_t now);
  void commit();

  // Inspection.
  const std::string &name() const { return config.name; }
  unsigned vertex() const { return config.vertex; }
  size_t outputCount() const { return outputs.size(); }
  /// "mesh(1,0)->(1,1)" (a link's name), "mesh(1,1)->child3" (local).
  const std::string &outputName(size_t output) const;
  const TrafficCounters &outputCounters(size_t output) const;
  /// Credits left on an output (words the downstream buffer can still
  /// take); nullopt when unbounded.
  std::optional<size_t> outputCredits(size_t output) const;
  /// Every output's words and stalled cycles added up.
  TrafficCounters counters() const;
  /// Reduction words added into a partial sum here.
  uint64_t combined() const { return combined_; }
  /// Words in its input FIFOs and endpoint queues.
  size_t buffered() const;
  /// Reductions with a partial sum waiting for more words.
  size_t pendingReductions() const { return partials.size(); }
  /// Whether compute() has anything to do: words in its input FIFOs or on
  /// its input links.
  bool hasWork() const;
  /// Whether it is a shared medium (its commit() must run every cycle).
  bool isMedium() const { return medium.has_value(); }

private:
  struct Copy {
    unsigned output;
    ChildSet children; ///< ToChildren: the destinations beyond.
  };
  /// What the head of an input FIFO still has to do.
  struct Head {
    bool routed = false;
    std::vector<Copy> pending; ///< Copies not yet sent.
    /// The reduction completes here: the word leaves carrying the sum.
    bool completes = false;
    uint64_t sum = 0;
    uint32_t contributions = 0;
    uint32_t senders = 0;
    /// A router that cannot multicast: destinations still to send, last
    /// first.
    std::vector<uint32_t> unicastsLeft;
  };
  struct Input {
    Link *link = nullptr; ///< Null: a local port.
    Endpoint endpoint;    ///< A local port's.
    RingQueue<Flit> fifo;
    Head head;
    bool listed = false; ///< In `occupied`.
  };
  struct Output {
    std::string name;
    Link *link = nullptr; ///< Null: a local port.
    std::optional<size_t> credits;
    RingQueue<Delivery> delivered; ///< A local port's queue.
    unsigned nextInput = 0;         ///< Round-robin pointer.
    unsigned grantedThisCycle = 0;
    uint64_t stallCountedIn = UINT64_MAX;
    std::vector<unsigned> requesters; ///< Inputs asking, this round.
    TrafficCounters counters;
  };
  /// A reduction is one (tensor, tag) of one round: sums of the same word
  /// from a later tile of the senders must not join an earlier one's.
  struct ReductionKey {
    uint32_t tensor;
    uint64_t tag;
    uint64_t round;
    bool operator==(const ReductionKey &other) const {
      return tensor == other.tensor && tag == other.tag && round == other.round;
    }
  };
  struct ReductionKeyHash {
    size_t operator()(const ReductionKey &key) const {
      return std::hash<uint64_t>()((key.tag * 0x9e3779b97f4a7c15ull ^
                                    key.round * 0xc2b2ae3d27d4eb4full) ^
                                   key.tensor);
    }
  };
  struct Partial {
    uint64_t sum = 0;
    uint64_t contributions = 0;
    uint64_t senders = 0;
    uint64_t expected = 0;
  };

  void receiveCredits();
  bool acceptArrivals();
  /// Whether a head was added into a partial sum.
  bool routeHeads();
  bool traverseCrossbar();
  bool traverseMedium();
  void countStalls();

  /// Routes the head of `input`; false when it was added into a partial
  /// sum instead.
  bool routeHead(Input &input);
  /// Whether the reduction head of `input` is added into a partial sum
  /// (it is, then); else it leaves carrying the sum.
  bool combineOrComplete(Input &input);
  bool canSend(const Output &output) const;
  void send(unsigned input, unsigned output);
  void finishHead(Input &input);
  StallCause stallCause(const Output &output) const;
  unsigned outputToward(unsigned vertex) const;
  unsigned localInput(Endpoint endpoint) const;
  unsigned localOutput(Endpoint endpoint) const;

  Config config;
  const Routing &routing;
  const Observer *observer = nullptr;
  size_t *deliveries = nullptr;
  std::vector<Input> inputs;
  std::vector<Output> outputs;
  std::vector<std::pair<unsigned, unsigned>> outputByVertex; ///< Sorted.
  /// Local ports by endpoint: the parent's, and by child number (-1: none).
  int parentInput = -1, parentOutput = -1;
  std::vector<int> inputOfChild, outputOfChild;
  /// Inputs whose FIFO holds words, ascending (the steps of a cycle visit
  /// only these: a bus with a thousand taps costs what its busy ones do);
  /// entries whose FIFO emptied are dropped at the next visit.
  std::vector<unsigned> occupied;
  bool occupiedSorted = true;
  std::vector<unsigned> linkInputs; ///< Inputs fed by a link.
  void markOccupied(unsigned input);
  void compactOccupied();
  static int &portOf(int &parent, std::vector<int> &children,
                     Endpoint endpoint);
  std::unordered_map<ReductionKey, Partial, ReductionKeyHash> partials;
  std::optional<RateLimiter> medium;
  unsigned mediumNextInput = 0;
  unsigned mediumGrantedThisCycle = 0;
  std::vector<unsigned> requested; ///< Outputs asked for, this round.
  std::vector<int> groupOfOutput;  ///< Scratch for forking a multicast.
  uint64_t now = 0;
  size_t queued = 0; ///< Words in the input FIFOs.
  uint64_t combined_ = 0;
};

} // namespace tessel::sim

#endif // TESSEL_SIM_ROUTER_H
