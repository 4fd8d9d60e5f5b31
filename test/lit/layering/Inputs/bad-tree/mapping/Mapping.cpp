#include "mapping/Mapping.h"
#include "mapper/Mapper.h"
#include "mlir/IR/Builders.h"
