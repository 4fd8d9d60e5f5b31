//===- mapper/Dialect/TesselDialect.h - The tessel dialect ------*- C++ -*-===//
//
// The `tessel` dialect and its #tessel.mapping / #tessel.level / #tessel.loop
// attributes. MLIR-heavy: only MLIR-aware code (tools, passes, the
// conversions in MappingAttr.h) includes it.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPER_DIALECT_TESSELDIALECT_H
#define TESSEL_MAPPER_DIALECT_TESSELDIALECT_H

#include "mlir/IR/Attributes.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"

#include "mapper/Dialect/TesselDialect.h.inc"

#define GET_ATTRDEF_CLASSES
#include "mapper/Dialect/TesselAttrs.h.inc"

#endif // TESSEL_MAPPER_DIALECT_TESSELDIALECT_H
