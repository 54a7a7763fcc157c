// Oracle construction from the configuration; see oracle_factory.hpp.
#include "oracle/oracle_factory.hpp"

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "oracle/command_oracle.hpp"
#include "oracle/qemu_oracle.hpp"

namespace ccbisect {

std::unique_ptr<Oracle> make_oracle(const Config& config) {
  Outcome on_timeout = config.oracle_on_timeout == "fail" ? Outcome::fail : Outcome::unresolved;
  if (config.oracle_type == "command") {
    return std::make_unique<CommandOracle>(config.oracle_command, config.oracle_timeout, on_timeout);
  }
  if (config.oracle_type == "qemu") {
    return std::make_unique<QemuOracle>(qemu_options(config));
  }
  throw UserError(fmt::format("{}: [oracle] type = \"{}\" is not known; use \"command\" or \"qemu\"",
                              config.file.string(), config.oracle_type));
}

}  // namespace ccbisect
