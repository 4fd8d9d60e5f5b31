// placeholder until arch/ lands
#include "Commands.h"
namespace tessel::cli {
void addArchCommand(CLI::App &, int &) {}
}
