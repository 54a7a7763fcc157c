#include "app/commands.hpp"
namespace ccbisect {
int simulate_command(const CommonOptions&, const SimulateOptions&) { return 0; }
}
