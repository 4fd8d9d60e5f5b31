//===- python/TesselModule.cpp - The `tessel._tessel` extension -----------===//
//
// The compiled half of the `tessel` package (python/tessel/__init__.py is the
// other): the version, the exception and every binding.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"

#include "arch/ArchError.h"
#include "mapper/Constraints.h"
#include "mapping/MappingYaml.h"

#include <pybind11/stl.h>

#include <regex>

namespace py = pybind11;

namespace tessel::python {
namespace {

/// tessel.TesselError(message) with .file, .line, .column (None when the
/// message has no position) and .reasons.
void raise(const py::object &type, const std::string &message,
           const std::vector<std::string> &reasons) {
  py::object error = type(message);
  static const std::regex located(R"(^(.*?):(\d+):(\d+): error: )");
  std::smatch match;
  if (std::regex_search(message, match, located)) {
    error.attr("file") = match[1].str();
    error.attr("line") = std::stoul(match[2].str());
    error.attr("column") = std::stoul(match[3].str());
  } else {
    error.attr("file") = py::none();
    error.attr("line") = py::none();
    error.attr("column") = py::none();
  }
  error.attr("reasons") =
      reasons.empty() ? py::list(py::cast(std::vector<std::string>{message}))
                      : py::list(py::cast(reasons));
  PyErr_SetObject(type.ptr(), error.ptr());
}

} // namespace

void bindErrors(py::module_ &module) {
  static py::exception<InputError> type(module, "TesselError",
                                        PyExc_RuntimeError);
  type.doc() = "Bad input or an invalid mapping. str(error) is the located "
               "message ('file:line:col: error: ...'); .file, .line and "
               ".column are its position (None when it has none), .reasons "
               "every reason.";
  py::register_exception_translator([](std::exception_ptr pointer) {
    if (!pointer)
      return;
    try {
      std::rethrow_exception(pointer);
    } catch (const InputError &error) {
      raise(type, error.what(), error.reasons);
    } catch (const ArchError &error) {
      raise(type, error.what(), {});
    } catch (const MappingYamlError &error) {
      raise(type, error.what(), {});
    } catch (const ConstraintError &error) {
      raise(type, error.what(), {});
    }
  });
}

} // namespace tessel::python

PYBIND11_MODULE(_tessel, module) {
  module.doc() = "Tessel's libraries from Python (the compiled half of the "
                 "`tessel` package; import `tessel`, not this).";
  module.attr("__version__") = TESSEL_VERSION;
  tessel::python::bindErrors(module);
  tessel::python::bindProblem(module);
  tessel::python::bindArch(module);
  tessel::python::bindEvaluate(module);
}
