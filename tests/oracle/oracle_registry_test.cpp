// The oracle registry: one row per [oracle] type, and make_oracle builds the one the file names.
#include "oracle/oracle_registry.hpp"

#include <catch2/catch.hpp>

#include "bisector/errors.hpp"
#include "oracle/command_oracle.hpp"
#include "oracle/qemu_oracle.hpp"

using namespace ccbisect;

TEST_CASE("Every oracle type has exactly one row in the registry", "[oracle]") {
  for (const auto& [type, name] : EnumNames<OracleType>::k_names) {
    INFO(name);
    std::size_t rows = 0;
    for (const OracleKind& kind : oracle_kinds()) {
      rows += kind.type == type ? 1 : 0;
    }
    CHECK(rows == 1);
  }
  CHECK(oracle_kinds().size() == EnumNames<OracleType>::k_names.size());
}

TEST_CASE("make_oracle builds the oracle of the configured type", "[oracle]") {
  Config config;
  config.oracle.command = "exit 0";
  CHECK(dynamic_cast<CommandOracle*>(make_oracle(config).get()) != nullptr);
  // The command oracle judges by exit status with the configured timeout policy.
  CHECK(make_oracle(config)->judge(std::filesystem::temp_directory_path()).outcome == Outcome::pass);
  config.oracle.command = "sleep 5";
  config.oracle.timeout = 0.2;
  config.oracle.on_timeout = NoVerdict::fail;
  CHECK(make_oracle(config)->judge(std::filesystem::temp_directory_path()).outcome == Outcome::fail);

  config.oracle.type = OracleType::qemu;
  CHECK(dynamic_cast<QemuOracle*>(make_oracle(config).get()) != nullptr);
  config.oracle.qemu.fail = {"("};
  CHECK_THROWS_AS(make_oracle(config), UserError);
}
