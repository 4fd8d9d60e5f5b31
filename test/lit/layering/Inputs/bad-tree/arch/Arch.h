#include "workloads/Problem.h"
