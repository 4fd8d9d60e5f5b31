//===- sim/SystolicArray.cpp - A systolic PE array, every PE and wire -----===//

#include "sim/SystolicArray.h"

#include <stdexcept>
#include <utility>

namespace tessel::sim {

void SystolicArray::Ring::init(size_t positions) {
  size_t size = 1;
  while (size < positions + 1)
    size <<= 1;
  slots.assign(size, Word());
  mask = size - 1;
}

SystolicArray::SystolicArray(const Config &config)
    : cfg(config), pes(size_t(config.rows) * config.cols) {
  if (cfg.rows == 0 || cfg.cols == 0)
    throw std::invalid_argument("a systolic array needs at least one PE");
  if (cfg.macLatency == 0)
    throw std::invalid_argument("a PE's MAC pipeline has at least one stage");
  if (cfg.stationaryBuffers != 1 && cfg.stationaryBuffers != 2)
    throw std::invalid_argument("stationaryBuffers must be 1 or 2");
  if (cfg.mode == Mode::Accumulate && cfg.macLatency != 1)
    throw std::invalid_argument(
        "an output-stationary array accumulates in one cycle (macLatency 1)");
  leftIn.resize(cfg.rows);
  topIn.resize(cfg.cols);
  loadIn.resize(cfg.cols);
  rows_.resize(cfg.rows);
  for (Ring &ring : rows_)
    ring.init(cfg.cols);
  cols_.resize(cfg.cols);
  for (Ring &ring : cols_)
    ring.init(cfg.mode == Mode::Reduce ? size_t(cfg.rows) * cfg.macLatency
                                       : cfg.rows);
  peMacs.assign(pes, 0);
  peLastFold.assign(pes, 0);
  if (cfg.mode == Mode::Reduce) {
    stat[0].resize(pes);
    stat[1].resize(pes);
    active.assign(pes, 0);
    pending.assign(pes, 0);
    loadChain.resize(pes);
  } else {
    acc.resize(pes);
    drain.resize(pes);
    outputAddress[0].resize(pes);
    outputAddress[1].resize(pes);
  }
}

bool SystolicArray::shadowsFree() const { return pendingCount == 0; }

bool SystolicArray::latchLoad() {
  if (cfg.mode != Mode::Reduce)
    throw std::logic_error("only a Reduce-mode array loads stationary words");
  if (cfg.stationaryBuffers == 2 && pendingCount > 0)
    return false;
  for (size_t pe = 0; pe < pes; ++pe) {
    Word &word = loadChain[pe];
    if (word.valid)
      ++latched;
    if (word.present)
      --loadWords;
    if (cfg.stationaryBuffers == 1) {
      stat[0][pe] = word;
    } else {
      stat[active[pe] ^ 1][pe] = word;
      if (word.present && !pending[pe]) {
        pending[pe] = 1;
        ++pendingCount;
      }
    }
    word = Word();
  }
  return true;
}

bool SystolicArray::canSetOutputs(uint32_t fold) const {
  unsigned slot = fold & 1;
  return programFold[slot] < 0 || programStarted[slot] == pes;
}

void SystolicArray::setOutputs(uint32_t fold,
                               const std::vector<Word> &program) {
  if (!canSetOutputs(fold) || program.size() != pes)
    throw std::logic_error("a PE still needs the program this one replaces");
  unsigned slot = fold & 1;
  outputAddress[slot] = program;
  programFold[slot] = fold;
  programStarted[slot] = 0;
}

void SystolicArray::fault(char chain, unsigned lane, unsigned position,
                          Word &word) {
  if (faultSpec.kind == LinkFault::Kind::None || faultSpec.chain != chain ||
      faultSpec.lane != lane || faultSpec.position != position)
    return;
  switch (faultState) {
  case FaultState::Armed:
    if (!word.valid || faultSeen++ < faultSpec.nth)
      return;
    if (faultSpec.kind == LinkFault::Kind::Drop) {
      word.valid = false; // The data is lost; the slot stays in step.
      faultState = FaultState::Done;
    } else if (faultSpec.kind == LinkFault::Kind::Duplicate) {
      faultWord = word; // Sent again in place of the next word.
      faultState = FaultState::Duplicating;
    } else {
      faultWord = word;   // A hole now; the word arrives a cycle late, in
      word.valid = false; // the place of the next one.
      faultState = FaultState::Delaying;
    }
    return;
  case FaultState::Duplicating:
  case FaultState::Delaying:
    if (word.present) {
      word = faultWord;
      faultState = FaultState::Done;
    }
    return;
  case FaultState::Done:
    return;
  }
}

void SystolicArray::countMac(size_t pe, uint32_t fold) {
  ++peMacs[pe];
  ++macCount;
  if (fold >= foldMacs.size()) {
    foldMacs.resize(size_t(fold) + 1, 0);
    foldPes.resize(size_t(fold) + 1, 0);
  }
  ++foldMacs[fold];
  if (peLastFold[pe] != fold + 1) {
    peLastFold[pe] = fold + 1;
    ++foldPes[fold];
  }
}

void SystolicArray::leave(Word &word, bool depart, unsigned col) {
  if (!word.present)
    return;
  --inFlight;
  if (word.last)
    lastOut.push_back(word.fold);
  if (depart)
    departed.push_back({col, word});
  word = Word();
}

bool SystolicArray::step() {
  departed.clear();
  lastOut.clear();
  busyStep = false;
  drainStep = drainCount > 0;
  bool moved = true;
  if (cfg.mode == Mode::Reduce) {
    stepLoads();
    stepReduce();
  } else {
    moved = stepAccumulate();
  }
  if (moved) {
    for (Word &word : leftIn)
      word = Word();
    for (Word &word : topIn)
      word = Word();
    ++tick;
  }
  for (Word &word : loadIn)
    word = Word();
  return moved;
}

void SystolicArray::stepLoads() {
  const unsigned rows = cfg.rows, cols = cfg.cols;
  bool loading = false; // The chains shift only as words enter.
  for (unsigned col = 0; col < cols && !loading; ++col)
    loading = loadIn[col].present;
  if (!loading)
    return;
  // Each column's chain shifts down one row and takes the edge's word.
  for (unsigned col = 0; col < cols; ++col) {
    if (loadChain[size_t(rows - 1) * cols + col].present)
      --loadWords; // Shifted past the last row: lost (a controller bug).
    for (unsigned row = rows; row-- > 1;) {
      Word &to = loadChain[size_t(row) * cols + col];
      to = loadChain[size_t(row - 1) * cols + col];
      fault('l', col, row, to);
      if (to.valid)
        ++words.load;
    }
    loadChain[col] = loadIn[col];
    if (loadIn[col].present)
      ++loadWords;
  }
}

void SystolicArray::stepReduce() {
  const unsigned rows = cfg.rows, cols = cfg.cols, stages = cfg.macLatency;
  const uint64_t lastStage = uint64_t(rows) * stages - 1;

  // Edge words enter the first registers.
  for (unsigned row = 0; row < rows; ++row) {
    rows_[row].at(tick, 0) = leftIn[row];
    inFlight += leftIn[row].present;
  }
  for (unsigned col = 0; col < cols; ++col) {
    cols_[col].at(tick, 0) = topIn[col];
    inFlight += topIn[col].present;
  }
  if (inFlight == 0)
    return; // Nothing moves through the PEs: they sleep this cycle.
  stepped += pes;
  busyStep = true;

  // Every PE adds its product to the partial sum at its input stage; a
  // word arriving over a link is counted (and maybe faulted) as it does.
  for (unsigned row = 0; row < rows; ++row) {
    Ring &line = rows_[row];
    for (unsigned col = 0; col < cols; ++col) {
      Word &operand = line.at(tick, col);
      Word &partial = cols_[col].at(tick, uint64_t(row) * stages);
      if (row > 0 && partial.present) {
        fault('p', col, row, partial);
        words.partialSums += partial.valid;
      }
      if (!operand.present)
        continue;
      if (col > 0) {
        fault('h', row, col, operand);
        words.horizontal += operand.valid;
      }
      size_t pe = size_t(row) * cols + col;
      if (cfg.stationaryBuffers == 2 && pending[pe] &&
          stat[active[pe] ^ 1][pe].fold == operand.fold) {
        active[pe] ^= 1; // The new fold's first word: switch copies.
        pending[pe] = 0;
        --pendingCount;
      }
      const Word &held = stat[active[pe]][pe];
      if (!(operand.valid && held.valid && partial.valid))
        continue;
      if (held.fold != operand.fold || partial.fold != operand.fold) {
        ++misalignedCount;
        continue;
      }
      partial.value += operand.value * held.value;
      countMac(pe, operand.fold);
    }
  }

  // What reached the far edges leaves: operands at the right, partial sums
  // at the bottom (to the buffer above).
  for (unsigned row = 0; row < rows; ++row)
    leave(rows_[row].at(tick, cols - 1), false, 0);
  for (unsigned col = 0; col < cols; ++col)
    leave(cols_[col].at(tick, lastStage), true, col);
}

void SystolicArray::shiftDrains() {
  const unsigned rows = cfg.rows, cols = cfg.cols;
  if (drainCount == 0)
    return;
  // Bottom up, so a column's words all move one row when there is room.
  for (unsigned col = 0; col < cols; ++col) {
    Word &bottom = drain[size_t(rows - 1) * cols + col];
    if (bottom.present) {
      departed.push_back({col, bottom});
      bottom = Word();
      --drainCount;
    }
    for (unsigned row = rows - 1; row-- > 0;) {
      Word &from = drain[size_t(row) * cols + col];
      Word &to = drain[size_t(row + 1) * cols + col];
      if (from.present && !to.present) {
        to = from;
        from = Word();
        fault('d', col, row + 1, to);
        words.drain += to.valid;
      }
    }
  }
}

void SystolicArray::deposit(size_t pe) {
  Word &sum = acc[pe];
  if (!sum.last || drain[pe].present)
    return;
  drain[pe] = sum;
  drain[pe].last = false;
  ++drainCount;
  --finishedCount;
  sum = Word();
}

bool SystolicArray::stepAccumulate() {
  const unsigned rows = cfg.rows, cols = cfg.cols;
  // Finished sums wait in their accumulators for room in the drain
  // registers, which the words from above have first.
  shiftDrains();
  if (finishedCount > 0)
    for (size_t pe = 0; pe < pes; ++pe)
      deposit(pe);
  // A PE still holding a finished sum cannot start the next fold: the array
  // stalls (the edges keep their words for the next cycle).
  if (finishedCount > 0)
    for (unsigned row = 0; row < rows; ++row)
      for (unsigned col = 0; col < cols; ++col) {
        const Word &sum = acc[size_t(row) * cols + col];
        const Word &next = col == 0 ? leftIn[row] : rows_[row].at(tick, col);
        if (sum.last && next.present && next.fold != sum.fold)
          return false;
      }

  for (unsigned row = 0; row < rows; ++row) {
    rows_[row].at(tick, 0) = leftIn[row];
    inFlight += leftIn[row].present;
  }
  for (unsigned col = 0; col < cols; ++col) {
    cols_[col].at(tick, 0) = topIn[col];
    inFlight += topIn[col].present;
  }
  if (inFlight == 0)
    return true;
  stepped += pes;
  busyStep = true;

  for (unsigned row = 0; row < rows; ++row) {
    Ring &line = rows_[row];
    for (unsigned col = 0; col < cols; ++col) {
      Word &left = line.at(tick, col);
      Word &down = cols_[col].at(tick, row);
      if (col > 0 && left.present) {
        fault('h', row, col, left);
        words.horizontal += left.valid;
      }
      if (row > 0 && down.present) {
        fault('v', col, row, down);
        words.vertical += down.valid;
      }
      if (!left.present || !down.present)
        continue;
      if (left.fold != down.fold) {
        ++misalignedCount;
        continue;
      }
      size_t pe = size_t(row) * cols + col;
      Word &sum = acc[pe];
      if (!sum.present || sum.fold != left.fold) {
        unsigned slot = left.fold & 1; // This fold's program.
        if (programFold[slot] != int64_t(left.fold)) {
          ++misalignedCount;
          continue;
        }
        sum = outputAddress[slot][pe];
        sum.value = 0;
        ++programStarted[slot];
      }
      if (left.valid && down.valid && sum.valid) {
        sum.value += left.value * down.value;
        countMac(pe, left.fold);
      }
      if (left.last) {
        sum.last = true; // Finished: to the drain register when free.
        ++finishedCount;
        deposit(pe);
      }
    }
  }

  for (unsigned row = 0; row < rows; ++row)
    leave(rows_[row].at(tick, cols - 1), false, 0);
  for (unsigned col = 0; col < cols; ++col)
    leave(cols_[col].at(tick, rows - 1), false, col);
  return true;
}

} // namespace tessel::sim
