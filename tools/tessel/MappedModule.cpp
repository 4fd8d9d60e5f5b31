//===- tools/tessel/MappedModule.cpp --------------------------------------===//
#include "MappedModule.h"

#include "arch/ArchError.h"
#include "arch/ArchLoader.h"
#include "mapping/Datatypes.h"
#include "mapping/Dialect/MappedImport.h"

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

/// "m.yaml:12:9" as a SourceRef (the whole text as the file if it has no
/// position).
SourceRef sourceOf(const std::string &where) {
  SourceRef ref;
  size_t column = where.rfind(':');
  size_t line = column == std::string::npos || column == 0
                    ? std::string::npos
                    : where.rfind(':', column - 1);
  if (line == std::string::npos) {
    ref.file = where;
    return ref;
  }
  ref.file = where.substr(0, line);
  ref.line = unsigned(std::stoul(where.substr(line + 1, column - line - 1)));
  ref.column = unsigned(std::stoul(where.substr(column + 1)));
  return ref;
}

} // namespace

void addDatatypeWarnings(const Problem &problem, const Arch &arch,
                         std::vector<Diagnostic> &diagnostics) {
  std::optional<std::string> warning = datatypeWarning(problem, arch);
  if (!warning)
    return;
  const std::string &message = *warning;
  // Once per module: later ops with the same mismatch are counted.
  for (Diagnostic &known : diagnostics) {
    std::string &text = known.message;
    size_t at = text.find(message);
    if (known.severity != Diagnostic::Severity::Warning ||
        at == std::string::npos)
      continue;
    size_t more = text.find(" [and ", at + message.size());
    unsigned count = more == std::string::npos
                         ? 0
                         : unsigned(std::stoul(text.substr(more + 6)));
    text = text.substr(0, at + message.size()) + " [and " +
           std::to_string(count + 1) + " more op" +
           (count + 1 == 1 ? "" : "s") + "]";
    return;
  }
  diagnostics.push_back({Diagnostic::Severity::Warning, problem.source,
                         "'" + problem.name + "': " + message});
}

bool reportModuleDiagnostics(const MappedModule &module,
                             const std::string &file) {
  for (const Diagnostic &diagnostic : module.workloads.diagnostics)
    std::cerr << diagnostic.format() << "\n";
  for (const Diagnostic &diagnostic : module.errors)
    std::cerr << diagnostic.format() << "\n";
  if (module.ops.empty() && !module.workloads.hasErrors()) {
    if (!module.errors.empty())
      return false;
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
    arch = loadArchByNameOrPath(archFile);
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
                              const VerifyOptions &options,
                              Precision precision) {
  MappedWorkloads mapped = importMappedFile(file);
  MappedModule module;
  module.workloads = std::move(mapped.workloads);
  for (size_t i = 0; i < module.workloads.problems.size(); ++i) {
    Problem &problem = module.workloads.problems[i];
    applyPrecision(problem, precision);
    addDatatypeWarnings(problem, arch, module.workloads.diagnostics);
    MappedOp entry;
    entry.problem = problem;
    bool found = false;
    for (const NamedMapping &named : yamlMappings)
      if (named.op == problem.name || named.op.empty()) {
        entry.spec = named.mapping;
        found = true;
      }
    if (!found) {
      if (!mapped.mappings[i])
        continue; // No mapping from the file or the op's attribute.
      entry.spec = *mapped.mappings[i];
    }
    entry.resolved =
        resolveMapping(entry.spec, problem, arch, entry.mapping, entry.errors);
    if (entry.resolved)
      entry.errors = verifyMapping(problem, arch, entry.mapping, options);
    locateErrors(entry.spec, entry.errors);
    for (const MappingError &error : entry.errors) {
      std::string message =
          "invalid mapping of '" + problem.name + "': " + error.message;
      if (error.where.empty()) {
        module.errors.push_back(
            {Diagnostic::Severity::Error, problem.source, message});
        continue;
      }
      // The mapping file is what is wrong; the op is where it applies.
      module.errors.push_back(
          {Diagnostic::Severity::Error, sourceOf(error.where), message});
      module.errors.push_back({Diagnostic::Severity::Note, problem.source,
                               "op '" + problem.name + "' is here"});
    }
    module.ops.push_back(std::move(entry));
  }
  // A mapping for an op the module does not have is a mistake (a typo, or
  // the wrong module), never silently unused.
  std::string opNames;
  for (const Problem &problem : module.workloads.problems)
    opNames += (opNames.empty() ? "" : ", ") + problem.name;
  for (const NamedMapping &named : yamlMappings) {
    if (named.op.empty())
      continue;
    bool used = false;
    for (const Problem &problem : module.workloads.problems)
      used |= problem.name == named.op;
    if (!used && !module.workloads.hasErrors())
      module.errors.push_back(
          {Diagnostic::Severity::Error, sourceOf(named.mapping.origin),
           "the mapping names op '" + named.op + "', but " + file +
               " has no op of that name; its ops are: " +
               (opNames.empty() ? std::string("none") : opNames)});
  }
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
