//===- test/sim/ModuleTest.cpp - Unit testbenches of the sim's components -===//
//
// MatchLib-style: each component driven cycle by cycle from a small SystemC
// testbench with seeded random stimulus, against a reference written here.
// SystemC elaborates once per process, so each testbench runs in a child
// process (runBench).
//
//===----------------------------------------------------------------------===//
#include "arch/ArchLoader.h"
#include "sim/PeArray.h"
#include "sim/Plan.h"
#include "sim/Resources.h"

#include <gtest/gtest.h>
#include <systemc.h>

#include <cmath>
#include <functional>
#include <memory>
#include <random>
#include <sys/wait.h>
#include <unistd.h>

namespace tessel::sim {
namespace {

/// Runs `bench` in a child process; returns its report ("" = passed).
std::string runBench(const std::function<std::string()> &bench) {
  int fds[2];
  if (pipe(fds) != 0)
    return "cannot create a pipe";
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
    sc_core::sc_report_handler::set_actions(sc_core::SC_INFO,
                                            sc_core::SC_DO_NOTHING);
    std::string report = bench();
    ssize_t written = write(fds[1], report.data(), report.size());
    (void)written;
    _exit(0);
  }
  close(fds[1]);
  std::string report;
  char buffer[4096];
  ssize_t got;
  while ((got = read(fds[0], buffer, sizeof buffer)) > 0)
    report.append(buffer, size_t(got));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status))
    return "the testbench process died";
  return report;
}

/// A clocked testbench: calls `cycle(n)` on every rising edge until it
/// returns false.
SC_MODULE(Testbench) {
  sc_clock clock{"clock", 1, sc_core::SC_NS};
  std::function<bool(uint64_t)> cycle;
  uint64_t now = 0;

  SC_HAS_PROCESS(Testbench);
  Testbench(sc_module_name name, std::function<bool(uint64_t)> body)
      : sc_module(name), cycle(std::move(body)) {
    SC_METHOD(tick);
    sensitive << clock.posedge_event();
    dont_initialize();
  }
  void tick() {
    if (!cycle(now++))
      sc_core::sc_stop();
  }
};

void run(std::function<bool(uint64_t)> body) {
  Testbench bench("bench", std::move(body));
  sc_core::sc_start();
}

// --- Buffer ports ---------------------------------------------------------

/// Reference: a port of bandwidth b serves words in order, each taking 1/b
/// cycles (and banks/b cycles of its bank), never before it is requested;
/// a transfer arrives in the cycle its last word finishes.
struct ReferencePort {
  double bandwidth;
  unsigned banks;
  double free = 0;
  std::vector<double> bankFree;

  ReferencePort(double bandwidth, unsigned banks)
      : bandwidth(bandwidth), banks(banks), bankFree(banks, 0) {}
  uint64_t serve(uint64_t requested, const std::vector<uint16_t> &wordBanks) {
    double finish = double(requested);
    for (uint16_t bank : wordBanks) {
      double start = std::max({free, bankFree[bank], double(requested)});
      free = start + 1 / bandwidth;
      bankFree[bank] = start + double(banks) / bandwidth;
      finish = std::max({finish, free, bankFree[bank]});
    }
    return std::max<uint64_t>(requested,
                              uint64_t(std::ceil(finish - 1e-9)) - 1);
  }
};

TEST(BufferBench, StreamsMatchTheReferenceServer) {
  std::string report = runBench([] {
    std::mt19937_64 rng(11);
    // Trials of six transfers each, served back to back: each of random
    // size with random banks, requested the cycle after the previous one
    // is granted.
    struct Trial {
      std::unique_ptr<Port> port;
      std::unique_ptr<ReferencePort> reference;
      std::vector<Transfer> transfers;
      std::vector<uint64_t> arrivals, expected;
      uint64_t reads = 0, expectedReads = 0;
    };
    std::vector<Trial> trials(40);
    for (Trial &trial : trials) {
      double bandwidths[] = {0.25, 0.5, 1, 2, 3, 4};
      double bandwidth = bandwidths[rng() % 6];
      unsigned banks = 1 + unsigned(rng() % 4);
      trial.port = std::make_unique<Port>(bandwidth, banks, 1);
      trial.reference = std::make_unique<ReferencePort>(bandwidth, banks);
      for (int t = 0; t < 6; ++t) {
        Transfer transfer;
        transfer.units = 1 + rng() % 12;
        transfer.from = trial.port.get();
        transfer.bankedPort = trial.port.get();
        for (uint64_t u = 0; u < transfer.units; ++u)
          transfer.banks.push_back(uint16_t(rng() % banks));
        transfer.increments.push_back({&trial.reads, 3});
        trial.expectedReads += 3 * transfer.units;
        trial.transfers.push_back(std::move(transfer));
      }
    }
    size_t trialIndex = 0, current = 0;
    uint64_t requested = 0;
    run([&](uint64_t now) {
      if (trialIndex == trials.size())
        return false;
      Trial &trial = trials[trialIndex];
      Transfer &transfer = trial.transfers[current];
      if (trial.expected.size() == current)
        trial.expected.push_back(
            trial.reference->serve(requested, transfer.banks));
      transfer.advance(now);
      if (transfer.done()) {
        trial.arrivals.push_back(transfer.arrival);
        // The next transfer (or trial) is requested the next cycle.
        requested = now + 1;
        if (++current == trial.transfers.size()) {
          current = 0;
          ++trialIndex;
        }
      }
      return true;
    });
    std::string failures;
    for (size_t i = 0; i < trials.size(); ++i)
      if (trials[i].arrivals != trials[i].expected ||
          trials[i].reads != trials[i].expectedReads)
        failures += "trial " + std::to_string(i) + " differs; ";
    return failures;
  });
  EXPECT_EQ(report, "");
}

// --- Networks -------------------------------------------------------------

/// A 2x2 mesh attached at (0, 0): hand-worked link uses of a multicast to
/// all four routers (the four links of the tree, once each) and of the
/// same words without multicast (every path: 1 + 2 + 2 + 3 = 8 uses).
Arch meshArch(bool multicast) {
  return parseArch(std::string("name: mesh\nlevels:\n"
                               "  - {name: DRAM, capacity: unbounded}\n"
                               "  - name: GLB\n    capacity: 1024\n"
                               "    fanout: [2, 2]\n"
                               "    network: {topology: mesh, bandwidth: 1, "
                               "multicast: ") +
                       (multicast ? "true" : "false") +
                       "}\n  - {name: PE, capacity: 16}\n",
                   "mesh.yaml");
}

std::string meshBench(bool multicast) {
  return runBench([multicast] {
    std::string failures;
    {
      // One weight per PE is read at GLB: B[k, n] with n across X and k
      // across Y differs per PE; the input A[m, k] is shared along X.
      Problem problem;
      problem.dims = {{"m", 3}, {"n", 2}, {"k", 2}};
      auto tensor = [](const char *name, unsigned a, unsigned b, bool out) {
        Tensor t;
        t.name = name;
        t.projection = {Projection{{{a, 1}}, 0}, Projection{{{b, 1}}, 0}};
        t.isOutput = out;
        return t;
      };
      problem.tensors = {tensor("A", 0, 2, false), tensor("B", 2, 1, false),
                         tensor("C", 0, 1, true)};
      for (Tensor &t : problem.tensors)
        t.shape = {3, 2};
      Arch arch = meshArch(multicast);
      Mapping mapping;
      mapping.levels.resize(3);
      mapping.levels[0].keepMask = 7;
      mapping.levels[1].temporal = {{0, 3}};
      mapping.levels[1].spatial = {{1, 2, SpatialAxis::X},
                                   {2, 2, SpatialAxis::Y}};
      mapping.levels[1].keepMask = 7;
      mapping.levels[2].keepMask = 7;
      Plan plan(problem, arch, mapping);
      // C[m, n] is the same for both k (rows): two groups of two PEs in a
      // column; A[m, k] the same along a row.
      const Residency &a = plan.residency[2][0];
      uint32_t uses = 0;
      for (auto [link, count] : a.down.links)
        uses += count;
      // With multicast each row's words use the links of its tree, as many
      // as the graph's multicast hops; without, every path: unicasts are
      // 1 + Manhattan distance, (1 + 2) + (2 + 3) = 8.
      if (uses != (multicast ? a.down.hops : 8u))
        failures += "A link uses " + std::to_string(uses) + "; ";
      // Drive the routes through the links: every unit crosses the shared
      // parent link once per group (multicast) or per member; at 1 word per
      // cycle per link, N units take N x (uses of the busiest link) cycles.
      Links links(plan.linkCount[1], 1.0);
      // The parent's link carries one word per row (multicast) or per PE.
      uint64_t busiest = multicast ? 2 : 4;
      Transfer transfer;
      transfer.units = 10;
      transfer.links = &links;
      transfer.route = &a.down;
      run([&](uint64_t now) {
        transfer.advance(now);
        return !transfer.done();
      });
      if (transfer.arrival != 10 * busiest - 1)
        failures += "arrival " + std::to_string(transfer.arrival) + " not " +
                    std::to_string(10 * busiest - 1) + "; ";
    }
    return failures;
  });
}

TEST(NetworkBench, MeshMulticastRoutesAndContention) {
  EXPECT_EQ(meshBench(true), "");
}

TEST(NetworkBench, MeshUnicastRoutesAndContention) {
  EXPECT_EQ(meshBench(false), "");
}

// --- PE array -------------------------------------------------------------

TEST(PeArrayBench, SkewedPesMatchTheReference) {
  std::string report = runBench([] {
    std::mt19937_64 rng(5);
    std::string failures;
    unsigned pes = 24;
    std::vector<uint64_t> skew(pes);
    for (uint64_t &s : skew)
      s = rng() % 7;
    uint64_t latency = 3;
    PeArray array(skew, latency);
    // Reference: PE p computes the steps issued in cycle t in cycle
    // t + latency + skew[p].
    std::vector<uint64_t> issuedAt(200, 0);
    std::vector<std::vector<uint64_t>> busyAt(pes,
                                              std::vector<uint64_t>(220, 0));
    std::vector<uint64_t> macs(pes, 0), busy(220, 0);
    for (uint64_t t = 0; t < 200; ++t)
      issuedAt[t] = rng() % 3 == 0 ? 0 : 1 + rng() % 2;
    for (uint64_t t = 0; t < 200; ++t)
      for (unsigned p = 0; p < pes; ++p)
        if (issuedAt[t]) {
          macs[p] += issuedAt[t];
          ++busy[t + latency + skew[p]];
        }
    std::vector<uint64_t> observed(220, 0);
    run([&](uint64_t now) {
      if (now < 200)
        array.issue(now, issuedAt[now]);
      observed[now] = array.step(now);
      return now + 1 < 220;
    });
    if (observed != busy)
      failures += "busy PEs per cycle differ; ";
    if (array.macsPerPe() != macs)
      failures += "MACs per PE differ; ";
    return failures;
  });
  EXPECT_EQ(report, "");
}

} // namespace
} // namespace tessel::sim
