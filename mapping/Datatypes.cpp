//===- mapping/Datatypes.cpp ----------------------------------------------===//
#include "mapping/Datatypes.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <cctype>

namespace tessel {

std::optional<NumberFormat> numberFormatNamed(const std::string &name) {
  // MLIR's spelling (i8, si8, ui8, f16, bf16, f32) or the Arch's (int8,
  // uint8, fp16, bf16, fp32).
  std::string digits, prefix;
  for (char c : name)
    (std::isdigit(static_cast<unsigned char>(c)) ? digits : prefix) += c;
  if (digits.empty() || digits.size() > 3)
    return std::nullopt;
  unsigned bits = unsigned(std::stoul(digits));
  if (bits == 0)
    return std::nullopt;
  if (prefix == "i" || prefix == "si" || prefix == "ui" || prefix == "int" ||
      prefix == "uint")
    return NumberFormat{false, bits};
  if (prefix == "f" || prefix == "bf" || prefix == "fp")
    return NumberFormat{true, bits};
  return std::nullopt;
}

std::vector<std::string> datatypeMismatches(const Problem &problem,
                                            const Arch &arch) {
  std::vector<std::string> found;
  auto add = [&](const std::string &message) {
    for (const std::string &known : found)
      if (known == message)
        return;
    found.push_back(message);
  };
  std::optional<NumberFormat> mac = numberFormatNamed(arch.compute.datatype);
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    const Tensor &tensor = problem.tensors[t];
    std::optional<NumberFormat> element =
        numberFormatNamed(tensor.elementType);
    if (!element)
      continue;
    std::string what = tensor.elementType +
                       (tensor.isOutput ? " outputs" : " inputs");
    if (mac && element->floating != mac->floating)
      add(what + (element->floating ? " are floating-point" : " are integers") +
          " on " + arch.compute.datatype + " MACs");
    else if (mac && !tensor.isOutput && element->bits > mac->bits)
      add(what + " are wider than the " + arch.compute.datatype + " MACs");
    std::string narrow;
    for (const StorageLevel &level : arch.levels)
      if (level.wordBits && element->bits > level.wordBits &&
          level.keepsRole(tensorRole(problem, t)))
        narrow += (narrow.empty() ? "" : ", ") + level.name + " (" +
                  std::to_string(level.wordBits) + "-bit)";
    if (!narrow.empty())
      add(what + " are wider than the words of " + narrow +
          ", which count each as one word");
  }
  return found;
}

} // namespace tessel
