//===- mapping/Dialect/TesselDialect.cpp - Dialect and attribute syntax ----===//
//
// Syntax (one level per line when printed):
//
//   #tessel.mapping<
//     DRAM: temporal [m=4, n=2] keep [A, B, C],
//     Buffer: temporal [k=8] spatial [n=16 @X, k=4 @Y] keep [A, C],
//     PE: temporal [k=2] keep [B]
//   >
//
// Names are bare identifiers or quoted strings; temporal loops are listed
// outermost first; `keep` is required so that bypassing is always explicit.
//
//===----------------------------------------------------------------------===//
#include "mapping/Dialect/TesselDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace tessel::dialect;

#include "mapping/Dialect/TesselDialect.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "mapping/Dialect/TesselAttrs.cpp.inc"

namespace {

/// Gives mappings the alias `#mapping`, so a mapped module lists each
/// mapping once at its top, a level per line.
struct TesselAsmInterface : public OpAsmDialectInterface {
  using OpAsmDialectInterface::OpAsmDialectInterface;
  AliasResult getAlias(Attribute attr, raw_ostream &os) const override {
    if (isa<MappingAttr>(attr)) {
      os << "mapping";
      return AliasResult::FinalAlias;
    }
    return AliasResult::NoAlias;
  }
};

ParseResult parseName(AsmParser &parser, StringAttr &name) {
  std::string text;
  if (parser.parseKeywordOrString(&text))
    return failure();
  name = parser.getBuilder().getStringAttr(text);
  return success();
}

/// `dim=factor`, or `dim=factor @X` / `@Y` for a spatial loop.
ParseResult parseLoopBody(AsmParser &parser, LoopAttr &loop) {
  StringAttr dim;
  int64_t factor = 0;
  if (parseName(parser, dim) || parser.parseEqual())
    return failure();
  SMLoc factorLoc = parser.getCurrentLocation();
  if (parser.parseInteger(factor))
    return failure();
  if (factor < 1)
    return parser.emitError(factorLoc,
                            "loop factor must be a positive integer, got ")
           << factor;
  unsigned axis = 0;
  SMLoc axisLoc = parser.getCurrentLocation();
  StringAttr axisName;
  if (succeeded(parser.parseOptionalSymbolName(axisName))) {
    if (axisName.getValue() != "X" && axisName.getValue() != "Y")
      return parser.emitError(axisLoc, "array axis must be @X or @Y, got @")
             << axisName.getValue();
    axis = axisName.getValue() == "X" ? 1 : 2;
  }
  loop = LoopAttr::get(parser.getContext(), dim, factor, axis);
  return success();
}

void printName(AsmPrinter &printer, StringAttr name) {
  printer.printKeywordOrString(name.getValue());
}

void printLoopBody(AsmPrinter &printer, LoopAttr loop) {
  printName(printer, loop.getDim());
  printer << "=" << loop.getFactor();
  if (loop.getAxis() != 0)
    printer << " @" << (loop.getAxis() == 1 ? "X" : "Y");
}

ParseResult parseLoopList(AsmParser &parser, bool spatial,
                          SmallVectorImpl<LoopAttr> &loops) {
  return parser.parseCommaSeparatedList(
      AsmParser::Delimiter::Square, [&]() -> ParseResult {
        SMLoc loopLoc = parser.getCurrentLocation();
        LoopAttr loop;
        if (parseLoopBody(parser, loop))
          return failure();
        if (spatial && loop.getAxis() == 0)
          return parser.emitError(loopLoc, "spatial loop '")
                 << loop.getDim().getValue()
                 << "' needs an array axis: @X or @Y";
        if (!spatial && loop.getAxis() != 0)
          return parser.emitError(loopLoc, "temporal loop '")
                 << loop.getDim().getValue()
                 << "' has an array axis; list it under 'spatial'";
        loops.push_back(loop);
        return success();
      });
}

/// `Name: temporal [...] spatial [...] keep [...]`, fields in any order,
/// each at most once; keep required.
ParseResult parseLevelBody(AsmParser &parser, LevelAttr &level) {
  StringAttr name;
  SMLoc nameLoc = parser.getCurrentLocation();
  if (parseName(parser, name) || parser.parseColon())
    return failure();
  SmallVector<LoopAttr> temporal, spatial;
  SmallVector<StringAttr> keep;
  bool seenTemporal = false, seenSpatial = false, seenKeep = false;
  while (true) {
    SMLoc fieldLoc = parser.getCurrentLocation();
    StringRef field;
    if (parser.parseOptionalKeyword(&field, {"temporal", "spatial", "keep"}))
      break;
    bool &seen = field == "temporal"  ? seenTemporal
                 : field == "spatial" ? seenSpatial
                                      : seenKeep;
    if (seen)
      return parser.emitError(fieldLoc, "'") << field << "' given twice";
    seen = true;
    if (field == "keep") {
      if (parser.parseCommaSeparatedList(AsmParser::Delimiter::Square,
                                         [&]() -> ParseResult {
                                           StringAttr tensor;
                                           if (parseName(parser, tensor))
                                             return failure();
                                           keep.push_back(tensor);
                                           return success();
                                         }))
        return failure();
    } else if (parseLoopList(parser, field == "spatial",
                             field == "spatial" ? spatial : temporal)) {
      return failure();
    }
  }
  if (!seenKeep)
    return parser.emitError(nameLoc, "level '")
           << name.getValue()
           << "' needs 'keep [...]' listing the tensors it stores "
              "(an empty list bypasses all)";
  level = LevelAttr::get(parser.getContext(), name, temporal, spatial, keep);
  return success();
}

void printLevelBody(AsmPrinter &printer, LevelAttr level) {
  printName(printer, level.getName());
  printer << ":";
  auto printLoops = [&](StringRef field, ArrayRef<LoopAttr> loops) {
    if (loops.empty())
      return;
    printer << " " << field << " [";
    llvm::interleaveComma(loops, printer.getStream(),
                          [&](LoopAttr loop) { printLoopBody(printer, loop); });
    printer << "]";
  };
  printLoops("temporal", level.getTemporal());
  printLoops("spatial", level.getSpatial());
  printer << " keep [";
  llvm::interleaveComma(level.getKeep(), printer.getStream(),
                        [&](StringAttr t) { printName(printer, t); });
  printer << "]";
}

} // namespace

Attribute LoopAttr::parse(AsmParser &parser, Type) {
  LoopAttr loop;
  if (parser.parseLess() || parseLoopBody(parser, loop) ||
      parser.parseGreater())
    return {};
  return loop;
}

void LoopAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printLoopBody(printer, *this);
  printer << ">";
}

Attribute LevelAttr::parse(AsmParser &parser, Type) {
  LevelAttr level;
  if (parser.parseLess() || parseLevelBody(parser, level) ||
      parser.parseGreater())
    return {};
  return level;
}

void LevelAttr::print(AsmPrinter &printer) const {
  printer << "<";
  printLevelBody(printer, *this);
  printer << ">";
}

Attribute MappingAttr::parse(AsmParser &parser, Type) {
  SmallVector<LevelAttr> levels;
  if (parser.parseLess() ||
      parser.parseCommaSeparatedList([&]() -> ParseResult {
        LevelAttr level;
        if (parseLevelBody(parser, level))
          return failure();
        levels.push_back(level);
        return success();
      }) ||
      parser.parseGreater())
    return {};
  return MappingAttr::get(parser.getContext(), levels);
}

void MappingAttr::print(AsmPrinter &printer) const {
  printer << "<";
  for (auto [index, level] : llvm::enumerate(getLevels())) {
    printer.getStream() << (index ? ",\n  " : "\n  ");
    printLevelBody(printer, level);
  }
  printer.getStream() << "\n>";
}

void TesselDialect::initialize() {
  registerAttributes();
  addInterfaces<TesselAsmInterface>();
}

void TesselDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "mapping/Dialect/TesselAttrs.cpp.inc"
      >();
}

LogicalResult TesselDialect::verifyOperationAttribute(Operation *op,
                                                      NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name == kMappingAttrName) {
    if (!isa<MappingAttr>(attr.getValue()))
      return op->emitError() << "'" << kMappingAttrName
                             << "' must be a #tessel.mapping<...> attribute";
    return success();
  }
  // Names of a linalg.generic's loops and operands (see workloads/).
  if (name == "tessel.dims" || name == "tessel.tensors") {
    auto array = dyn_cast<ArrayAttr>(attr.getValue());
    if (!array || !llvm::all_of(array, [](Attribute element) {
          return isa<StringAttr>(element);
        }))
      return op->emitError() << "'" << name << "' must be an array of strings";
    return success();
  }
  return op->emitError() << "unknown tessel attribute '" << name
                         << "'; expected tessel.mapping, tessel.dims or "
                            "tessel.tensors";
}
