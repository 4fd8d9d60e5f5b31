//===- sim/Datapath.cpp ---------------------------------------------------===//
#include "sim/Datapath.h"

#include <random>
#include <stdexcept>

namespace tessel::sim {
namespace {

/// Calls `visit(point)` for every point of the box (low, spans), row-major.
template <typename Visit>
void forEachPoint(const std::vector<int64_t> &low,
                  const std::vector<int64_t> &spans, Visit visit) {
  std::vector<int64_t> point = low;
  for (int64_t span : spans)
    if (span <= 0)
      return;
  while (true) {
    visit(point);
    size_t c = point.size();
    while (c > 0 && ++point[c - 1] == low[c - 1] + spans[c - 1]) {
      point[c - 1] = low[c - 1];
      --c;
    }
    if (c == 0)
      return;
  }
}

size_t linearIndex(const std::vector<int64_t> &low,
                   const std::vector<int64_t> &spans,
                   const std::vector<int64_t> &coords) {
  size_t index = 0;
  for (size_t c = 0; c < spans.size(); ++c)
    index = index * size_t(spans[c]) + size_t(coords[c] - low[c]);
  return index;
}

bool within(const std::vector<int64_t> &low, const std::vector<int64_t> &spans,
            const std::vector<int64_t> &coords) {
  for (size_t c = 0; c < spans.size(); ++c)
    if (coords[c] < low[c] || coords[c] >= low[c] + spans[c])
      return false;
  return true;
}

bool insideShape(const Tensor &tensor, const std::vector<int64_t> &coords) {
  for (size_t c = 0; c < coords.size(); ++c)
    if (coords[c] < 0 ||
        (c < tensor.shape.size() && coords[c] >= tensor.shape[c]))
      return false;
  return true;
}

} // namespace

Datapath::Datapath(const Plan &plan, uint64_t seed)
    : plan(plan), levels(plan.levels), tensors(plan.tensors()) {
  boxes.resize(levels);
  reachLowOf.resize(levels);
  reachSpans.resize(levels);
  visited.resize(levels);
  unsigned out = plan.problem.outputIndex();
  dramSpans.resize(tensors);
  std::mt19937_64 rng(seed);
  inputs.resize(tensors);
  for (unsigned l = 0; l < levels; ++l) {
    boxes[l].resize(tensors);
    for (unsigned t = 0; t < tensors; ++t)
      if (plan.keepsTensor(l, t))
        boxes[l][t].resize(plan.instances[l].count);
  }
  for (unsigned t = 0; t < tensors; ++t) {
    Box &dram = boxes[0][t][0];
    plan.reachLow(0, t, dram.low, dramSpans[t]);
    uint64_t words = 1;
    for (int64_t s : dramSpans[t])
      words *= uint64_t(s);
    dram.values.assign(words, 0);
    dram.held = true;
    if (plan.problem.tensors[t].isOutput)
      continue;
    size_t index = 0;
    forEachPoint(dram.low, dramSpans[t], [&](const std::vector<int64_t> &p) {
      int64_t value = int64_t(rng() % 7) - 3;
      dram.values[index++] =
          insideShape(plan.problem.tensors[t], p) ? value : 0;
    });
    inputs[t] = dram.values;
  }
  reachSpans[0] = dramSpans[out];
  for (unsigned l = 1; l < levels; ++l) {
    if (!plan.keepsTensor(l, out))
      continue;
    plan.reachLow(l, out, reachLowOf[l], reachSpans[l]);
    uint64_t words = 1;
    for (int64_t s : reachSpans[l])
      words *= uint64_t(s);
    visited[l].assign(plan.instances[l].count, std::vector<bool>(words));
  }
}

const std::vector<int64_t> &Datapath::spansOf(unsigned level,
                                              unsigned tensor) const {
  if (level == 0)
    return dramSpans[tensor];
  return plan.residency[level][tensor].spans;
}

bool Datapath::inside(const Box &box, const std::vector<int64_t> &spans,
                      const std::vector<int64_t> &coords) const {
  return box.held && within(box.low, spans, coords);
}

int64_t &Datapath::at(Box &box, const std::vector<int64_t> &spans,
                      const std::vector<int64_t> &coords) {
  if (!inside(box, spans, coords))
    throw std::logic_error("sim: a word is not where the lowering put it");
  return box.values[linearIndex(box.low, spans, coords)];
}

void Datapath::newBox(unsigned level, uint64_t epoch, uint64_t instance,
                      unsigned tensor, std::vector<int64_t> &low) const {
  std::vector<int64_t> start;
  plan.epochStart(level, epoch, start);
  const std::vector<int64_t> &offset =
      plan.instances[level].dimOffset[instance];
  for (unsigned d = 0; d < plan.dims; ++d)
    start[d] += offset[d];
  plan.boxLow(level, tensor, start, low);
}

void Datapath::drain(unsigned level, uint64_t nextEpoch, bool final) {
  unsigned out = plan.problem.outputIndex();
  if (!plan.keepsTensor(level, out))
    return;
  const Residency &r = plan.residency[level][out];
  const std::vector<int64_t> &supplierSpans = spansOf(r.supplier, out);
  std::vector<int64_t> low;
  for (uint64_t i = 0; i < r.instances; ++i) {
    Box &box = boxes[level][out][i];
    Box next;
    if (!final) {
      newBox(level, nextEpoch, i, out, next.low);
      next.held = true;
    }
    Box &supplier =
        boxes[r.supplier][out][plan.supplierInstance(level, r.supplier, i)];
    size_t index = 0;
    forEachPoint(box.low, r.spans, [&](const std::vector<int64_t> &p) {
      int64_t value = box.values[index++];
      if (!inside(next, r.spans, p))
        at(supplier, supplierSpans, p) += value;
    });
  }
}

void Datapath::fill(unsigned level, uint64_t epoch) {
  std::vector<int64_t> coordOffset, zero(plan.dims, 0), base;
  for (unsigned t = 0; t < tensors; ++t) {
    if (!plan.keepsTensor(level, t))
      continue;
    const Residency &r = plan.residency[level][t];
    const std::vector<int64_t> &supplierSpans = spansOf(r.supplier, t);
    plan.coordinates(t, zero, base);
    for (uint64_t i = 0; i < r.instances; ++i) {
      Box &old = boxes[level][t][i];
      Box next;
      newBox(level, epoch, i, t, next.low);
      next.values.assign(r.boxWords, 0);
      next.held = true;
      Box &supplier =
          boxes[r.supplier][t][plan.supplierInstance(level, r.supplier, i)];
      bool leader = r.isLeader[i % r.members];
      plan.coordinates(t, plan.instances[level].dimOffset[i], coordOffset);
      size_t index = 0;
      forEachPoint(next.low, r.spans, [&](const std::vector<int64_t> &p) {
        int64_t &value = next.values[index++];
        if (inside(old, r.spans, p)) {
          value = at(old, r.spans, p);
        } else if (!r.isOutput) {
          value = at(supplier, supplierSpans, p);
        } else {
          std::vector<int64_t> reach(p.size());
          for (size_t c = 0; c < p.size(); ++c)
            reach[c] = p[c] - (coordOffset[c] - base[c]);
          std::vector<bool>::reference seen =
              visited[level][i]
                     [linearIndex(reachLowOf[level], reachSpans[level], reach)];
          if (seen && leader) {
            int64_t &source = at(supplier, supplierSpans, p);
            value = source;
            source = 0;
          }
          seen = true;
        }
      });
      old = std::move(next);
    }
  }
}

void Datapath::compute(uint64_t step) {
  std::vector<int64_t> stepDims, dimValues, coords;
  plan.stepDims(step, stepDims);
  unsigned out = plan.problem.outputIndex();
  const LevelInstances &units = plan.instances[levels];
  for (uint64_t u = 0; u < units.count; ++u) {
    dimValues = stepDims;
    for (unsigned d = 0; d < plan.dims; ++d)
      dimValues[d] += units.dimOffset[u][d];
    int64_t product = 1;
    for (unsigned t = 0; t < tensors; ++t) {
      if (t == out)
        continue;
      unsigned keeper = plan.residency[levels][t].supplier;
      plan.coordinates(t, dimValues, coords);
      product *= at(boxes[keeper][t][plan.supplierInstance(levels, keeper, u)],
                    spansOf(keeper, t), coords);
    }
    unsigned keeper = plan.residency[levels][out].supplier;
    plan.coordinates(out, dimValues, coords);
    at(boxes[keeper][out][plan.supplierInstance(levels, keeper, u)],
       spansOf(keeper, out), coords) += product;
    ++macCount;
  }
}

void Datapath::issue(uint64_t step) {
  unsigned first = levels;
  for (unsigned l = 1; l < levels; ++l)
    if (step % plan.stepsPerEpoch[l] == 0) {
      first = l;
      break;
    }
  if (step > 0)
    for (unsigned l = levels; l-- > first;)
      drain(l, step / plan.stepsPerEpoch[l], false);
  for (unsigned l = first; l < levels; ++l)
    fill(l, step / plan.stepsPerEpoch[l]);
  compute(step);
}

void Datapath::finish() {
  for (unsigned l = levels; l-- > 1;)
    drain(l, 0, true);
}

std::string Datapath::check() const {
  const Problem &problem = plan.problem;
  unsigned out = problem.outputIndex();
  // The reference: every point of the (unpadded) iteration space.
  std::vector<int64_t> low(problem.dims.size(), 0), bounds = problem.bounds();
  std::vector<int64_t> outLow, outSpans, coords;
  plan.reachLow(0, out, outLow, outSpans);
  std::vector<int64_t> expected(boxes[0][out][0].values.size(), 0);
  forEachPoint(low, bounds, [&](const std::vector<int64_t> &point) {
    int64_t product = 1;
    for (unsigned t = 0; t < tensors; ++t) {
      if (t == out)
        continue;
      std::vector<int64_t> inLow, inSpans;
      plan.reachLow(0, t, inLow, inSpans);
      plan.coordinates(t, point, coords);
      product *= inputs[t][linearIndex(inLow, inSpans, coords)];
    }
    plan.coordinates(out, point, coords);
    expected[linearIndex(outLow, outSpans, coords)] += product;
  });
  const Tensor &tensor = problem.tensors[out];
  std::vector<int64_t> zero(tensor.shape.size(), 0);
  std::string mismatch;
  forEachPoint(zero, tensor.shape, [&](const std::vector<int64_t> &p) {
    if (!mismatch.empty())
      return;
    int64_t simulated = 0, reference = 0;
    if (within(outLow, outSpans, p)) {
      size_t index = linearIndex(outLow, outSpans, p);
      simulated = boxes[0][out][0].values[index];
      reference = expected[index];
    }
    if (simulated == reference)
      return;
    mismatch = "output " + tensor.name + "[";
    for (size_t c = 0; c < p.size(); ++c)
      mismatch += (c ? ", " : "") + std::to_string(p[c]);
    mismatch += "]: simulated " + std::to_string(simulated) +
                " but the reference computes " + std::to_string(reference);
  });
  return mismatch;
}

} // namespace tessel::sim
