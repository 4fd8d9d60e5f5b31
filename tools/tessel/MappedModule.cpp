//===- tools/tessel/MappedModule.cpp --------------------------------------===//
#include "MappedModule.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapping/Dialect/MappingAttr.h"
#include "workloads/LinalgToProblem.h"

#include "mlir/IR/MLIRContext.h"

#include <iostream>

namespace tessel::cli {
namespace {

std::string keptText(const Problem &problem, const LevelMapping &level) {
  std::string text;
  for (unsigned t = 0; t < problem.tensors.size(); ++t)
    if (level.keeps(t))
      text += (text.empty() ? "" : ", ") + problem.tensors[t].name;
  return text.empty() ? "nothing (bypassed)" : text;
}

} // namespace

bool reportModuleDiagnostics(const MappedModule &module,
                             const std::string &file) {
  for (const Diagnostic &diagnostic : module.workloads.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : module.errors)
    std::cerr << diagnostic.format() << "\n";
  if (module.ops.empty() && !module.workloads.hasErrors()) {
    std::cerr << file
              << ": error: no op carries a mapping; attach a tessel.mapping "
                 "attribute or pass --mapping FILE.yaml\n";
    return false;
  }
  return true;
}

bool loadInputs(const std::string &archFile, const std::string &mappingFile,
                Arch &arch, std::vector<NamedMapping> &mappings) {
  try {
    arch = loadArch(archFile);
    if (!mappingFile.empty())
      mappings = loadMappingYaml(mappingFile);
  } catch (const ArchError &error) {
    std::cerr << error.what() << "\n";
    return false;
  } catch (const MappingYamlError &error) {
    std::cerr << error.what() << "\n";
    return false;
  }
  return true;
}

MappedModule readMappedModule(const std::string &file, const Arch &arch,
                              const std::vector<NamedMapping> &yamlMappings,
                              const VerifyOptions &options) {
  mlir::DialectRegistry registry;
  registerWorkloadDialects(registry);
  registry.insert<dialect::TesselDialect>();
  mlir::MLIRContext context(registry);
  MappedModule module;
  module.workloads = importLinalgFile(
      file, context, [&](mlir::Operation *op, const Problem &problem) {
        MappedOp entry;
        entry.problem = problem;
        bool found = false;
        for (const NamedMapping &named : yamlMappings)
          if (named.op == problem.name || named.op.empty()) {
            entry.spec = named.mapping;
            found = true;
          }
        if (!found) {
          auto attr = op->getAttrOfType<dialect::MappingAttr>(
              dialect::TesselDialect::kMappingAttrName);
          if (!attr)
            return;
          entry.spec = specFromAttr(attr);
        }
        entry.resolved = resolveMapping(entry.spec, problem, arch,
                                        entry.mapping, entry.errors);
        if (entry.resolved)
          entry.errors = verifyMapping(problem, arch, entry.mapping, options);
        for (const MappingError &error : entry.errors)
          module.errors.push_back(
              {Diagnostic::Severity::Error, problem.source,
               "invalid mapping of '" + problem.name + "': " + error.message});
        module.ops.push_back(std::move(entry));
      });
  return module;
}

void printLoopNest(const Problem &problem, const Mapping &mapping,
                   const Arch &arch, std::ostream &os) {
  os << "  loop nest, DRAM to MAC:\n";
  std::string indent = "    ";
  for (unsigned l = 0; l < arch.levels.size(); ++l) {
    const LevelMapping &level = mapping.levels[l];
    os << indent << arch.levels[l].name << "  (keeps "
       << keptText(problem, level) << ")\n";
    for (const Loop &loop : level.temporal) {
      indent += "  ";
      os << indent << "for " << problem.dims[loop.dim].name << " in "
         << loop.factor << "\n";
    }
    for (const SpatialLoop &loop : level.spatial) {
      indent += "  ";
      os << indent << "spatial-for " << problem.dims[loop.dim].name << " in "
         << loop.factor << " across " << axisName(loop.axis) << "\n";
    }
    indent += "  ";
  }
  os << indent << "MAC\n";
}

} // namespace tessel::cli
