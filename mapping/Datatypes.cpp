//===- mapping/Datatypes.cpp ----------------------------------------------===//
#include "mapping/Datatypes.h"

#include "arch/Arch.h"
#include "mapping/Mapping.h"
#include "workloads/Problem.h"

#include <algorithm>
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

const char *precisionName(Precision precision) {
  return precision == Precision::Declared ? "declared" : "words";
}

std::optional<Precision> precisionNamed(const std::string &name) {
  if (name == "words")
    return Precision::Words;
  if (name == "declared")
    return Precision::Declared;
  return std::nullopt;
}

void applyPrecision(Problem &problem, Precision precision) {
  for (Tensor &tensor : problem.tensors)
    tensor.storedBits =
        precision == Precision::Declared ? tensor.elementBits : 0;
}

namespace {

/// The levels whose roles let them hold tensor t and whose words are
/// narrower than its `bits`-bit elements.
std::vector<const StorageLevel *> narrowLevels(const Problem &problem,
                                               const Arch &arch, unsigned t,
                                               unsigned bits) {
  std::vector<const StorageLevel *> found;
  if (problem.tensors[t].storedBits != 0)
    return found; // Held at its width: it spans words.
  for (const StorageLevel &level : arch.levels)
    if (level.wordBits && bits > level.wordBits &&
        level.keepsRole(tensorRole(problem, t)))
      found.push_back(&level);
  return found;
}

} // namespace

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
    std::optional<NumberFormat> element = numberFormatNamed(tensor.elementType);
    if (!element)
      continue;
    std::string what =
        tensor.elementType + (tensor.isOutput ? " outputs" : " inputs");
    if (mac && element->floating != mac->floating)
      add(what + (element->floating ? " are floating-point" : " are integers") +
          " on " + arch.compute.datatype + " MACs");
    else if (mac && !tensor.isOutput && element->bits > mac->bits)
      add(what + " are wider than the " + arch.compute.datatype + " MACs");
    std::string narrow;
    for (const StorageLevel *level :
         narrowLevels(problem, arch, t, element->bits))
      narrow += (narrow.empty() ? "" : ", ") + level->name + " (" +
                std::to_string(level->wordBits) + "-bit)";
    if (!narrow.empty())
      add(what + " are wider than the words of " + narrow +
          ", which count each as one word");
  }
  return found;
}

std::optional<std::string> datatypeWarning(const Problem &problem,
                                           const Arch &arch) {
  std::optional<NumberFormat> mac = numberFormatNamed(arch.compute.datatype);
  std::string types, levels;
  bool macMismatch = false;
  unsigned narrowest = 0;
  for (unsigned t = 0; t < problem.tensors.size(); ++t) {
    const Tensor &tensor = problem.tensors[t];
    std::optional<NumberFormat> element = numberFormatNamed(tensor.elementType);
    if (!element)
      continue;
    bool misfit = false;
    if (mac && (element->floating != mac->floating ||
                (!tensor.isOutput && element->bits > mac->bits)))
      misfit = macMismatch = true;
    for (const StorageLevel *level :
         narrowLevels(problem, arch, t, element->bits)) {
      misfit = true;
      if (levels.find(level->name) == std::string::npos)
        levels += (levels.empty() ? "" : ", ") + level->name;
      narrowest =
          narrowest ? std::min(narrowest, level->wordBits) : level->wordBits;
    }
    if (misfit && types.find(tensor.elementType) == std::string::npos)
      types += (types.empty() ? "" : "/") + tensor.elementType;
  }
  if (types.empty())
    return std::nullopt; // Everything fits.
  std::string text = types + " elements on " + arch.name + "'s ";
  if (macMismatch)
    text += arch.compute.datatype + " MACs" + (levels.empty() ? "" : " and ");
  if (!levels.empty())
    text += std::to_string(narrowest) + "-bit words (" + levels + ")";
  if (levels.empty())
    return text + ": each counted as one MAC (docs/arch.md)";
  return text +
         ": each counted as one word and one MAC; --precision declared holds "
         "them at their widths (docs/arch.md)";
}

} // namespace tessel
