//===- python/ArchBindings.cpp - Accelerators -----------------------------===//
//
// tessel.Arch (what `tessel arch` loads: loadArchByNameOrPath, parseArch)
// and its levels, read-only; tessel.presets().
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "arch/Arch.h"
#include "arch/ArchLoader.h"
#include "arch/Area.h"

#include <pybind11/stl.h>

namespace py = pybind11;

namespace tessel::python {
namespace {

/// None for an unlimited bandwidth or an unbounded capacity.
py::object optionalNumber(const std::optional<double> &value) {
  return value ? py::object(py::float_(*value)) : py::object(py::none());
}

std::vector<std::string> keptRoles(const StorageLevel &level) {
  std::vector<std::string> roles;
  for (unsigned r = 0; r < kTensorRoleCount; ++r)
    if (level.keeps[r])
      roles.push_back(tensorRoleName(TensorRole(r)));
  return roles;
}

/// areaOf(arch), as `tessel arch --json` gives it, in mm^2 and mW.
py::dict areaDict(const Arch &arch) {
  AreaBreakdown area = areaOf(arch);
  py::list levels;
  for (const LevelArea &level : area.levels) {
    py::dict entry;
    entry["name"] = level.level;
    entry["instances"] = level.instances;
    entry["storage"] = level.kinds;
    entry["storage_mm2"] = level.storageUm2 / 1e6;
    entry["network_mm2"] = level.networkUm2 / 1e6;
    entry["leakage_mw"] = level.leakageMW;
    levels.append(entry);
  }
  py::dict technology;
  technology["node_nm"] = arch.technology.nodeNm;
  technology["vdd"] = arch.technology.vdd;
  py::dict dict;
  dict["technology"] = technology;
  dict["levels"] = levels;
  dict["macs"] = area.macs;
  dict["mac_mm2"] = area.macUm2 / 1e6;
  dict["storage_mm2"] = area.storageUm2() / 1e6;
  dict["network_mm2"] = area.networkUm2() / 1e6;
  dict["total_mm2"] = area.totalUm2() / 1e6;
  dict["leakage_mw"] = area.leakageMW();
  return dict;
}

py::dict networkDict(const Network &network) {
  py::dict dict;
  dict["topology"] = network.topology;
  dict["multicast"] = network.multicast;
  dict["reduction"] = network.reduction;
  dict["link_bandwidth"] = optionalNumber(network.linkBandwidth);
  dict["hop_latency"] = network.hopLatency;
  dict["hop_energy"] = network.hopEnergy;
  return dict;
}

void bindLevel(py::module_ &module) {
  py::class_<StorageLevel>(module, "Level",
                           "One storage level; capacities and bandwidths "
                           "are per instance, in words.")
      .def_readonly("name", &StorageLevel::name)
      .def_property_readonly(
          "capacity",
          [](const StorageLevel &level) -> py::object {
            if (level.isUnbounded())
              return py::none();
            return py::int_(level.capacity);
          },
          "Words per instance; None when unbounded (DRAM).")
      .def_property_readonly(
          "partition",
          [](const StorageLevel &level) -> py::object {
            if (!level.partition)
              return py::none();
            py::dict words;
            for (unsigned r = 0; r < kTensorRoleCount; ++r)
              words[tensorRoleName(TensorRole(r))] = (*level.partition)[r];
            return words;
          },
          "Words reserved per role ({'input': ..}), or None when shared.")
      .def_property_readonly("keeps", &keptRoles,
                             "Roles the level may hold: 'input', 'weight', "
                             "'output'.")
      .def_readonly("word_bits", &StorageLevel::wordBits)
      .def_readonly("banks", &StorageLevel::banks)
      .def_readonly("ports", &StorageLevel::ports)
      .def_property_readonly(
          "read_bandwidth",
          [](const StorageLevel &level) {
            return optionalNumber(level.readBandwidth);
          },
          "Words/cycle per instance; None when unlimited.")
      .def_property_readonly(
          "write_bandwidth",
          [](const StorageLevel &level) {
            return optionalNumber(level.writeBandwidth);
          },
          "Words/cycle per instance; None when unlimited.")
      .def_property_readonly(
          "bandwidths",
          [](const StorageLevel &level) {
            py::dict dict;
            dict["read"] = optionalNumber(level.readBandwidth);
            dict["write"] = optionalNumber(level.writeBandwidth);
            dict["link"] = optionalNumber(level.network.linkBandwidth);
            return dict;
          },
          "{'read', 'write', 'link'} in words/cycle; None when unlimited.")
      .def_property_readonly(
          "energy",
          [](const StorageLevel &level) {
            py::dict dict;
            dict["read"] = level.energy.read;
            dict["write"] = level.energy.write;
            dict["update"] = level.energy.update;
            return dict;
          },
          "pJ per word read, written (filled) and updated.")
      .def_readonly("latency", &StorageLevel::latency)
      .def_property_readonly(
          "fanout",
          [](const StorageLevel &level) {
            return py::make_tuple(level.fanout[0], level.fanout[1]);
          },
          "(X, Y) children per instance.")
      .def_readonly("instances", &StorageLevel::instances)
      .def_property_readonly(
          "network",
          [](const StorageLevel &level) { return networkDict(level.network); })
      .def("__repr__", [](const StorageLevel &level) {
        return "<tessel.Level " + level.name + " x" +
               std::to_string(level.instances) + ">";
      });
}

void bindArchClass(py::module_ &module) {
  py::class_<Arch>(module, "Arch",
                   "An accelerator: storage levels from DRAM (levels[0]) "
                   "to the registers next to the MACs, and the compute.")
      .def_static(
          "load",
          [](const std::string &nameOrPath) {
            return loadArchByNameOrPath(nameOrPath);
          },
          py::arg("preset_or_path"),
          "A preset by name ('eyeriss', see tessel.presets()) or an arch "
          "YAML file, as every --arch takes it. Raises TesselError naming "
          "file, line and field.")
      .def_static("from_yaml", &parseArch, py::arg("text"),
                  py::arg("name") = "<string>",
                  "An arch from YAML text; `name` names it in messages.")
      .def_readonly("name", &Arch::name)
      .def_readonly("description", &Arch::description)
      .def_readonly("file", &Arch::file)
      .def_readonly("clock_ghz", &Arch::clockGHz)
      .def_readonly("levels", &Arch::levels, "Outermost (DRAM) first.")
      .def_property_readonly("pe_count", &Arch::peCount)
      .def_property_readonly("peak_macs_per_cycle", &Arch::peakMacsPerCycle)
      .def_property_readonly(
          "compute",
          [](const Arch &arch) {
            py::dict dict;
            dict["datatype"] = arch.compute.datatype;
            dict["macs_per_pe"] = arch.compute.macsPerPE;
            dict["mac_energy"] = arch.compute.macEnergy;
            dict["pipeline_latency"] = arch.compute.pipelineLatency;
            dict["instances"] = arch.compute.instances;
            return dict;
          },
          "The compute units below the innermost level.")
      .def_property_readonly(
          "area", &areaDict,
          "Area (mm^2) and leakage (mW) per level and kind, totals over "
          "instances, at the arch's technology: `tessel arch`'s table.")
      .def(
          "variant",
          [](const Arch &arch, const std::string &levelName,
             std::optional<std::pair<unsigned, unsigned>> fanout,
             std::optional<uint64_t> capacity,
             std::optional<double> readBandwidth,
             std::optional<double> writeBandwidth,
             std::optional<double> linkBandwidth,
             std::optional<std::string> name) {
            Arch copy = arch;
            std::optional<unsigned> index = copy.levelIndex(levelName);
            if (!index)
              throw py::key_error("arch '" + arch.name + "' has no level '" +
                                  levelName + "'");
            StorageLevel &level = copy.levels[*index];
            if (fanout)
              level.fanout = {fanout->first, fanout->second};
            if (capacity) {
              level.capacity = *capacity;
              level.partition.reset();
            }
            if (readBandwidth)
              level.readBandwidth = *readBandwidth;
            if (writeBandwidth)
              level.writeBandwidth = *writeBandwidth;
            if (linkBandwidth)
              level.network.linkBandwidth = *linkBandwidth;
            copy.name = name ? *name : arch.name + "-variant";
            rebuildArch(copy); // Network graphs, hops and instances.
            return copy;
          },
          py::arg("level"), py::kw_only(), py::arg("fanout") = py::none(),
          py::arg("capacity") = py::none(),
          py::arg("read_bandwidth") = py::none(),
          py::arg("write_bandwidth") = py::none(),
          py::arg("link_bandwidth") = py::none(), py::arg("name") = py::none(),
          "A copy with one level changed (fan-out (X, Y), capacity in words "
          "(shared by all tensors), bandwidths in words/cycle), its networks "
          "and instance counts rebuilt; raises TesselError for what the "
          "loader would refuse.")
      .def(
          "level",
          [](const Arch &arch, const std::string &name) {
            std::optional<unsigned> index = arch.levelIndex(name);
            if (!index)
              throw py::key_error("arch '" + arch.name + "' has no level '" +
                                  name + "'");
            return arch.levels[*index];
          },
          py::arg("name"))
      .def("__repr__", [](const Arch &arch) {
        return "<tessel.Arch " + arch.name + ": " +
               std::to_string(arch.levels.size()) + " levels, " +
               std::to_string(arch.peCount()) + " PEs>";
      });
}

} // namespace

void bindArch(py::module_ &module) {
  bindLevel(module);
  bindArchClass(module);
  module.def(
      "presets", [] { return presetNames(); },
      "The preset names (arch/presets/NAME.yaml), sorted.");
}

} // namespace tessel::python
