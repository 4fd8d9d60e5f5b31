//===- python/ProblemBindings.cpp - Problems, from MLIR or an einsum ------===//
//
// tessel.Problem, tessel.Workloads (what `tessel workloads` reads:
// importLinalgFile / importLinalgSource) and the einsum builder behind
// tessel.Problem.einsum.
//
//===----------------------------------------------------------------------===//
#include "Bindings.h"
#include "mapping/Dialect/MappedImport.h"

#include "mapping/Datatypes.h"
#include "workloads/LinalgImport.h"

#include <pybind11/stl.h>

#include <map>
#include <regex>
#include <set>

namespace py = pybind11;

namespace tessel::python {
namespace {

/// Every error of `set` as one message, or nothing when it has none.
void throwIfErrors(const WorkloadSet &set) {
  std::vector<std::string> reasons;
  for (const Diagnostic &diagnostic : set.diagnostics)
    if (diagnostic.severity == Diagnostic::Severity::Error)
      reasons.push_back(diagnostic.format());
  if (reasons.empty())
    return;
  std::string message;
  for (const std::string &reason : reasons)
    message += (message.empty() ? "" : "\n") + reason;
  throw InputError(message, reasons);
}

WorkloadSet checked(WorkloadSet set) {
  throwIfErrors(set);
  return set;
}

py::tuple sourceTuple(const SourceRef &source) {
  return py::make_tuple(source.file, source.line, source.column);
}

/// Bits of an MLIR element type name: f32, bf16, i8, si4, ui16, ...
unsigned elementBitsOf(const std::string &type) {
  static const std::regex pattern(R"(^(f|bf|i|si|ui)([0-9]+)$)");
  std::smatch match;
  if (!std::regex_match(type, match, pattern) || match[2].length() > 4 ||
      std::stoul(match[2].str()) == 0)
    throw InputError("einsum: unknown element type '" + type +
                     "'; expected an MLIR integer or float type such as "
                     "f32, f16, bf16, i8, i32");
  return unsigned(std::stoul(match[2].str()));
}

std::vector<std::string> split(const std::string &text, char separator) {
  std::vector<std::string> parts(1);
  for (char c : text)
    if (c == separator)
      parts.emplace_back();
    else
      parts.back() += c;
  return parts;
}

/// `inputs->output` with one letter per index, e.g. "mk,kn->mn": the
/// output reduces over the indices absent from it. Dimensions are the
/// output's indices in order, then the reduced ones as they first appear.
Problem einsumProblem(const std::string &spec,
                      const std::map<std::string, int64_t> &bounds,
                      const std::string &dtype,
                      const std::vector<std::string> &tensorNames,
                      const std::string &name) {
  std::string text;
  for (char c : spec)
    if (c != ' ')
      text += c;
  size_t arrow = text.find("->");
  if (arrow == std::string::npos)
    throw InputError("einsum: '" + spec +
                     "' has no '->'; write it as 'mk,kn->mn'");
  std::vector<std::string> operands = split(text.substr(0, arrow), ',');
  operands.push_back(text.substr(arrow + 2));
  if (operands.size() != 3)
    throw InputError("einsum: '" + spec + "' has " +
                     std::to_string(operands.size() - 1) +
                     " inputs; Tessel maps contractions of two inputs "
                     "('mk,kn->mn')");
  for (const std::string &operand : operands) {
    std::set<char> seen;
    for (char index : operand) {
      if (!std::isalpha(static_cast<unsigned char>(index)))
        throw InputError("einsum: '" + spec + "': index '" +
                         std::string(1, index) +
                         "' is not a letter; each index is one letter");
      if (!seen.insert(index).second)
        throw InputError("einsum: '" + spec + "': index '" +
                         std::string(1, index) + "' repeats in '" + operand +
                         "'; each index may appear once per tensor");
    }
  }
  std::string order = operands[2];
  for (char index : order)
    if (operands[0].find(index) == std::string::npos &&
        operands[1].find(index) == std::string::npos)
      throw InputError("einsum: '" + spec + "': output index '" +
                       std::string(1, index) + "' is in no input");
  for (unsigned i = 0; i < 2; ++i)
    for (char index : operands[i])
      if (order.find(index) == std::string::npos)
        order += index;

  std::vector<std::string> names = tensorNames;
  if (names.empty())
    names = {"A", "B", "C"};
  if (names.size() != 3)
    throw InputError("einsum: tensors= names " + std::to_string(names.size()) +
                     " tensors; give three names (two inputs, the output)");

  Problem problem;
  problem.name = name;
  problem.opName = "einsum " + text;
  std::set<std::string> used;
  for (char index : order) {
    std::string dim(1, index);
    auto bound = bounds.find(dim);
    if (bound == bounds.end())
      throw InputError("einsum: '" + spec + "': index '" + dim +
                       "' has no bound; pass " + dim + "=N");
    if (bound->second < 1)
      throw InputError("einsum: bound " + dim + "=" +
                       std::to_string(bound->second) + " is not positive");
    problem.dims.push_back({dim, bound->second});
    used.insert(dim);
  }
  for (const auto &[dim, bound] : bounds)
    if (!used.count(dim))
      throw InputError("einsum: '" + spec + "' has no index '" + dim + "'");
  unsigned bits = elementBitsOf(dtype);
  for (unsigned t = 0; t < 3; ++t) {
    Tensor tensor;
    tensor.name = names[t];
    tensor.elementType = dtype;
    tensor.elementBits = bits;
    tensor.isOutput = t == 2;
    for (char index : operands[t]) {
      unsigned dim = unsigned(order.find(index));
      tensor.projection.push_back(Projection{{{dim, 1}}, 0});
      tensor.shape.push_back(problem.dims[dim].bound);
    }
    problem.tensors.push_back(std::move(tensor));
  }
  try {
    problem.macs();
  } catch (const std::overflow_error &) {
    throw InputError("einsum: '" + spec +
                     "': the product of the bounds overflows 64 bits");
  }
  return problem;
}

uint64_t macsOf(const Problem &problem) {
  try {
    return problem.macs();
  } catch (const std::overflow_error &error) {
    throw InputError("op '" + problem.name + "': " + error.what());
  }
}

void bindTensor(py::module_ &module) {
  py::class_<Tensor>(module, "Tensor",
                     "A tensor of a Problem: its element type and the "
                     "projection from the loop indices to its coordinates.")
      .def_readonly("name", &Tensor::name)
      .def_readonly("element_type", &Tensor::elementType)
      .def_readonly("element_bits", &Tensor::elementBits)
      .def_readonly("stored_bits", &Tensor::storedBits,
                    "Bits the accelerator holds each element in: 0 (one "
                    "word of each level) unless "
                    "with_precision('declared').")
      .def_readonly("shape", &Tensor::shape)
      .def_readonly("is_output", &Tensor::isOutput)
      .def_property_readonly("elements", &Tensor::elements)
      .def_property_readonly("bytes", &Tensor::bytes)
      .def("__repr__", [](const Tensor &tensor) {
        return "<tessel.Tensor " + tensor.name + " " + tensor.elementType +
               (tensor.isOutput ? " output>" : ">");
      });
}

void bindProblemClass(py::module_ &module) {
  py::class_<Problem>(module, "Problem",
                      "A tensor op as a perfectly nested loop: named "
                      "dimensions with bounds and the tensors it touches.")
      .def_readonly("name", &Problem::name)
      .def_readonly("op", &Problem::opName)
      .def_property_readonly(
          "dims",
          [](const Problem &problem) {
            std::vector<std::pair<std::string, int64_t>> dims;
            for (const Dimension &dim : problem.dims)
              dims.emplace_back(dim.name, dim.bound);
            return dims;
          },
          "[(name, bound)] in loop order.")
      .def_readonly("tensors", &Problem::tensors, "Inputs, then the output.")
      .def(
          "projection",
          [](const Problem &problem, const std::string &tensor) {
            std::optional<unsigned> index = problem.tensorIndex(tensor);
            if (!index)
              throw py::key_error("no tensor '" + tensor + "' in op '" +
                                  problem.name + "'");
            std::vector<std::string> coordinates;
            for (const Projection &p : problem.tensors[*index].projection)
              coordinates.push_back(formatProjection(problem, p));
            return coordinates;
          },
          py::arg("tensor"),
          "The tensor's coordinates as loop-index expressions, e.g. "
          "['n', '2*oh + kh', '2*ow + kw', 'c'].")
      .def_property_readonly(
          "reduction_dims",
          [](const Problem &problem) {
            std::vector<std::string> names;
            for (unsigned dim : problem.reductionDims())
              names.push_back(problem.dims[dim].name);
            return names;
          },
          "Dimensions the output reduces over.")
      .def(
          "with_precision",
          [](const Problem &problem, const std::string &name) {
            std::optional<Precision> precision = precisionNamed(name);
            if (!precision)
              throw InputError("precision must be 'words' or 'declared', "
                               "got '" +
                               name + "'");
            Problem copy = problem;
            applyPrecision(copy, *precision);
            return copy;
          },
          py::arg("precision"),
          "A copy held at `precision`: 'words' (each element one word of "
          "every level, the default) or 'declared' (each tensor at its "
          "element type's width, packed into the levels' words; "
          "docs/arch.md), as tessel's --precision.")
      .def_property_readonly("macs", &macsOf,
                             "Multiply-accumulates: the product of the "
                             "bounds.")
      .def_property_readonly(
          "source",
          [](const Problem &problem) { return sourceTuple(problem.source); },
          "(file, line, column) of the op; ('', 0, 0) when built in Python.")
      .def("__repr__", [](const Problem &problem) {
        std::string dims;
        for (const Dimension &dim : problem.dims)
          dims += " " + dim.name + "=" + std::to_string(dim.bound);
        return "<tessel.Problem " + problem.name + " " + problem.opName + dims +
               ">";
      });
}

void bindWorkloads(py::module_ &module) {
  py::class_<SetAsideOp>(module, "SetAsideOp",
                         "An op read but not mapped: it does no "
                         "multiply-accumulate (a bias add, ReLU, pad, ...).")
      .def_readonly("name", &SetAsideOp::name)
      .def_readonly("op", &SetAsideOp::opName)
      .def_readonly("kind", &SetAsideOp::kind)
      .def_readonly("elements", &SetAsideOp::elements)
      .def_readonly("bytes", &SetAsideOp::bytes)
      .def_property_readonly(
          "source", [](const SetAsideOp &op) { return sourceTuple(op.source); })
      .def("__repr__", [](const SetAsideOp &op) {
        return "<tessel.SetAsideOp " + op.name + " " + op.kind + ">";
      });

  py::class_<WorkloadSet>(module, "Workloads",
                          "The tensor contractions of a module as Problems "
                          "(a sequence), the ops set aside and the notes.")
      .def_readonly("file", &WorkloadSet::file)
      .def_readonly("problems", &WorkloadSet::problems)
      .def_readonly("not_contractions", &WorkloadSet::setAside)
      .def_property_readonly(
          "diagnostics",
          [](const WorkloadSet &set) {
            std::vector<std::string> lines;
            for (const Diagnostic &diagnostic : set.diagnostics)
              lines.push_back(diagnostic.format());
            return lines;
          },
          "Warnings and notes, as `file:line:col: note: ...` lines.")
      .def_property_readonly("total_macs", &WorkloadSet::totalMacs)
      .def("__len__",
           [](const WorkloadSet &set) { return set.problems.size(); })
      .def("__getitem__",
           [](const WorkloadSet &set, py::object key) -> Problem {
             if (py::isinstance<py::str>(key)) {
               std::string name = key.cast<std::string>();
               for (const Problem &problem : set.problems)
                 if (problem.name == name)
                   return problem;
               throw py::key_error("no op '" + name + "' in " + set.file);
             }
             long index = key.cast<long>();
             long size = long(set.problems.size());
             if (index < 0)
               index += size;
             if (index < 0 || index >= size)
               throw py::index_error("op index out of range");
             return set.problems[size_t(index)];
           })
      .def(
          "__iter__",
          [](const WorkloadSet &set) {
            return py::make_iterator(set.problems.begin(), set.problems.end());
          },
          py::keep_alive<0, 1>())
      .def("__repr__", [](const WorkloadSet &set) {
        return "<tessel.Workloads " + set.file + ": " +
               std::to_string(set.problems.size()) + " problems, " +
               std::to_string(set.setAside.size()) + " not contractions>";
      });
}

} // namespace

void bindProblem(py::module_ &module) {
  bindTensor(module);
  bindProblemClass(module);
  bindWorkloads(module);
  module.def(
      "load_workloads",
      [](const std::string &path, bool strict) {
        ImportOptions options;
        options.strict = strict;
        // With the tessel dialect known: modules `tessel map -o` wrote read.
        return checked(importMappedFile(path, options).workloads);
      },
      py::arg("path"), py::arg("strict") = false,
      "Reads an MLIR file (linalg or TOSA) as `tessel workloads` does: each "
      "tensor contraction becomes a Problem; ops that do no MAC are in "
      "`not_contractions` (errors with strict=True). Raises TesselError "
      "with every located error.");
  module.def(
      "from_mlir_string",
      [](const std::string &text, const std::string &name, bool strict) {
        ImportOptions options;
        options.strict = strict;
        return checked(importLinalgSource(text, name, options));
      },
      py::arg("text"), py::arg("name") = "<string>", py::arg("strict") = false,
      "load_workloads() for MLIR source text; `name` names it in messages.");
  module.def(
      "load_mapped",
      [](const std::string &path) {
        MappedWorkloads mapped = importMappedFile(path);
        throwIfErrors(mapped.workloads);
        py::list ops;
        for (size_t i = 0; i < mapped.workloads.problems.size(); ++i)
          ops.append(py::make_tuple(
              mapped.workloads.problems[i],
              mapped.mappings[i] ? py::cast(*mapped.mappings[i]) : py::none()));
        return ops;
      },
      py::arg("path"),
      "Reads a mapped module (what `tessel map -o x.mlir` writes): a list "
      "of (Problem, Mapping or None), None for ops without a "
      "#tessel.mapping attribute.");
  module.def("_einsum", &einsumProblem, py::arg("spec"), py::arg("bounds"),
             py::arg("dtype"), py::arg("tensors"), py::arg("name"));
}

} // namespace tessel::python
