// The build-kind registry: one row per [build] capture value, and capture_objects asks the row of
// the configured kind (the compile database is read, the wrapper's records are looked for).
#include "capture/build_kinds.hpp"

#include <catch2/catch.hpp>

#include "bisector/errors.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

TEST_CASE("Every build kind has exactly one row in the registry", "[capture]") {
  for (const auto& [kind, name] : EnumNames<CaptureKind>::k_names) {
    INFO(name);
    std::size_t rows = 0;
    for (const BuildKind& row : build_kinds()) {
      rows += row.kind == kind ? 1 : 0;
    }
    CHECK(rows == 1);
  }
  CHECK(build_kinds().size() == EnumNames<CaptureKind>::k_names.size());
}

TEST_CASE("capture_objects takes the objects from where the build kind says", "[capture]") {
  TempDir dir("build-kinds");
  Config config;
  config.file = dir / "ccbisect.toml";
  config.project_dir = dir.path();
  config.good = {"gcc-12", "g++-12", ""};
  config.bad = {"gcc-11", "g++-11", ""};
  std::filesystem::create_directories(config.workdir_path());
  auto store = Store::open(config.database_path());
  ObjectStore objects(config.workdir_path() / "objects");
  auto quiet = [](const std::string&) {};

  // compdb: the compile database is read, and there is none.
  config.capture = CaptureKind::compdb;
  CHECK_THROWS_WITH(capture_objects(config, *store, objects, 1, quiet),
                    Catch::Contains("compile_commands.json"));
  // wrapper: the records of `ccbisect capture` are looked for, and there are none.
  config.capture = CaptureKind::wrapper;
  CHECK_THROWS_WITH(capture_objects(config, *store, objects, 1, quiet), Catch::Contains("ccbisect capture"));
}
