//===- sim/StructuralTop.cpp ----------------------------------------------===//
//
// The program's side of the SystemC simulator: libtessel_systemc.so
// (sim/SystemCModel.cpp: the modules and libsystemc.so) is loaded with
// dlopen when the first simulation needs it, so that programs that never
// simulate never load SystemC (issue 18).
//
//===----------------------------------------------------------------------===//
#include "sim/StructuralTop.h"

#include <dlfcn.h>

#include <memory>
#include <string>

namespace tessel::sim {
namespace {

using RunSystemC = void (*)(StructuralPhases *);

/// The module's entry point, or nothing and `error` says why.
struct Loaded {
  RunSystemC run = nullptr;
  std::string error;
};

/// Tries TESSEL_SYSTEMC_MODULE (the build's, an absolute path), then the
/// same file name beside the object this code is in (an installed copy,
/// e.g. beside the Python module).
Loaded loadModule() {
  Loaded loaded;
  std::string tried;
  std::string name = TESSEL_SYSTEMC_MODULE;
  std::string candidates[2] = {name, ""};
  Dl_info self;
  if (dladdr(reinterpret_cast<void *>(&loadModule), &self) &&
      self.dli_fname) {
    std::string here = self.dli_fname;
    size_t slash = here.rfind('/');
    size_t base = name.rfind('/');
    if (slash != std::string::npos)
      candidates[1] = here.substr(0, slash + 1) +
                      name.substr(base == std::string::npos ? 0 : base + 1);
  }
  for (const std::string &path : candidates) {
    if (path.empty())
      continue;
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = dlerror();
      tried += (tried.empty() ? "" : "; ") + std::string(why ? why : path);
      continue;
    }
    loaded.run =
        reinterpret_cast<RunSystemC>(dlsym(handle, "tesselRunSystemC"));
    if (loaded.run)
      return loaded;
    tried += (tried.empty() ? "" : "; ") + path + ": no tesselRunSystemC";
  }
  loaded.error = "cannot load the SystemC simulator: " + tried;
  return loaded;
}

const Loaded &module() {
  static const Loaded loaded = loadModule();
  return loaded;
}

} // namespace

std::string loadSystemC() {
  // No copyright banner when the kernel starts.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  return module().error;
}

StructuralResult simulateStructuralClocked(const Problem &problem,
                                           const Arch &arch,
                                           const Mapping &mapping,
                                           const StructuralOptions &options) {
  std::unique_ptr<StructuralPhases> phases =
      structuralPhases(problem, arch, mapping, options);
  if (!phases->error().empty())
    return phases->finish();
  std::string error = loadSystemC();
  if (!error.empty()) {
    StructuralResult failed;
    failed.error = error;
    return failed;
  }
  module().run(phases.get());
  return phases->finish();
}

} // namespace tessel::sim
