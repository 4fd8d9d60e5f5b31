//===- mapping/Dialect/MappingAttr.h - Attribute <-> MappingSpec -*- C++
//-*-===//
//
// Exact conversions between #tessel.mapping and the plain MappingSpec, and
// the passes that work on mapped modules.
//
//===----------------------------------------------------------------------===//
#ifndef TESSEL_MAPPING_DIALECT_MAPPINGATTR_H
#define TESSEL_MAPPING_DIALECT_MAPPINGATTR_H

#include "mapping/Dialect/TesselDialect.h"
#include "mapping/MappingSpec.h"

#include <memory>

namespace mlir {
class Pass;
}

namespace tessel {

MappingSpec specFromAttr(dialect::MappingAttr attr);
dialect::MappingAttr attrFromSpec(mlir::MLIRContext *context,
                                  const MappingSpec &spec);

/// `--tessel-verify-mappings=arch=FILE.yaml`: reports every invalid mapping
/// of a linalg op as errors at the op's location.
std::unique_ptr<mlir::Pass> createVerifyMappingsPass();
void registerMappingPasses();

} // namespace tessel

#endif
