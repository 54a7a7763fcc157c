// The workdir lock and script fingerprints (sys/): real files in a temp dir.
#include <catch2/catch.hpp>

#include <fstream>
#include <thread>

#include "bisector/errors.hpp"
#include "sys/hashing.hpp"
#include "sys/workdir_lock.hpp"
#include "tests/support/temp_dir.hpp"

using ccbisect::UserError;
using ccbisect::WorkdirLock;

TEST_CASE("a second holder of a workdir is refused with the first one named, or waits with --wait",
          "[sys][lock]") {
  ccbisect::testing::TempDir dir("lock");
  auto first = std::make_unique<WorkdirLock>(dir.path() / "wd", "ccbisect objects", false, nullptr);
  try {
    WorkdirLock second(dir.path() / "wd", "ccbisect flags", false, nullptr);
    FAIL("the second lock was granted");
  } catch (const UserError& e) {
    CHECK(e.exit_code() == ccbisect::k_exit_busy);
    CHECK(std::string(e.what()).find("ccbisect objects") != std::string::npos);
    CHECK(std::string(e.what()).find("--wait") != std::string::npos);
  }
  std::string notice;
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    first.reset();
  });
  WorkdirLock waited(dir.path() / "wd", "ccbisect flags", true,
                     [&](const std::string& text) { notice = text; });
  release.join();
  CHECK(notice.find("waiting") != std::string::npos);
}

TEST_CASE("script fingerprints follow the scripts a command runs, not the programs", "[sys][hashing]") {
  ccbisect::testing::TempDir dir("fingerprint");
  std::ofstream(dir.path() / "test.sh") << "#!/bin/sh\n./prog\n";
  std::ofstream(dir.path() / "prog") << "\x7f"
                                        "ELF not a script";
  std::string before = ccbisect::script_fingerprint("./test.sh --quick", dir.path());
  CHECK_FALSE(before.empty());
  CHECK(ccbisect::script_fingerprint("./prog", dir.path()).empty());
  std::ofstream(dir.path() / "prog") << "\x7f"
                                        "ELF another build";
  CHECK(ccbisect::script_fingerprint("./test.sh --quick", dir.path()) == before);
  std::ofstream(dir.path() / "test.sh") << "#!/bin/sh\n./prog --fixed\n";
  CHECK(ccbisect::script_fingerprint("./test.sh --quick", dir.path()) != before);
}
