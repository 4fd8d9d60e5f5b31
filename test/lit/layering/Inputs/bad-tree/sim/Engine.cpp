#include "sim/Engine.h"
#include "model/CostModel.h"
