//===- workloads/LinalgToProblem.cpp - One linalg op to a Problem ---------===//
#include "workloads/LinalgToProblem.h"

#include "support/Checked.h"

#include "mlir/Conversion/TosaToArith/TosaToArith.h"
#include "mlir/Conversion/TosaToLinalg/TosaToLinalg.h"
#include "mlir/Conversion/TosaToTensor/TosaToTensor.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Interfaces/CastInterfaces.h"
#include "mlir/Pass/PassManager.h"

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
    t["linalg.depthwise_conv_2d_nhwc_hwcm"] = {
        {"n", "oh", "ow", "c", "m", "kh", "kw"}, conv};
    t["linalg.depthwise_conv_2d_nhwc_hwc"] = {
        {"n", "oh", "ow", "c", "kh", "kw"}, conv};
    t["linalg.depthwise_conv_2d_nchw_chw"] = {
        {"n", "oh", "ow", "c", "kh", "kw"}, conv};
    t["linalg.depthwise_conv_3d_ndhwc_dhwc"] = {
        {"n", "od", "oh", "ow", "kd", "kh", "kw", "c"}, conv};
    // Quantized variants: the same loops (zero points are not tensors).
    for (const char *name :
         {"conv_2d_nhwc_hwcf", "conv_2d_nhwc_fhwc", "conv_2d_nchw_fchw",
          "depthwise_conv_2d_nhwc_hwc", "depthwise_conv_2d_nhwc_hwcm"}) {
      NamingConvention plain = t[std::string("linalg.") + name];
      t[std::string("linalg.") + name + "_q"] = plain;
    }
    t["linalg.quantized_matmul"] = t["linalg.matmul"];
    t["linalg.quantized_batch_matmul"] = t["linalg.batch_matmul"];
    return t;
  }();
  return table;
}

/// The kind of a linalg op that moves data without arithmetic, if it is one.
std::optional<std::string> dataMovementKind(Operation *op) {
  if (isa<linalg::FillOp>(op))
    return "fill";
  if (isa<linalg::CopyOp>(op))
    return "copy";
  if (isa<linalg::TransposeOp>(op))
    return "transpose";
  if (isa<linalg::BroadcastOp>(op))
    return "broadcast";
  return std::nullopt;
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

bool isSub(Operation *op) {
  return isa_and_nonnull<arith::SubFOp, arith::SubIOp>(op);
}

/// Whether input `number` of `op` is a scalar operand (a quantized op's
/// zero point): not a tensor, or indexed by a map with no results.
bool isScalarInput(linalg::LinalgOp op, unsigned number) {
  OpOperand *operand = op.getDpsInputOperand(number);
  return !isa<ShapedType>(operand->get().getType()) ||
         op.getMatchingIndexingMap(operand).getNumResults() == 0;
}

/// The two inputs (operand numbers) a contraction multiplies: its body
/// yields `out + f(in_a) * g(in_b)` where f and g are casts and subtractions
/// of scalar inputs (zero points), in any operand order. Every other input
/// must be such a scalar. Nothing if the body is anything else.
std::optional<std::pair<unsigned, unsigned>>
multipliedInputs(linalg::LinalgOp op) {
  Block *body = op.getBlock();
  unsigned inputs = op.getNumDpsInputs();
  if (!body || op.getNumDpsInits() != 1 ||
      body->getNumArguments() != inputs + 1)
    return std::nullopt;
  auto scalarArgument = [&](Value value) {
    auto arg = dyn_cast<BlockArgument>(throughCasts(value));
    return arg && arg.getOwner() == body && arg.getArgNumber() < inputs &&
           isScalarInput(op, arg.getArgNumber());
  };
  // Through casts and `x - zeroPoint` back to a block argument.
  auto source = [&](Value value) -> std::optional<unsigned> {
    value = throughCasts(value);
    while (Operation *def = value.getDefiningOp()) {
      if (!isSub(def) || !scalarArgument(def->getOperand(1)))
        return std::nullopt;
      value = throughCasts(def->getOperand(0));
    }
    auto arg = dyn_cast<BlockArgument>(value);
    if (!arg || arg.getOwner() != body || arg.getArgNumber() >= inputs ||
        isScalarInput(op, arg.getArgNumber()))
      return std::nullopt;
    return arg.getArgNumber();
  };
  Operation *yield = body->getTerminator();
  if (!yield || yield->getNumOperands() != 1)
    return std::nullopt;
  Operation *add = throughCasts(yield->getOperand(0)).getDefiningOp();
  if (!isAdd(add))
    return std::nullopt;
  Value acc = body->getArgument(inputs);
  for (unsigned side = 0; side < 2; ++side) {
    if (throughCasts(add->getOperand(side)) != acc)
      continue;
    Operation *mul = throughCasts(add->getOperand(1 - side)).getDefiningOp();
    if (!isMul(mul))
      return std::nullopt;
    std::optional<unsigned> a = source(mul->getOperand(0));
    std::optional<unsigned> b = source(mul->getOperand(1));
    if (!a || !b || *a == *b)
      return std::nullopt;
    for (unsigned i = 0; i < inputs; ++i)
      if (i != *a && i != *b && !isScalarInput(op, i))
        return std::nullopt; // A third tensor input.
    return std::make_pair(std::min(*a, *b), std::max(*a, *b));
  }
  return std::nullopt;
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

/// The name of `loc("name")` (a NameLoc anywhere in the location).
std::optional<std::string> nameFromLocation(Location loc) {
  std::optional<std::string> name;
  loc->walk([&](Location nested) {
    if (auto named = dyn_cast<NameLoc>(nested)) {
      name = named.getName().str();
      return WalkResult::interrupt();
    }
    return WalkResult::advance();
  });
  if (name && name->empty())
    name.reset();
  return name;
}

/// `loc("name")`, else the function's name, with ".i" when the function
/// has several ops that `counts` (contractions, or set aside ops of one
/// kind, named "func.kind.i").
std::string opName(Operation *op,
                   const std::function<bool(Operation *)> &counts,
                   const std::string &infix) {
  if (std::optional<std::string> name = nameFromLocation(op->getLoc()))
    return *name;
  auto func = op->getParentOfType<func::FuncOp>();
  std::string name =
      func ? func.getSymName().str() : op->getName().getStringRef().str();
  unsigned index = 0, total = 0;
  Operation *scope = func ? func.getOperation() : op->getParentOp();
  if (!scope)
    return name + infix;
  scope->walk([&](Operation *other) {
    if (!counts(other))
      return;
    if (other == op)
      index = total;
    ++total;
  });
  return total > 1 || !infix.empty()
             ? name + infix + "." + std::to_string(index)
             : name;
}

std::string problemName(Operation *op) {
  return opName(op, isLinalgWorkloadOp, "");
}

} // namespace

void registerWorkloadDialects(DialectRegistry &registry) {
  // Registering only records constructors: a dialect loads when a file
  // uses it. What registerAllDialects() registers (MLIR 19), less the
  // NVVM and ROCDL targets' serialization models (gpu::TargetAttrInterface,
  // used by gpu-module-to-binary only): they would link LLVM's NVPTX and
  // AMDGPU back ends into every program, now that MLIR is linked
  // statically (CMakeLists.txt). #nvvm.target and #rocdl.target still
  // parse.
  // clang-format off
  registry.insert<acc::OpenACCDialect,
                  affine::AffineDialect,
                  amdgpu::AMDGPUDialect,
                  amx::AMXDialect,
                  arith::ArithDialect,
                  arm_neon::ArmNeonDialect,
                  arm_sme::ArmSMEDialect,
                  arm_sve::ArmSVEDialect,
                  async::AsyncDialect,
                  bufferization::BufferizationDialect,
                  cf::ControlFlowDialect,
                  complex::ComplexDialect,
                  DLTIDialect,
                  emitc::EmitCDialect,
                  func::FuncDialect,
                  gpu::GPUDialect,
                  index::IndexDialect,
                  irdl::IRDLDialect,
                  linalg::LinalgDialect,
                  LLVM::LLVMDialect,
                  math::MathDialect,
                  memref::MemRefDialect,
                  mesh::MeshDialect,
                  ml_program::MLProgramDialect,
                  mpi::MPIDialect,
                  nvgpu::NVGPUDialect,
                  NVVM::NVVMDialect,
                  omp::OpenMPDialect,
                  pdl::PDLDialect,
                  pdl_interp::PDLInterpDialect,
                  polynomial::PolynomialDialect,
                  ptr::PtrDialect,
                  quant::QuantizationDialect,
                  ROCDL::ROCDLDialect,
                  scf::SCFDialect,
                  shape::ShapeDialect,
                  sparse_tensor::SparseTensorDialect,
                  spirv::SPIRVDialect,
                  tensor::TensorDialect,
                  tosa::TosaDialect,
                  transform::TransformDialect,
                  ub::UBDialect,
                  vector::VectorDialect,
                  x86vector::X86VectorDialect,
                  xegpu::XeGPUDialect>();

  // Register all external models.
  affine::registerValueBoundsOpInterfaceExternalModels(registry);
  arith::registerBufferDeallocationOpInterfaceExternalModels(registry);
  arith::registerBufferizableOpInterfaceExternalModels(registry);
  arith::registerBufferViewFlowOpInterfaceExternalModels(registry);
  arith::registerValueBoundsOpInterfaceExternalModels(registry);
  bufferization::func_ext::registerBufferizableOpInterfaceExternalModels(
      registry);
  builtin::registerCastOpInterfaceExternalModels(registry);
  cf::registerBufferizableOpInterfaceExternalModels(registry);
  cf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  gpu::registerBufferDeallocationOpInterfaceExternalModels(registry);
  linalg::registerAllDialectInterfaceImplementations(registry);
  linalg::registerRuntimeVerifiableOpInterfaceExternalModels(registry);
  memref::registerAllocationOpInterfaceExternalModels(registry);
  memref::registerBufferViewFlowOpInterfaceExternalModels(registry);
  memref::registerRuntimeVerifiableOpInterfaceExternalModels(registry);
  memref::registerValueBoundsOpInterfaceExternalModels(registry);
  memref::registerMemorySlotExternalModels(registry);
  ml_program::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerBufferDeallocationOpInterfaceExternalModels(registry);
  scf::registerBufferizableOpInterfaceExternalModels(registry);
  scf::registerValueBoundsOpInterfaceExternalModels(registry);
  shape::registerBufferizableOpInterfaceExternalModels(registry);
  sparse_tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerBufferizableOpInterfaceExternalModels(registry);
  tensor::registerFindPayloadReplacementOpInterfaceExternalModels(registry);
  tensor::registerInferTypeOpInterfaceExternalModels(registry);
  tensor::registerSubsetOpInterfaceExternalModels(registry);
  tensor::registerTilingInterfaceExternalModels(registry);
  tensor::registerValueBoundsOpInterfaceExternalModels(registry);
  tosa::registerShardingInterfaceExternalModels(registry);
  vector::registerBufferizableOpInterfaceExternalModels(registry);
  vector::registerSubsetOpInterfaceExternalModels(registry);
  vector::registerValueBoundsOpInterfaceExternalModels(registry);
  spirv::registerSPIRVTargetInterfaceExternalModels(registry);
  // clang-format on
  registerAllExtensions(registry);
}

std::optional<unsigned> lowerTosaToLinalg(Operation *module) {
  unsigned tosaOps = 0;
  module->walk([&](Operation *op) {
    tosaOps += op->getDialect() && op->getDialect()->getNamespace() == "tosa";
  });
  if (tosaOps == 0)
    return 0u;
  PassManager pm(module->getContext(), module->getName().getStringRef());
  OpPassManager &perFunction = pm.nest<func::FuncOp>();
  perFunction.addPass(tosa::createTosaToLinalgNamed());
  perFunction.addPass(tosa::createTosaToLinalg());
  perFunction.addPass(tosa::createTosaToArith());
  perFunction.addPass(tosa::createTosaToTensor());
  if (failed(pm.run(module)))
    return std::nullopt;
  return tosaOps;
}

bool isLinalgWorkloadOp(Operation *op) {
  auto linalgOp = dyn_cast<linalg::LinalgOp>(op);
  return linalgOp && !dataMovementKind(op) &&
         multipliedInputs(linalgOp).has_value();
}

std::optional<std::string> setAsideKind(Operation *op) {
  StringRef name = op->getName().getStringRef();
  if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op)) {
    if (std::optional<std::string> kind = dataMovementKind(op))
      return kind;
    if (multipliedInputs(linalgOp))
      return std::nullopt; // A contraction.
    if (name.starts_with("linalg.pooling_"))
      return std::string("pooling");
    bool reduces = linalgOp.getNumReductionLoops() > 0;
    return std::string(reduces ? "reduction" : "elementwise");
  }
  if (isa<linalg::SoftmaxOp>(op))
    return std::string("softmax");
  if (isa<tensor::PadOp>(op))
    return std::string("pad");
  if (isa<tensor::ExpandShapeOp, tensor::CollapseShapeOp, tensor::ReshapeOp>(
          op))
    return std::string("reshape");
  if (isa<tensor::ConcatOp>(op))
    return std::string("concat");
  if (isa<tensor::ExtractSliceOp, tensor::InsertSliceOp>(op))
    return std::string("slice");
  return std::nullopt;
}

std::optional<SetAsideOp> setAsideOp(Operation *op) {
  std::optional<std::string> kind = setAsideKind(op);
  if (!kind)
    return std::nullopt;
  SetAsideOp entry;
  entry.kind = *kind;
  entry.opName = op->getName().getStringRef().str();
  entry.name = opName(
      op, [&](Operation *other) { return setAsideKind(other) == *kind; },
      "." + *kind);
  entry.source = sourceOf(op->getLoc());
  auto bytesOf = [](Type type) -> uint64_t {
    auto shaped = dyn_cast<ShapedType>(type);
    if (!shaped || !shaped.hasStaticShape())
      return 0;
    uint64_t bits =
        saturatingMul(uint64_t(shaped.getNumElements()),
                      uint64_t(elementBitsOf(shaped.getElementType())));
    return bits / 8 + (bits % 8 != 0);
  };
  for (Value operand : op->getOperands())
    entry.bytes = saturatingAdd(entry.bytes, bytesOf(operand.getType()));
  for (Value result : op->getResults())
    entry.bytes = saturatingAdd(entry.bytes, bytesOf(result.getType()));
  if (op->getNumResults() > 0)
    if (auto shaped = dyn_cast<ShapedType>(op->getResult(0).getType()))
      if (shaped.hasStaticShape())
        entry.elements = uint64_t(shaped.getNumElements());
  // Buffer semantics (no results): the output operand's elements.
  if (op->getNumResults() == 0)
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      if (dps.getNumDpsInits() > 0)
        if (auto shaped =
                dyn_cast<ShapedType>(dps.getDpsInitOperand(0)->get().getType()))
          if (shaped.hasStaticShape())
            entry.elements = uint64_t(shaped.getNumElements());
  return entry;
}

std::optional<Problem> problemFromLinalgOp(Operation *operation) {
  auto op = dyn_cast<linalg::LinalgOp>(operation);
  if (!op) {
    operation->emitError("not a linalg structured op");
    return std::nullopt;
  }
  StringRef opName = operation->getName().getStringRef();
  std::optional<std::pair<unsigned, unsigned>> multiplied =
      dataMovementKind(operation) ? std::nullopt : multipliedInputs(op);
  if (!multiplied) {
    operation->emitError()
        << "'" << opName
        << "' is not a tensor contraction: a Problem needs a body that yields "
           "out + in_a * in_b (arith.mulf/muli then addf/addi; casts and "
           "subtracted scalar zero points allowed)";
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
    if (!op.isDpsInit(&operand) && number != multiplied->first &&
        number != multiplied->second)
      continue; // A zero point: a scalar, no loops of its own.
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
