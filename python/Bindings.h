//===- python/Bindings.h - The parts of the `tessel` Python module -*- C++
//-*-===//
//
// The module is bound in a few files, one per kind of object; each adds its
// classes and functions to the module with one function. Errors the user can
// fix (bad files, invalid mappings) are thrown as InputError and raised in
// Python as tessel.TesselError with the located message and, when the
// message starts with `file:line:col: error: `, its file, line and column.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_PYTHON_BINDINGS_H
#define TESSEL_PYTHON_BINDINGS_H

#include <pybind11/pybind11.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace tessel::python {

/// A bad input or an invalid mapping: becomes tessel.TesselError, with
/// `reasons` as its `.reasons` (every reason, when there are several).
class InputError : public std::runtime_error {
public:
  explicit InputError(const std::string &message,
                      std::vector<std::string> reasons = {})
      : std::runtime_error(message), reasons(std::move(reasons)) {}
  std::vector<std::string> reasons;
};

void bindErrors(pybind11::module_ &module);
void bindProblem(pybind11::module_ &module);
void bindArch(pybind11::module_ &module);
void bindEvaluate(pybind11::module_ &module);

} // namespace tessel::python

#endif // TESSEL_PYTHON_BINDINGS_H
