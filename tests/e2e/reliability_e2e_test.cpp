// One search per workdir, Ctrl-C, and putting the user's build back (issue 11), with the real binary.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "db/store.hpp"
#include "tests/support/fixtures.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

const char* k_good = "[good]\ncc = \"gcc-12\"\nflags = \"-O1 -DSIDE=0\"";
const char* k_bad = "[bad]\ncc = \"gcc-12\"\nflags = \"-O2 -DSIDE=1\"";

// A five-object project whose culprit.o returns SIDE (0 good, 1 bad), judged by `oracle`.
void write_side_project(Scenario& s, const std::string& oracle) {
  s.write_small_project("culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12", k_good, k_bad,
                        oracle);
}

// A project whose oracle announces itself in `started`, then waits `seconds` with a child sleeping.
void write_slow_project(Scenario& s, int seconds) {
  s.write_small_project("src/culprit.c", "int culprit(void) { return SIDE; }\n",
                        "int culprit(void);\nint main(void) { return culprit(); }\n", "gcc-12", k_good, k_bad,
                        "./slow.sh");
  s.write("slow.sh",
          "#!/bin/sh\ntouch started\nsleep " + std::to_string(seconds) +
              " &\necho $! > sleeper.pid\nwait\nexec ./prog\n",
          true);
}

bool wait_for(const std::filesystem::path& file, double seconds) {
  auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!std::filesystem::exists(file)) {
    if (std::chrono::steady_clock::now() > end) {
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

}  // namespace

TEST_CASE("a second search in the same workdir is refused while the first runs, and waits with --wait",
          "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("lock");
  write_slow_project(s, 2);
  CcbisectRun first;
  std::thread runner([&] { first = s.run({"objects", "--json"}); });
  REQUIRE(wait_for(s.dir() / "started", 60));
  auto second = s.run({"objects", "--json"});
  INFO(second.output);
  CHECK(second.exit_status == 5);
  CHECK(second.output.find("in use by pid") != std::string::npos);
  auto status = s.run({"status"});  // read-only commands work alongside
  CHECK(status.exit_status == 0);
  auto waited = s.run({"--wait", "objects", "--json"});
  runner.join();
  INFO(first.output);
  INFO(waited.output);
  CHECK(first.exit_status == 0);
  CHECK(waited.exit_status == 0);
  CHECK(waited.json["culprits"] == first.json["culprits"]);
}

TEST_CASE("Ctrl-C kills the running oracle's group, puts the user's objects back and exits 130",
          "[e2e][reliability]") {
  require_tools({"gcc-12", "pkill"});
  Scenario s("interrupt");
  write_slow_project(s, 60);
  std::string config = (s.dir() / "ccbisect.toml").string();
  CcbisectRun run;
  std::thread runner([&] { run = s.run({"objects", "--config", config}); });
  REQUIRE(wait_for(s.dir() / "sleeper.pid", 60));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  run_shell("pkill -INT -f -- '--config " + config + "'", s.dir(), 10);
  runner.join();
  INFO(run.output);
  CHECK(run.exit_status == 130);
  CHECK(run.output.find("user's own objects again") != std::string::npos);
  int sleeper = 0;
  std::ifstream(s.dir() / "sleeper.pid") >> sleeper;
  REQUIRE(sleeper > 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // The oracle's child was killed with its group: gone, or a zombie nobody has reaped yet.
  std::ifstream stat("/proc/" + std::to_string(sleeper) + "/stat");
  std::string pid, name, state;
  stat >> pid >> name >> state;
  CHECK((!stat || state == "Z"));
  // Nothing was in obj/ before the search: the placed objects are gone, and `make` will build them.
  CHECK_FALSE(std::filesystem::exists(s.dir() / "obj/culprit.o"));
  CHECK_FALSE(std::filesystem::exists(s.dir() / ".ccbisect/original/manifest.json"));
  // The trial the signal stopped is recorded as unresolved because it was interrupted.
  auto store = ccbisect::Store::open(s.dir() / ".ccbisect/ccbisect.db");
  auto trials = store->trials("objects");
  REQUIRE_FALSE(trials.empty());
  CHECK(trials.back().result.outcome == ccbisect::Outcome::unresolved);
  CHECK(trials.back().result.reason == ccbisect::UnresolvedReason::interrupted);
}

TEST_CASE("reset puts back the objects the user's build made; run does it unless --keep-mix",
          "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("reset");
  write_side_project(s, "./prog");
  // The user's own build, with its own flags: what reset must bring back.
  REQUIRE(run_shell(
              "mkdir -p obj && for f in src/*.c; do gcc-12 -O0 -DSIDE=0 -c $f -o obj/$(basename ${f%.c}).o; "
              "done && cp obj/culprit.o user-culprit.o",
              s.dir(), 120)
              .exit_status == 0);
  auto objects = s.run({"objects", "--json"});
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  CHECK(objects.output.find("ccbisect reset") != std::string::npos);
  CHECK(run_shell("cmp -s obj/culprit.o user-culprit.o", s.dir(), 10).exit_status != 0);  // the mix
  CHECK(run_shell("./prog", s.dir(), 10).exit_status == 1);                               // the mix, linked
  auto reset = s.run({"reset"});
  INFO(reset.output);
  CHECK(reset.exit_status == 0);
  CHECK(run_shell("cmp -s obj/culprit.o user-culprit.o", s.dir(), 10).exit_status == 0);
  // Relinked: the program is the user's build again (SIDE=0), and make has nothing left to do.
  CHECK(run_shell("./prog", s.dir(), 10).exit_status == 0);
  auto again = s.run({"reset"});
  CHECK(again.output.find("already holds") != std::string::npos);

  // --side: every object as that side compiled it; the link then behaves as that side's build.
  const std::string link_and_run = "gcc-12 obj/*.o -o prog && ./prog";
  auto bad = s.run({"reset", "--side", "bad"});
  INFO(bad.output);
  CHECK(bad.exit_status == 0);
  CHECK(bad.output.find("as the bad toolchain compiled it") != std::string::npos);
  CHECK(run_shell(link_and_run, s.dir(), 60).exit_status == 1);
  auto good = s.run({"reset", "--side", "good"});
  CHECK(good.exit_status == 0);
  CHECK(run_shell(link_and_run, s.dir(), 60).exit_status == 0);
  CHECK(run_shell("cmp -s obj/culprit.o user-culprit.o", s.dir(), 10).exit_status != 0);
  // The user's own objects are still kept aside for a plain reset.
  CHECK(s.run({"reset"}).exit_status == 0);
  CHECK(run_shell("cmp -s obj/culprit.o user-culprit.o", s.dir(), 10).exit_status == 0);
  CHECK(s.run({"reset", "--side", "ugly"}).exit_status == 2);
}

TEST_CASE("a run with --fresh runs every trial again without deleting the history", "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("fresh");
  write_side_project(s, "./prog");
  auto first = s.run({"objects", "--json"});
  INFO(first.output);
  REQUIRE(first.exit_status == 0);
  int trials = first.json["trials"].get<int>();
  REQUIRE(trials > 0);
  CHECK(first.json["cached"] == 0);
  auto replayed = s.run({"objects", "--json"});
  // Every trial replayed but the confirming re-run of the answer, which always runs.
  CHECK(replayed.json["cached"] == trials - 1);
  auto fresh = s.run({"objects", "--fresh", "--json"});
  INFO(fresh.output);
  CHECK(fresh.exit_status == 0);
  CHECK(fresh.json["culprits"] == first.json["culprits"]);
  CHECK(fresh.json["trials"] == trials);
  CHECK(fresh.json["cached"] == 0);  // every trial run again
  // The history holds both runs' trials.
  auto log = s.run({"log", "--json"});
  INFO(log.output);
  CHECK(log.exit_status == 0);
  CHECK(log.output.find("\"level\"") != std::string::npos);
  auto status = s.run({"status", "--json"});
  CHECK(status.output.find(std::to_string(2 * trials)) != std::string::npos);
}

TEST_CASE("a run killed mid-compile leaves no scratch files behind after the next command",
          "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("scratch");
  write_side_project(s, "./prog");
  // What a compile killed with -9 leaves: a half-written object in the store's scratch directory.
  s.write(".ccbisect/objects/tmp/culprit-AbC123.o", "half an object");
  auto run = s.run({"objects"});
  INFO(run.output);
  CHECK(run.exit_status == 0);
  CHECK(std::filesystem::is_empty(s.dir() / ".ccbisect/objects/tmp"));
}

TEST_CASE("a damaged database is named with what to do, exit 1", "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("damaged");
  write_side_project(s, "./prog");
  REQUIRE(s.run({"objects"}).exit_status == 0);
  std::filesystem::path db = s.dir() / ".ccbisect/ccbisect.db";
  REQUIRE(std::filesystem::exists(db));
  REQUIRE(!std::filesystem::exists(db.string() + "-wal"));  // the last connection checkpointed it
  // Garbage over every page but the first: the header opens, the tables do not read.
  auto size = std::filesystem::file_size(db);
  REQUIRE(size > 8192);
  {
    std::fstream file(db, std::ios::in | std::ios::out | std::ios::binary);
    file.seekp(4096);
    std::string garbage(size - 4096, '\xa5');
    file.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  auto status = s.run({"log"});
  INFO(status.output);
  CHECK(status.exit_status == 1);
  CHECK(status.output.find(db.string()) != std::string::npos);
  CHECK(status.output.find("damaged") != std::string::npos);
  CHECK(status.output.find("internal error") == std::string::npos);
}

TEST_CASE("oracle-check measures how often the oracle flips and suggests a repeat", "[e2e][reliability]") {
  require_tools({"gcc-12"});
  Scenario s("oracle-check");
  write_side_project(s, "./check.sh");
  s.write("check.sh", "#!/bin/sh\nexec ./prog\n", true);
  auto clean = s.run({"oracle-check", "-k", "3", "--json"});
  INFO(clean.output);
  CHECK(clean.exit_status == 0);
  CHECK(clean.json["all_good"]["pass"] == 3);
  CHECK(clean.json["all_bad"]["fail"] == 3);
  CHECK(clean.json["flips"] == 0);
  CHECK(clean.json["suggested_repeat"] == 1);
  // Every third answer flipped.
  s.write("check.sh",
          "#!/bin/sh\nn=$(( $(cat .n 2>/dev/null || echo 0) + 1 )); echo $n > .n\n./prog; r=$?\n"
          "if [ $((n % 3)) -eq 0 ]; then [ $r -eq 0 ] && exit 1; exit 0; fi\nexit $r\n",
          true);
  auto noisy = s.run({"oracle-check", "-k", "6", "--json"});
  INFO(noisy.output);
  CHECK(noisy.exit_status == 0);
  CHECK(noisy.json["flips"] == 4);
  CHECK(noisy.json["suggested_repeat"].get<int>() > 1);
}
