//===- TesselDialect.td - The tessel mapping dialect -------*- tablegen -*-===//
//
// The `tessel` dialect carries mappings: a #tessel.mapping attribute, attached
// to a linalg op as `tessel.mapping`, says for each storage level of an
// accelerator, outer to inner, which loops run there in time, which are
// spread over the level's children on array axis X or Y, and which tensors
// the level keeps.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_DIALECT_TD
#define TESSEL_DIALECT_TD

include "mlir/IR/AttrTypeBase.td"
include "mlir/IR/DialectBase.td"

def Tessel_Dialect : Dialect {
  let name = "tessel";
  let summary = "Mappings of tensor ops onto spatial accelerators";
  let cppNamespace = "::tessel::dialect";
  let useDefaultAttributePrinterParser = 1;
  let hasOperationAttrVerify = 1;
  let extraClassDeclaration = [{
    /// The discardable attribute that holds an op's mapping.
    static constexpr ::llvm::StringLiteral kMappingAttrName = "tessel.mapping";
  private:
    void registerAttributes();
  public:
  }];
}

class Tessel_Attr<string name, string attrMnemonic>
    : AttrDef<Tessel_Dialect, name> {
  let mnemonic = attrMnemonic;
}

def Tessel_LoopAttr : Tessel_Attr<"Loop", "loop"> {
  let summary = "One loop of a level: `dim = factor`, or `dim = factor @X`";
  let description = [{
    A temporal loop (`axis` 0) or a spatial loop spread over the level's
    children along array axis X (`axis` 1) or Y (`axis` 2).
  }];
  let parameters = (ins "::mlir::StringAttr":$dim, "int64_t":$factor,
                        "unsigned":$axis);
  let hasCustomAssemblyFormat = 1;
}

def Tessel_LevelAttr : Tessel_Attr<"Level", "level"> {
  let summary = "The loops and kept tensors of one storage level";
  let parameters = (ins "::mlir::StringAttr":$name,
                        ArrayRefParameter<"LoopAttr">:$temporal,
                        ArrayRefParameter<"LoopAttr">:$spatial,
                        ArrayRefParameter<"::mlir::StringAttr">:$keep);
  let hasCustomAssemblyFormat = 1;
}

def Tessel_MappingAttr : Tessel_Attr<"Mapping", "mapping"> {
  let summary = "A mapping: one level per storage level, outer to inner";
  let description = [{
    ```mlir
    #tessel.mapping<
      DRAM: temporal [m=4, n=2] keep [A, B, C],
      Buffer: temporal [k=8] spatial [n=16 @X, k=4 @Y] keep [A, C],
      PE: temporal [k=2] keep [B]
    >
    ```
    Temporal loops are listed outermost first. Tensors a level does not keep
    bypass it.
  }];
  let parameters = (ins ArrayRefParameter<"LevelAttr">:$levels);
  let hasCustomAssemblyFormat = 1;
}

#endif // TESSEL_DIALECT_TD
