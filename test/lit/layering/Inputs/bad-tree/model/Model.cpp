#include <systemc>
#include "../sim/Engine.h"
#include "mapping/Report.h"
