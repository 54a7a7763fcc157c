// The oracle registry: one row per `[oracle] type`, each naming the function that builds it from the
// configuration (llvm-reduce's DeltaPasses.def plays this part for its passes).
#include "oracle/oracle_registry.hpp"

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "oracle/command_oracle.hpp"
#include "oracle/qemu_oracle.hpp"

namespace ccbisect {

const std::vector<OracleKind>& oracle_kinds() {
  static const std::vector<OracleKind> kinds = {
      {OracleType::command, "run a shell command; its exit status is the verdict", make_command_oracle},
      {OracleType::qemu, "boot a kernel in QEMU; its serial console is the verdict", make_qemu_oracle},
  };
  return kinds;
}

std::unique_ptr<Oracle> make_oracle(const Config& config) {
  for (const OracleKind& kind : oracle_kinds()) {
    if (kind.type == config.oracle.type) {
      return kind.make(config);
    }
  }
  throw UserError(fmt::format("{}: [oracle] type = \"{}\" has no oracle in this build of ccbisect",
                              config.file.string(), name_of(config.oracle.type)));
}

}  // namespace ccbisect
