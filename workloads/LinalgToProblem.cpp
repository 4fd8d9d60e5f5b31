//===- workloads/LinalgToProblem.cpp - One linalg op to a Problem ---------===//
#include "workloads/LinalgToProblem.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/Interfaces/CastInterfaces.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <map>

using namespace mlir;

namespace tessel {
namespace {

/// Conventional names of named ops' loops (in indexing-map order) and
/// operands. Names only: every number still comes from the indexing maps.
struct NamingConvention {
  std::vector<std::string> dims;
  std::vector<std::string> tensors;
};

const llvm::StringMap<NamingConvention> &namedOpConventions() {
  static const llvm::StringMap<NamingConvention> table = [] {
    const std::vector<std::string> conv = {"I", "W", "O"};
    llvm::StringMap<NamingConvention> t;
    t["linalg.matmul"] = {{"m", "n", "k"}, {"A", "B", "C"}};
    t["linalg.matmul_transpose_a"] = {{"m", "n", "k"}, {"A", "B", "C"}};
    t["linalg.matmul_transpose_b"] = {{"m", "n", "k"}, {"A", "B", "C"}};
    t["linalg.batch_matmul"] = {{"b", "m", "n", "k"}, {"A", "B", "C"}};
    t["linalg.batch_matmul_transpose_a"] = {{"b", "m", "n", "k"},
                                            {"A", "B", "C"}};
    t["linalg.batch_matmul_transpose_b"] = {{"b", "m", "n", "k"},
                                            {"A", "B", "C"}};
    t["linalg.matvec"] = {{"m", "k"}, {"A", "x", "y"}};
    t["linalg.vecmat"] = {{"n", "k"}, {"x", "A", "y"}};
    t["linalg.dot"] = {{"k"}, {"x", "y", "z"}};
    t["linalg.conv_1d"] = {{"ow", "kw"}, conv};
    t["linalg.conv_2d"] = {{"oh", "ow", "kh", "kw"}, conv};
    t["linalg.conv_3d"] = {{"od", "oh", "ow", "kd", "kh", "kw"}, conv};
    t["linalg.conv_1d_nwc_wcf"] = {{"n", "ow", "f", "kw", "c"}, conv};
    t["linalg.conv_1d_ncw_fcw"] = {{"n", "f", "ow", "c", "kw"}, conv};
    t["linalg.conv_2d_nhwc_hwcf"] = {{"n", "oh", "ow", "f", "kh", "kw", "c"},
                                     conv};
    t["linalg.conv_2d_nhwc_fhwc"] = {{"n", "oh", "ow", "f", "kh", "kw", "c"},
                                     conv};
    t["linalg.conv_2d_nchw_fchw"] = {{"n", "f", "oh", "ow", "c", "kh", "kw"},
                                     conv};
    t["linalg.conv_3d_ndhwc_dhwcf"] = {
        {"n", "od", "oh", "ow", "f", "kd", "kh", "kw", "c"}, conv};
    t["linalg.conv_3d_ncdhw_fcdhw"] = {
        {"n", "od", "oh", "ow", "f", "kd", "kh", "kw", "c"}, conv};
    t["linalg.depthwise_conv_1d_nwc_wc"] = {{"n", "ow", "c", "kw"}, conv};
    t["linalg.depthwise_conv_2d_nhwc_hwc"] = {
        {"n", "oh", "ow", "c", "kh", "kw"}, conv};
    t["linalg.depthwise_conv_2d_nchw_chw"] = {
        {"n", "oh", "ow", "c", "kh", "kw"}, conv};
    t["linalg.depthwise_conv_3d_ndhwc_dhwc"] = {
        {"n", "od", "oh", "ow", "kd", "kh", "kw", "c"}, conv};
    return t;
  }();
  return table;
}

/// Ops that move data without arithmetic: skipped with a warning.
bool isDataMovement(Operation *op) {
  return isa<linalg::FillOp, linalg::CopyOp, linalg::TransposeOp,
             linalg::BroadcastOp>(op);
}

/// Reads a string-array attribute such as `tessel.dims = ["a", "b"]`.
LogicalResult readNames(Operation *op, StringRef attrName, size_t expected,
                        std::vector<std::string> &names) {
  Attribute attr = op->getAttr(attrName);
  if (!attr)
    return success();
  auto array = dyn_cast<ArrayAttr>(attr);
  std::vector<std::string> read;
  if (array)
    for (Attribute element : array) {
      auto text = dyn_cast<StringAttr>(element);
      if (!text) {
        array = nullptr;
        break;
      }
      read.push_back(text.str());
    }
  if (!array || read.size() != expected)
    return op->emitError() << "'" << attrName << "' must be an array of "
                           << expected << " strings, one per "
                           << (attrName == "tessel.dims" ? "loop" : "operand")
                           << ", e.g. " << attrName << " = [\"a\", ...]";
  names = std::move(read);
  return success();
}

/// Adds `scale * expr` to a linear form; fails on anything that is not a
/// sum of constant multiples of loop indices.
bool linearize(AffineExpr expr, int64_t scale,
               std::map<unsigned, int64_t> &terms, int64_t &constant) {
  if (auto dim = dyn_cast<AffineDimExpr>(expr)) {
    terms[dim.getPosition()] += scale;
    return true;
  }
  if (auto value = dyn_cast<AffineConstantExpr>(expr)) {
    constant += scale * value.getValue();
    return true;
  }
  auto binary = dyn_cast<AffineBinaryOpExpr>(expr);
  if (!binary)
    return false; // A symbol.
  if (binary.getKind() == AffineExprKind::Add)
    return linearize(binary.getLHS(), scale, terms, constant) &&
           linearize(binary.getRHS(), scale, terms, constant);
  if (binary.getKind() == AffineExprKind::Mul) {
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getRHS()))
      return linearize(binary.getLHS(), scale * c.getValue(), terms, constant);
    if (auto c = dyn_cast<AffineConstantExpr>(binary.getLHS()))
      return linearize(binary.getRHS(), scale * c.getValue(), terms, constant);
  }
  return false; // mod, floordiv, ceildiv, or a product of indices.
}

/// Follows single-operand casts (extf, extsi, sitofp, ...) back to a value.
Value throughCasts(Value value) {
  while (Operation *def = value.getDefiningOp()) {
    if (!isa<CastOpInterface>(def) || def->getNumOperands() != 1)
      break;
    value = def->getOperand(0);
  }
  return value;
}

bool isAdd(Operation *op) {
  return isa_and_nonnull<arith::AddFOp, arith::AddIOp>(op);
}
bool isMul(Operation *op) {
  return isa_and_nonnull<arith::MulFOp, arith::MulIOp>(op);
}

/// Whether the body computes `out + in0 * in1` (casts allowed, any operand
/// order): the multiply-accumulate every Problem assumes.
bool isMultiplyAccumulate(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  if (!body || body->getNumArguments() != 3)
    return false;
  Operation *yield = body->getTerminator();
  if (!yield || yield->getNumOperands() != 1)
    return false;
  Operation *add = throughCasts(yield->getOperand(0)).getDefiningOp();
  if (!isAdd(add))
    return false;
  Value acc = body->getArgument(2);
  for (unsigned side = 0; side < 2; ++side) {
    if (throughCasts(add->getOperand(side)) != acc)
      continue;
    Operation *mul = throughCasts(add->getOperand(1 - side)).getDefiningOp();
    if (!isMul(mul))
      return false;
    Value lhs = throughCasts(mul->getOperand(0));
    Value rhs = throughCasts(mul->getOperand(1));
    Value a = body->getArgument(0), b = body->getArgument(1);
    return (lhs == a && rhs == b) || (lhs == b && rhs == a);
  }
  return false;
}

unsigned elementBitsOf(Type element) {
  if (auto complex = dyn_cast<ComplexType>(element))
    return 2 * elementBitsOf(complex.getElementType());
  if (element.isIndex())
    return 64;
  if (element.isIntOrFloat())
    return element.getIntOrFloatBitWidth();
  return 0;
}

std::string typeText(Type type) {
  std::string text;
  llvm::raw_string_ostream os(text);
  type.print(os);
  return os.str();
}

std::string exprText(AffineExpr expr) {
  std::string text;
  llvm::raw_string_ostream os(text);
  expr.print(os);
  return os.str();
}

SourceRef sourceOf(Location loc) {
  SourceRef ref;
  loc->walk([&](Location nested) {
    if (auto file = dyn_cast<FileLineColLoc>(nested)) {
      ref.file = file.getFilename().str();
      ref.line = file.getLine();
      ref.column = file.getColumn();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  return ref;
}

std::string problemName(Operation *op) {
  auto func = op->getParentOfType<func::FuncOp>();
  if (!func)
    return op->getName().getStringRef().str();
  std::string name = func.getSymName().str();
  unsigned index = 0, total = 0;
  func.walk([&](Operation *other) {
    if (!isLinalgWorkloadOp(other) || isDataMovement(other))
      return;
    if (other == op)
      index = total;
    ++total;
  });
  return total > 1 ? name + "." + std::to_string(index) : name;
}

} // namespace

void registerWorkloadDialects(DialectRegistry &registry) {
  registry.insert<arith::ArithDialect, func::FuncDialect, linalg::LinalgDialect,
                  math::MathDialect, memref::MemRefDialect,
                  tensor::TensorDialect>();
}

bool isLinalgWorkloadOp(Operation *op) { return isa<linalg::LinalgOp>(op); }

std::optional<Problem> problemFromLinalgOp(Operation *operation) {
  auto op = dyn_cast<linalg::LinalgOp>(operation);
  if (!op) {
    operation->emitError("not a linalg structured op");
    return std::nullopt;
  }
  StringRef opName = operation->getName().getStringRef();
  if (isDataMovement(operation)) {
    operation->emitWarning()
        << "skipped: '" << opName
        << "' moves data and performs no multiply-accumulate";
    return std::nullopt;
  }
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1) {
    operation->emitError()
        << "'" << opName << "' has " << op.getNumDpsInputs() << " inputs and "
        << op.getNumDpsInits()
        << " outputs; a Problem needs two inputs multiplied into one "
           "accumulated output";
    return std::nullopt;
  }
  if (!isMultiplyAccumulate(op)) {
    operation->emitError()
        << "'" << opName
        << "' body is not a multiply-accumulate; a Problem needs a body that "
           "yields out + in0 * in1 (arith.mulf/muli then addf/addi, casts "
           "allowed)";
    return std::nullopt;
  }

  Problem problem;
  problem.opName = opName.str();
  problem.name = problemName(operation);
  problem.source = sourceOf(operation->getLoc());

  // Tensors: element type, static shape and the projection of each
  // coordinate, from the operand's indexing map.
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  for (OpOperand &operand : operation->getOpOperands()) {
    unsigned number = operand.getOperandNumber();
    auto shaped = dyn_cast<ShapedType>(operand.get().getType());
    if (!shaped) {
      operation->emitError()
          << "operand #" << number << " has type " << operand.get().getType()
          << "; a Problem needs tensor or memref operands";
      return std::nullopt;
    }
    if (!shaped.hasStaticShape()) {
      operation->emitError()
          << "operand #" << number << " has dynamic shape " << typeText(shaped)
          << "; Tessel needs static shapes (write every extent as a number)";
      return std::nullopt;
    }
    Tensor tensor;
    tensor.elementType = typeText(shaped.getElementType());
    tensor.elementBits = elementBitsOf(shaped.getElementType());
    if (tensor.elementBits == 0) {
      operation->emitError() << "operand #" << number << " has element type "
                             << shaped.getElementType()
                             << "; expected an integer, float or complex type";
      return std::nullopt;
    }
    tensor.shape.assign(shaped.getShape().begin(), shaped.getShape().end());
    tensor.isOutput = op.isDpsInit(&operand);
    AffineMap map = maps[number];
    if (map.getNumSymbols() != 0) {
      operation->emitError() << "indexing map of operand #" << number
                             << " uses symbols; expected loop indices only";
      return std::nullopt;
    }
    for (AffineExpr result : map.getResults()) {
      std::map<unsigned, int64_t> terms;
      Projection projection;
      if (!linearize(result, 1, terms, projection.constant)) {
        operation->emitError()
            << "indexing map of operand #" << number << " has coordinate '"
            << exprText(result)
            << "', which is not a linear combination of loop indices "
               "(expected terms like 2 * d1 + d4)";
        return std::nullopt;
      }
      for (auto [dim, coefficient] : terms)
        if (coefficient != 0)
          projection.terms.push_back({dim, coefficient});
      tensor.projection.push_back(std::move(projection));
    }
    problem.tensors.push_back(std::move(tensor));
  }

  // Loops: static ranges derived from the operand shapes.
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (auto [index, range] : llvm::enumerate(ranges)) {
    if (ShapedType::isDynamic(range) || range <= 0) {
      operation->emitError() << "loop d" << index
                             << " has no static positive bound; Tessel needs "
                                "static shapes";
      return std::nullopt;
    }
    problem.dims.push_back({"d" + std::to_string(index), range});
  }

  // Names: explicit attributes, else the named op's convention.
  std::vector<std::string> dimNames, tensorNames;
  auto convention = namedOpConventions().find(opName);
  if (convention != namedOpConventions().end() &&
      convention->second.dims.size() == problem.dims.size()) {
    dimNames = convention->second.dims;
    tensorNames = convention->second.tensors;
  } else {
    tensorNames = {"in0", "in1", "out"};
  }
  if (failed(
          readNames(operation, "tessel.dims", problem.dims.size(), dimNames)) ||
      failed(readNames(operation, "tessel.tensors", problem.tensors.size(),
                       tensorNames)))
    return std::nullopt;
  for (size_t i = 0; i < dimNames.size(); ++i)
    problem.dims[i].name = dimNames[i];
  for (size_t i = 0; i < tensorNames.size(); ++i)
    problem.tensors[i].name = tensorNames[i];

  // Every loop must index some tensor, and the output must not be indexed
  // by a loop whose iterator type says "reduction".
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  const Tensor &out = problem.output();
  for (unsigned d = 0; d < problem.dims.size(); ++d) {
    bool reduction = iterators[d] == utils::IteratorType::reduction;
    if (reduction == out.isIndexedBy(d)) {
      operation->emitError()
          << "loop '" << problem.dims[d].name << "' is a "
          << (reduction ? "reduction" : "parallel")
          << " loop but the output is "
          << (reduction ? "indexed" : "not indexed")
          << " by it; expected reductions exactly over the loops absent from "
             "the output's indexing map";
      return std::nullopt;
    }
  }
  try {
    (void)problem.macs();
  } catch (const std::overflow_error &error) {
    operation->emitError() << error.what();
    return std::nullopt;
  }
  return problem;
}

} // namespace tessel
