//===- mapping/Dialect/TesselDialect.h - The tessel dialect ------*- C++ -*-===//
//
// The `tessel` dialect and its #tessel.mapping / #tessel.level / #tessel.loop
// attributes. MLIR-heavy: only MLIR-aware code (tools, passes, the
// conversions in MappingAttr.h) includes it.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_DIALECT_TESSELDIALECT_H
#define TESSEL_MAPPING_DIALECT_TESSELDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "mapping/Dialect/TesselDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mapping/Dialect/TesselAttrs.h.inc"

#endif // TESSEL_MAPPING_DIALECT_TESSELDIALECT_H
