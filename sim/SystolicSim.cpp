//===- sim/SystolicSim.cpp - A systolic level, simulated cycle by cycle ---===//

#include "sim/SystolicSim.h"
#include "sim/Trace.h"

#include "sim/TensorSpace.h"

#include "support/Interrupt.h"
#include "workloads/Problem.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <stdexcept>

namespace tessel::sim {
namespace {

/// Every tensor's words by coordinates: the systolic level's buffer. It
/// counts its own reads, writes and updates.
class Store : public WordSource {
public:
  explicit Store(const Problem &problem)
      : bounds(problem.bounds()), spaces(tensorSpaces(problem)) {
    tensors.resize(spaces.size());
    for (unsigned t = 0; t < spaces.size(); ++t) {
      tensors[t].values.assign(spaces[t].words, 0);
      tensors[t].written.assign(spaces[t].words, 0);
    }
  }

  bool ready(uint64_t) override { return true; }
  bool valid(unsigned t, const int64_t *point) const override {
    return spaces[t].valid(point, bounds);
  }
  uint64_t address(unsigned t, const int64_t *point) const override {
    return spaces[t].addressAt(point);
  }
  int64_t read(unsigned t, uint64_t address, uint64_t) override {
    ++tensors[t].reads;
    return tensors[t].values[address];
  }
  /// An output word arriving: written if the buffer holds none for its
  /// address yet, else added to what it holds (an update).
  void accumulate(unsigned t, uint64_t address, int64_t value,
                  uint64_t) override {
    TensorWords &words = tensors[t];
    if (words.written[address]) {
      ++words.updates;
      words.values[address] += value;
    } else {
      words.written[address] = 1;
      ++words.writes;
      words.values[address] = value;
    }
  }

  struct TensorWords {
    std::vector<int64_t> values;
    std::vector<uint8_t> written;
    uint64_t reads = 0, writes = 0, updates = 0;
  };
  std::vector<int64_t> bounds;
  std::vector<TensorSpace> spaces;
  std::vector<TensorWords> tensors;
};

/// Indices of a loop list for a linear position (the last loop fastest),
/// added into `point` with each loop's weight.
void addPoint(const std::vector<NestLoop> &loops, uint64_t position,
              int64_t *point) {
  for (size_t i = loops.size(); i-- > 0;) {
    point[loops[i].dim] +=
        int64_t(position % loops[i].factor) * loops[i].weight;
    position /= loops[i].factor;
  }
}

/// The output against a direct walk of the iteration space: "" or the
/// first wrong word.
std::string checkOutput(const Problem &problem, const Store &store,
                        unsigned out) {
  const unsigned a = out == 0 ? 1 : 0, b = 3 - out - a;
  std::vector<uint8_t> touched;
  std::vector<int64_t> expected =
      referenceOutput(problem, store.spaces, store.tensors[a].values,
                      store.tensors[b].values, out, &touched);
  const Store::TensorWords &result = store.tensors[out];
  const std::string name = "output " + problem.tensors[out].name;
  for (uint64_t i = 0; i < expected.size(); ++i) {
    if (touched[i] != result.written[i])
      return name + store.spaces[out].describe(i) +
             (touched[i] ? " was never written"
                         : " was written but is not an output of the op");
    if (expected[i] != result.values[i])
      return name + store.spaces[out].describe(i) + " is " +
             std::to_string(result.values[i]) + ", expected " +
             std::to_string(expected[i]);
  }
  return "";
}

struct FoldState {
  uint64_t index = 0;
  std::vector<int64_t> point; ///< The fold loops' part of the point.
  int64_t loadStart = -1;
  int64_t streamStart = -1;
  bool latched = false;
  uint64_t marks = 0;
  bool complete = false;
  uint64_t end = 0;
  uint64_t outputs = 0;  ///< Output-stationary: valid sums it drains.
  uint64_t landed = 0;   ///< Of those, the ones in the buffer.
  bool notified = false; ///< The buffer was told it is done.
};

enum Share { Compute, Stalled, Loading, FillDrain, OutputDrain, Waiting };
const char *kShareNames[] = {
    "compute (a MAC in some PE)",
    "stall: drain registers full",
    "stationary load (shifting operands in)",
    "pipeline fill/drain (words in flight, no MAC)",
    "output drain (after the last MAC)",
    "waiting (nothing in flight)",
};

} // namespace

uint64_t systolicStoreWords(const Problem &problem) {
  uint64_t total = 0;
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    uint64_t words = TensorSpace(problem, t).words;
    if (words == 0 || total > UINT64_MAX - words)
      return UINT64_MAX;
    total += words;
  }
  return total;
}

SystolicRun runSystolic(const Problem &problem, const SystolicPlan &plan,
                        const SystolicRunOptions &options) {
  auto started = std::chrono::steady_clock::now();
  Store store(problem);
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    if (t != plan.output)
      fillSeeded(store.tensors[t].values, options.seed, t);
  SystolicRun run = runSystolic(problem, plan, store, options,
                                [](uint64_t) { return false; });
  for (const Store::TensorWords &words : store.tensors) {
    run.reads.push_back(words.reads);
    run.writes.push_back(words.writes);
    run.updates.push_back(words.updates);
  }
  if (options.functional && run.error.empty()) {
    run.checked = true;
    run.mismatch = checkOutput(problem, store, plan.output);
  }
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return run;
}

SystolicRun runSystolic(const Problem &problem, const SystolicPlan &plan,
                        WordSource &store, const SystolicRunOptions &options,
                        const std::function<bool(uint64_t)> &eachCycle) {
  auto started = std::chrono::steady_clock::now();
  SystolicRun run;
  run.plan = plan;
  run.injected.assign(problem.tensors.size(), 0);
  const unsigned rows = plan.rows, cols = plan.cols;
  const size_t dimCount = problem.dims.size();
  const bool reduce = plan.mode == SystolicArray::Mode::Reduce;
  if (plan.folds > UINT32_MAX) {
    run.error = "more than 2^32 folds";
    return run;
  }

  SystolicArray array(
      {rows, cols, plan.mode, plan.macLatency, plan.timing.stationaryBuffers});
  array.injectFault(options.fault);

  // Each lane's part of the iteration space (its PE coordinates).
  std::vector<std::vector<int64_t>> rowPoint(rows), colPoint(cols);
  for (unsigned r = 0; r < rows; ++r) {
    rowPoint[r].assign(dimCount, 0);
    if (r < plan.rowsUsed)
      addPoint(plan.rowLoops, r, rowPoint[r].data());
  }
  for (unsigned c = 0; c < cols; ++c) {
    colPoint[c].assign(dimCount, 0);
    if (c < plan.colsUsed)
      addPoint(plan.colLoops, c, colPoint[c].data());
  }
  const uint64_t steps = plan.streamSteps;
  std::vector<int64_t> streamTable;
  const bool tabled = steps * dimCount <= (uint64_t(1) << 22);
  if (tabled) {
    streamTable.assign(steps * dimCount, 0);
    for (uint64_t s = 0; s < steps; ++s)
      addPoint(plan.streamLoops, s, &streamTable[s * dimCount]);
  }
  std::vector<int64_t> scratch(dimCount), streamScratch(dimCount);
  auto streamPoint = [&](uint64_t s) -> const int64_t * {
    if (tabled)
      return &streamTable[s * dimCount];
    std::fill(streamScratch.begin(), streamScratch.end(), 0);
    addPoint(plan.streamLoops, s, streamScratch.data());
    return streamScratch.data();
  };
  // A word of tensor t at fold + lanes + stream; reads it from the buffer
  // if it is an input with data.
  auto makeWord = [&](unsigned t, const FoldState &fold, const int64_t *a,
                      const int64_t *b, bool laneUsed, bool isInput) {
    for (size_t d = 0; d < dimCount; ++d)
      scratch[d] = fold.point[d] + a[d] + b[d];
    Word word;
    word.present = true;
    word.fold = uint32_t(fold.index);
    word.valid = laneUsed && store.valid(t, scratch.data());
    if (word.valid) {
      word.address = store.address(t, scratch.data());
      if (isInput)
        word.value = store.read(t, word.address, fold.index);
      ++run.injected[t];
    }
    return word;
  };
  auto skewLeft = [&](unsigned r) {
    return uint64_t(r) * (reduce ? plan.macLatency : 1);
  };
  auto skewTop = [&](unsigned c) { return uint64_t(c); };
  const uint64_t maxSkew = std::max(skewLeft(rows - 1), skewTop(cols - 1));

  std::deque<FoldState> folds; // From the oldest incomplete fold on.
  uint64_t firstFold = 0;      // Index of folds.front().
  auto state = [&](uint64_t f) -> FoldState & {
    while (firstFold + folds.size() <= f) {
      FoldState fresh;
      fresh.index = firstFold + folds.size();
      fresh.point.assign(dimCount, 0);
      addPoint(plan.foldLoops, fresh.index, fresh.point.data());
      folds.push_back(std::move(fresh));
    }
    return folds[f - firstFold];
  };
  std::vector<FoldRecord> records(plan.folds);
  struct Stream {
    uint64_t fold;
    uint64_t start;
  };
  std::vector<Stream> streams;
  uint64_t nextLoad = 0, nextStream = 0, completed = 0;
  int64_t loadingFold = -1;
  unsigned loadStep = 0;
  uint64_t lastStreamStart = 0;
  bool lastComplete = true; // Of fold nextStream - 1.
  uint64_t shares[6] = {0, 0, 0, 0, 0, 0};
  uint64_t quiet = 0, stuck = 0;
  // A DRAM slower than a word per cycle may rightly keep the array waiting
  // that long between words: the bound grows with it.
  const uint64_t watchdog =
      4 * (steps + uint64_t(rows) * (plan.macLatency + 1) + cols) + 64 +
      4 * plan.slowestWordCycles;
  bool edgesHeld = false; // The array stalled: its edges keep their words.
  auto lastProgress = started;
  ProgressLine progressLine;

  for (uint64_t t = 0;; ++t) {
    bool elsewhere = eachCycle(t); // The hardware around the array.
    // The fold controller: loads, then streams, as the array and the
    // buffer allow.
    bool waitingForBuffer = false;
    if (reduce && loadingFold < 0 && nextLoad < plan.folds) {
      bool ready = nextLoad == 0 || (plan.timing.stationaryBuffers == 1
                                         ? state(nextLoad - 1).complete
                                         : state(nextLoad - 1).latched);
      if (ready && !store.ready(nextLoad)) {
        ready = false;
        waitingForBuffer = true;
      }
      if (ready) {
        loadingFold = int64_t(nextLoad++);
        state(uint64_t(loadingFold)).loadStart = int64_t(t);
        loadStep = 0;
      }
    }
    if (loadingFold >= 0 && loadStep < rows) {
      FoldState &fold = state(uint64_t(loadingFold));
      unsigned r = rows - 1 - loadStep++; // The bottom row's word first.
      for (unsigned c = 0; c < cols; ++c)
        array.load(c) = makeWord(unsigned(plan.stationary), fold,
                                 rowPoint[r].data(), colPoint[c].data(),
                                 r < plan.rowsUsed && c < plan.colsUsed, true);
    }
    if (nextStream < plan.folds) {
      FoldState &fold = state(nextStream);
      bool ready =
          reduce ? fold.latched : array.canSetOutputs(uint32_t(fold.index));
      if (ready && !reduce && !store.ready(nextStream)) {
        ready = false;
        waitingForBuffer = true;
      }
      if (nextStream > 0)
        ready = ready && (plan.timing.foldOverlap ? t >= lastStreamStart + steps
                                                  : lastComplete);
      if (ready) {
        fold.streamStart = int64_t(t);
        if (fold.loadStart < 0)
          fold.loadStart = int64_t(t);
        if (!reduce) {
          std::vector<Word> program(size_t(rows) * cols);
          for (unsigned r = 0; r < rows; ++r)
            for (unsigned c = 0; c < cols; ++c)
              program[size_t(r) * cols + c] = makeWord(
                  plan.output, fold, rowPoint[r].data(), colPoint[c].data(),
                  r < plan.rowsUsed && c < plan.colsUsed, false);
          array.setOutputs(uint32_t(fold.index), program);
          for (const Word &word : program)
            fold.outputs += word.valid;
        }
        streams.push_back({nextStream, t});
        lastStreamStart = t;
        lastComplete = false;
        ++nextStream;
      }
    }
    // The edge ports: each lane's next word, skewed.
    for (const Stream &stream : edgesHeld ? std::vector<Stream>() : streams) {
      const FoldState &fold = state(stream.fold);
      for (unsigned r = 0; r < rows; ++r) {
        uint64_t since = t - stream.start;
        if (since < skewLeft(r) || since - skewLeft(r) >= steps)
          continue;
        uint64_t s = since - skewLeft(r);
        Word word = makeWord(plan.horizontal, fold, rowPoint[r].data(),
                             streamPoint(s), r < plan.rowsUsed, true);
        word.last = s + 1 == steps;
        array.left(r) = word;
      }
      for (unsigned c = 0; c < cols; ++c) {
        uint64_t since = t - stream.start;
        if (since < skewTop(c) || since - skewTop(c) >= steps)
          continue;
        uint64_t s = since - skewTop(c);
        Word word = makeWord(reduce ? plan.output : plan.vertical, fold,
                             colPoint[c].data(), streamPoint(s),
                             c < plan.colsUsed, !reduce);
        word.value = reduce ? 0 : word.value;
        word.last = s + 1 == steps;
        array.top(c) = word;
      }
    }

    uint64_t macsBefore = array.macs();
    uint64_t completedBefore = completed;
    bool moved = array.step();
    edgesHeld = !moved;
    bool loading = loadingFold >= 0;
    if (!moved) { // The array stood still: so do its edges.
      for (Stream &stream : streams)
        ++stream.start;
      ++lastStreamStart;
    }
    if (loadingFold >= 0 && loadStep == rows && array.latchLoad()) {
      state(uint64_t(loadingFold)).latched = true;
      loadingFold = -1;
    }
    // A fold is done for the buffer once it has left the array and (output
    // stationary) its drained sums have landed.
    auto notify = [&](FoldState &fold) {
      if (!fold.notified && fold.complete &&
          (reduce || fold.landed == fold.outputs)) {
        fold.notified = true;
        store.foldDone(fold.index);
      }
    };
    for (const Departure &departure : array.departures())
      if (departure.word.valid) {
        store.accumulate(plan.output, departure.word.address,
                         departure.word.value, departure.word.fold);
        if (!reduce) {
          FoldState &fold = state(departure.word.fold);
          ++fold.landed;
          notify(fold);
        }
      }
    for (uint32_t f : array.lastTokensOut()) {
      FoldState &fold = state(f);
      if (++fold.marks == uint64_t(rows) + cols) {
        fold.complete = true;
        fold.end = t;
        ++completed;
        // Its own cycles: from its load (or, when the load hid behind the
        // previous fold, the cycle after that fold left) to now.
        uint64_t start = uint64_t(fold.loadStart);
        if (plan.timing.foldOverlap)
          start = uint64_t(fold.streamStart);
        else if (f > 0)
          start = std::max(start, records[f - 1].end + 1);
        records[f].start = start;
        records[f].end = t;
        notify(fold);
        if (f + 1 == nextStream)
          lastComplete = true;
      }
    }
    streams.erase(std::remove_if(streams.begin(), streams.end(),
                                 [&](const Stream &stream) {
                                   return t >=
                                          stream.start + steps - 1 + maxSkew;
                                 }),
                  streams.end());
    while (!folds.empty() && folds.front().notified &&
           folds.front().index + 1 < nextStream) {
      folds.pop_front();
      ++firstFold;
    }

    bool mac = array.macs() > macsBefore;
    if (options.eachCycleMacs)
      options.eachCycleMacs(t, array.macs() - macsBefore);
    if (mac)
      run.lastMacCycle = t;
    Share share = mac                                              ? Compute
                  : !moved                                         ? Stalled
                  : loading && !array.wasBusy()                    ? Loading
                  : array.wasBusy()                                ? FillDrain
                  : array.wasDraining() && completed == plan.folds ? OutputDrain
                  : array.wasDraining()                            ? FillDrain
                                                                   : Waiting;
    ++shares[share];

    if (completed == plan.folds && !array.busy() && !array.draining()) {
      run.cycles = t + 1;
      break;
    }
    bool active = array.busy() || array.draining() || loadingFold >= 0 ||
                  !streams.empty() || waitingForBuffer;
    quiet = active ? 0 : quiet + 1;
    // A fold completes (or some PE computes) within a load, a stream and
    // the array's skew: longer without either is a stuck component.
    bool progressed = mac || completedBefore != completed || elsewhere;
    stuck = progressed ? 0 : stuck + 1;
    if (stuck > watchdog) {
      run.error =
          "no fold completed and no PE computed for " + std::to_string(stuck) +
          " cycles (cycle " + std::to_string(t) + ", fold " +
          std::to_string(completed) + " of " + std::to_string(plan.folds) +
          "): the array is stuck" + (moved ? "" : " on full drain registers") +
          (loadingFold >= 0 ? ", a load waits to latch" : "");
      run.cycles = t + 1;
      break;
    }
    if (quiet > 2) {
      FoldState &stuck = state(completed < plan.folds ? firstFold : 0);
      run.error = "fold " + std::to_string(stuck.index) +
                  " never left the array (" + std::to_string(stuck.marks) +
                  " of " + std::to_string(rows + cols) +
                  " last-of-fold marks reached the far edges): a word was "
                  "lost at cycle " +
                  std::to_string(t);
      run.cycles = t + 1;
      break;
    }
    if ((t & 4095) == 4095) {
      if (interrupted()) {
        run.interrupted = true;
        run.error = "interrupted by " + interruptSignalName() + " at cycle " +
                    std::to_string(t) + " (fold " + std::to_string(completed) +
                    " of " + std::to_string(plan.folds) + ")";
        run.cycles = t + 1;
        break;
      }
      auto now = std::chrono::steady_clock::now();
      if (options.progress &&
          std::chrono::duration<double>(now - lastProgress).count() >= 1) {
        lastProgress = now;
        double seconds = std::chrono::duration<double>(now - started).count();
        double done = double(completed) / double(plan.folds);
        char text[160];
        std::snprintf(text, sizeof text,
                      "%llu cycles simulated, %llu of %llu folds (%.0f%%), "
                      "%.3g cycles/s, about %.0f s left",
                      (unsigned long long)t, (unsigned long long)completed,
                      (unsigned long long)plan.folds, done * 100,
                      double(t) / seconds,
                      done > 0 ? seconds * (1 - done) / done : 0.0);
        progressLine.print(options.progressLabel + text);
      }
    }
  }

  progressLine.end();
  run.macs = array.macs();
  for (uint64_t f = 0; f < plan.folds && f < array.macsPerFold().size(); ++f) {
    records[f].macs = array.macsPerFold()[f];
    records[f].pes = array.pesPerFold()[f];
  }
  run.folds = std::move(records);
  run.links = array.linkWords();
  run.stationaryLatched = array.stationaryLatched();
  for (int i = 0; i < 6; ++i)
    if (shares[i])
      run.shares.push_back({kShareNames[i], shares[i]});
  run.steppedPeCycles = array.steppedPeCycles();
  run.skippedPeCycles = run.cycles * rows * cols - run.steppedPeCycles;
  run.misaligned = array.misaligned();
  run.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started)
          .count();
  return run;
}

} // namespace tessel::sim
