// Tests of sys/temp_file.cpp: unique O_EXCL names, atomic replacement, and the two failures the old
// `<path>.ccbisect-<pid>.tmp` names had (a planted symlink followed, two threads sharing one name).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "sys/temp_file.hpp"
#include "tests/support/temp_dir.hpp"
#include "trials/workspace.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::size_t entries_in(const std::filesystem::path& directory) {
  std::size_t count = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory)) {
    ++count;
  }
  return count;
}

}  // namespace

TEST_CASE("unique files and directories get distinct new names with the prefix and suffix", "[temp_file]") {
  TempDir dir("unique");
  std::set<std::filesystem::path> seen;
  for (int i = 0; i < 50; ++i) {
    std::error_code error;
    auto file = create_unique_file(dir.path(), "obj-", ".o", error);
    REQUIRE(file);
    CHECK(file->parent_path() == dir.path());
    CHECK(file->filename().string().rfind("obj-", 0) == 0);
    CHECK(file->extension() == ".o");
    CHECK(std::filesystem::file_size(*file) == 0);
    CHECK(seen.insert(*file).second);
    auto directory = create_unique_directory(dir.path(), "scratch-", error);
    REQUIRE(directory);
    CHECK(std::filesystem::is_directory(*directory));
    CHECK(seen.insert(*directory).second);
  }
  std::error_code error;
  CHECK_FALSE(create_unique_file(dir / "absent", "x-", "", error));
  CHECK(error == std::errc::no_such_file_or_directory);
}

TEST_CASE("copy_file_atomically replaces the target with the source's bytes and mode", "[temp_file]") {
  TempDir dir("copy");
  std::ofstream(dir / "from", std::ios::binary) << std::string(
      "\x7f"
      "ELF\0payload",
      12);
  ::chmod((dir / "from").c_str(), 0755);
  std::ofstream(dir / "to") << "old";
  std::error_code error;
  REQUIRE(copy_file_atomically(dir / "from", dir / "to", error));
  CHECK(read_file(dir / "to") == std::string("\x7f"
                                             "ELF\0payload",
                                             12));
  struct stat status {};
  REQUIRE(::stat((dir / "to").c_str(), &status) == 0);
  CHECK((status.st_mode & 0777) == 0755);
  CHECK(entries_in(dir.path()) == 2);  // no temporary file left behind

  SECTION("into a directory that does not exist yet") {
    REQUIRE(copy_file_atomically(dir / "from", dir / "a" / "b" / "to", error));
    CHECK(read_file(dir / "a" / "b" / "to") == read_file(dir / "from"));
  }
  SECTION("a missing source leaves the target as it was and nothing behind") {
    CHECK_FALSE(copy_file_atomically(dir / "absent", dir / "to", error));
    CHECK(error == std::errc::no_such_file_or_directory);
    CHECK(read_file(dir / "to") == read_file(dir / "from"));
    CHECK(entries_in(dir.path()) == 2);
  }
  SECTION("with an mtime, the copy carries it (a Ninja tree keeps the build's times)") {
    auto then = std::filesystem::file_time_type::clock::now() - std::chrono::hours(30);
    REQUIRE(copy_file_atomically(dir / "from", dir / "dated", error, then));
    CHECK(std::filesystem::last_write_time(dir / "dated") == then);
    REQUIRE(copy_file_atomically(dir / "from", dir / "fresh", error));
    CHECK(std::filesystem::last_write_time(dir / "fresh") > then + std::chrono::hours(29));
  }
  SECTION("write_file_atomically writes text the same way") {
    REQUIRE(write_file_atomically(dir / "text", "hello\n", error));
    CHECK(read_file(dir / "text") == "hello\n");
    CHECK(entries_in(dir.path()) == 3);
  }
}

TEST_CASE("a symlink planted at the old temporary name or at the target is never followed", "[temp_file]") {
  TempDir dir("symlink");
  std::ofstream(dir / "victim") << "precious";
  std::ofstream(dir / "object.good") << "good object";
  std::filesystem::path target = dir / "obj" / "unit.o";
  std::filesystem::create_directories(target.parent_path());
  // The name place_object used before: `<target>.ccbisect-<pid>.tmp`, which anyone could predict.
  std::filesystem::path old_name = target;
  old_name += ".ccbisect-" + std::to_string(::getpid()) + ".tmp";
  std::filesystem::create_symlink(dir / "victim", old_name);

  place_object(dir / "object.good", target);
  CHECK(read_file(dir / "victim") == "precious");
  CHECK(read_file(target) == "good object");

  SECTION("a symlink at the target itself is replaced by the file") {
    std::filesystem::remove(target);
    std::filesystem::create_symlink(dir / "victim", target);
    place_object(dir / "object.good", target);
    CHECK_FALSE(std::filesystem::is_symlink(target));
    CHECK(read_file(target) == "good object");
    CHECK(read_file(dir / "victim") == "precious");
  }
}

TEST_CASE("two threads replacing the same target never mix their bytes or collide", "[temp_file]") {
  TempDir dir("threads");
  const std::string a(256 * 1024, 'a');
  const std::string b(256 * 1024, 'b');
  std::ofstream(dir / "a", std::ios::binary) << a;
  std::ofstream(dir / "b", std::ios::binary) << b;
  std::filesystem::path target = dir / "out" / "unit.o";
  std::atomic<int> failures{0};
  std::atomic<bool> done{false};
  auto writer = [&](const std::filesystem::path& from) {
    for (int i = 0; i < 100; ++i) {
      std::error_code error;
      if (!copy_file_atomically(from, target, error)) {
        ++failures;
      }
    }
  };
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!done) {
      std::string seen = read_file(target);
      if (!seen.empty() && seen != a && seen != b) {
        ++torn;
      }
    }
  });
  std::thread first(writer, dir / "a");
  std::thread second(writer, dir / "b");
  first.join();
  second.join();
  done = true;
  reader.join();
  CHECK(failures == 0);
  CHECK(torn == 0);
  std::string last = read_file(target);
  CHECK((last == a || last == b));
  CHECK(entries_in(target.parent_path()) == 1);
}
