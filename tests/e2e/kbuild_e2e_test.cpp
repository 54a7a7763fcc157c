// `[build] capture = "kbuild"` with the real Kbuild of Debian's linux-headers-amd64, no QEMU: the
// oracle reads the relinked .ko, so each trial proves that Kbuild relinked the placed objects (and
// recompiled none). The boot of examples/kmod is in qemu_test.cpp.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <thread>

#include "tests/support/kernel_fixture.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;
using ccbisect::run_shell;

namespace {

// A three-object module; marker.o says which side compiled it, and the oracle fails when the .ko
// holds the bad side's marker.
void write_module_project(Scenario& s, const std::string& good_cc, const std::string& bad_cc,
                          const std::string& extra_build) {
  s.write("mod/Kbuild", "obj-m := kb.o\nkb-y := kb_main.o kb_util.o kb_marker.o\n");
  s.write("mod/kb_main.c",
          "#include <linux/module.h>\nint kb_util(int);\nextern const char kb_marker[];\n"
          "static int __init kb_init(void) { pr_info(\"%s %d\\n\", kb_marker, kb_util(3)); return 0; }\n"
          "module_init(kb_init);\nMODULE_LICENSE(\"GPL\");\n");
  s.write("mod/kb_util.c",
          "int kb_util(int x) { int s = 0; for (int i = 0; i < x; ++i) s += i * x; return s; }\n");
  s.write("mod/kb_marker.c",
          "#ifdef KB_BAD\nconst char kb_marker[] = \"KB-MARK-BAD\";\n#else\n"
          "const char kb_marker[] = \"KB-MARK-GOOD\";\n#endif\n");
  s.write("check.sh", "#!/bin/sh\n! grep -q KB-MARK-BAD mod/kb.ko\n", true);
  s.write("ccbisect.toml", "[build]\ncapture = \"kbuild\"\nmodule = \"mod\"\n" + extra_build +
                               "\n[good]\ncc = \"" + good_cc + "\"\nflags = \"-O2\"\n[bad]\ncc = \"" +
                               bad_cc +
                               "\"\nflags = \"-O1 -DKB_BAD=1\"\n[oracle]\ncommand = \"./check.sh\"\n");
}

}  // namespace

TEST_CASE("kbuild: ccbisect captures both sides and each trial relinks the module, with no script",
          "[e2e][kbuild]") {
  require_tools({"make", "gcc-12"});
  require_debian_kernel();
  Scenario s("kbuild");
  write_module_project(s, "gcc-12", "gcc-12", "");
  auto objects = s.run({"objects", "--json"}, 600);
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  CHECK(objects.json["culprits"] == nlohmann::json::array({"mod/kb_marker.o"}));
  CHECK(objects.json["unresolved"] == 0);
  // kb.mod.o is made by every link, not an item.
  CHECK_THAT(objects.output,
             Catch::Contains("[capture] kbuild: 3 objects; 1 made anew by every link left out"));
  CHECK(objects.json["items"].get<int>() >= 2);
  CHECK_THAT(objects.output, Catch::Contains("[capture] good side: 4 objects recorded"));
  // The tree holds the minimal failing mix, relinked: the .ko carries the bad marker.
  CHECK(run_shell("grep -q KB-MARK-BAD mod/kb.ko", s.dir(), 10).exit_status == 0);
  auto reset = s.run({"reset"});
  CHECK(reset.exit_status == 0);
  // Unchanged: both captures are reused. A source edited since: captured again.
  auto again = s.run({"objects"}, 600);
  CHECK_THAT(again.output, Catch::Contains("both sides recorded earlier with this configuration; reused"));
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  s.write("mod/kb_util.c",
          "int kb_util(int x) { int s = 1; for (int i = 0; i < x; ++i) s += i * x; return s; }\n");
  auto edited = s.run({"objects"}, 600);
  INFO(edited.output);
  CHECK(edited.exit_status == 0);
  CHECK_THAT(edited.output, Catch::Contains("[capture] good side: 4 objects recorded"));
}

TEST_CASE("kbuild: with parallel_trials, two slots relink their own copies of the module at once",
          "[e2e][kbuild]") {
  require_tools({"make", "gcc-12"});
  require_debian_kernel();
  Scenario s("kbuild-slots");
  write_module_project(s, "gcc-12", "gcc-12", "parallel_trials = true");
  // Where each trial was judged, and what its .ko held: a copy that did not relink its own tree
  // would keep the bad .ko it was copied with and fail every trial.
  s.write("check.sh",
          "#!/bin/sh\nif grep -q KB-MARK-BAD mod/kb.ko; then r=fail; else r=pass; fi\n"
          "echo \"$(pwd) $r\" >> \"$TRIAL_LOG\"\n[ $r = pass ]\n",
          true);
  std::string log = (s.dir() / "trials.txt").string();
  ::setenv("TRIAL_LOG", log.c_str(), 1);
  auto objects = s.run({"objects", "--json", "-j", "2"}, 600);
  ::unsetenv("TRIAL_LOG");
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  CHECK(objects.json["culprits"] == nlohmann::json::array({"mod/kb_marker.o"}));
  CHECK(objects.json["unresolved"] == 0);
  CHECK_THAT(objects.output, Catch::Contains("2 trials at once"));
  std::ifstream in(log);
  std::size_t in_copy = 0;
  std::size_t passed_in_copy = 0;
  for (std::string line; std::getline(in, line);) {
    if (line.find("/slots/1 ") != std::string::npos) {
      ++in_copy;
      passed_in_copy += line.ends_with(" pass") ? 1 : 0;
    }
  }
  CHECK(in_copy >= 1);
  CHECK(passed_in_copy >= 1);  // the copy relinked good objects: its stale bad .ko would fail
}

TEST_CASE("kbuild: an option the kernel's flags carry and one compiler rejects is named with the fix",
          "[e2e][kbuild]") {
  require_tools({"make", "gcc-12", "gcc-11"});
  DebianKernel kernel = require_debian_kernel();
  if (run_shell("grep -q '^CONFIG_INIT_STACK_ALL_ZERO=y' " + (kernel.build_dir / ".config").string(), "/", 10)
          .exit_status != 0) {
    std::printf("SKIPPED: these headers do not use -ftrivial-auto-var-init=zero\n");
    std::_Exit(77);
  }
  Scenario s("kbuild-reject");
  write_module_project(s, "gcc-12", "gcc-11", "");
  auto refused = s.run({"objects"}, 600);
  INFO(refused.output);
  CHECK(refused.exit_status == 1);
  CHECK_THAT(refused.output,
             Catch::Contains("the bad compiler (gcc-11) rejects -ftrivial-auto-var-init=zero"));
  CHECK_THAT(refused.output, Catch::Contains("drop_flags = [\"-ftrivial-auto-var-init=zero\"]"));
  // The fix the message gives works.
  write_module_project(s, "gcc-12", "gcc-11", "drop_flags = [\"-ftrivial-auto-var-init=zero\"]");
  auto objects = s.run({"objects", "--json"}, 600);
  INFO(objects.output);
  CHECK(objects.exit_status == 0);
  CHECK(objects.json["culprits"] == nlohmann::json::array({"mod/kb_marker.o"}));
}
