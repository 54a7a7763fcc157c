// Keeping and restoring the user's objects (trials/originals.cpp) on real files.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "tests/support/temp_dir.hpp"
#include "trials/originals.hpp"
#include "trials/workspace.hpp"

namespace fs = std::filesystem;

namespace {
std::string read(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}
}  // namespace

TEST_CASE("the user's objects come back with their mtimes after trials overwrote them", "[trials][reset]") {
  ccbisect::testing::TempDir dir("originals");
  fs::create_directories(dir.path() / "obj");
  fs::create_directories(dir.path() / "store");
  std::ofstream(dir.path() / "obj/a.o") << "user's a";
  auto user_mtime = fs::file_time_type::clock::now() - std::chrono::hours(5);
  fs::last_write_time(dir.path() / "obj/a.o", user_mtime);
  std::ofstream(dir.path() / "store/a.good") << "good a";
  std::ofstream(dir.path() / "store/a.bad") << "bad a";
  std::ofstream(dir.path() / "store/b.good") << "good b";
  std::ofstream(dir.path() / "store/b.bad") << "bad b";
  ccbisect::Originals originals(dir.path() / "wd/original");
  {
    ccbisect::Workspace workspace(
        {{"obj/a.o", dir.path() / "obj/a.o", dir.path() / "store/a.good", dir.path() / "store/a.bad"},
         {"obj/b.o", dir.path() / "obj/b.o", dir.path() / "store/b.good", dir.path() / "store/b.bad"}},
        {}, originals);
    workspace.materialize({0, 1});
    CHECK(read(dir.path() / "obj/a.o") == "bad a");
    CHECK(originals.pending());
    workspace.materialize({1});
  }
  // A second search's workspace must not take the mix for the user's build.
  {
    ccbisect::Workspace again(
        {{"obj/a.o", dir.path() / "obj/a.o", dir.path() / "store/a.good", dir.path() / "store/a.bad"}}, {},
        originals);
    again.materialize({0});
  }
  CHECK(originals.restore().size() == 2);
  CHECK(read(dir.path() / "obj/a.o") == "user's a");
  CHECK(fs::last_write_time(dir.path() / "obj/a.o") == user_mtime);
  CHECK_FALSE(fs::exists(dir.path() / "obj/b.o"));  // there was none: the user's build makes it again
  CHECK_FALSE(originals.pending());
}
