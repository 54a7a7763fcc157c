// The QEMU boot oracle (oracle/qemu_oracle.cpp) against a real kernel: Debian's linux-image-amd64
// booted under TCG with a test module built by Kbuild against linux-headers-amd64. The module's
// `mode` parameter (from the kernel command line, through the initramfs's /init) makes it pass,
// fail its self-test, oops, panic or say nothing, and each boot must be classified for what it is.
// Without QEMU, the kernel or its headers, the test exits 77: skipped, never passed.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "bisector/errors.hpp"
#include "config/config.hpp"
#include "oracle/oracle_registry.hpp"
#include "oracle/qemu_oracle.hpp"
#include "tests/support/kernel_fixture.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect;
using namespace ccbisect::testing;

namespace {

// A module whose init does what `mode` says; the result line is what the example's module prints.
const char* k_check_module = R"(// SPDX-License-Identifier: GPL-2.0
#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>

static char *mode = "pass";
module_param(mode, charp, 0444);

static int __init kcheck_init(void)
{
	if (!strcmp(mode, "pass"))
		pr_alert("kmod-selftest: PASS kcheck\n");
	else if (!strcmp(mode, "fail"))
		pr_alert("kmod-selftest: FAIL kcheck: 2 + 2 = %d\n", 2 + 2 + 1);
	else if (!strcmp(mode, "oops"))
		*(volatile int *)NULL = 1;
	else if (!strcmp(mode, "panic"))
		panic("kcheck: panic requested");
	return 0;
}

static void __exit kcheck_exit(void)
{
}

module_init(kcheck_init);
module_exit(kcheck_exit);
MODULE_LICENSE("GPL");
)";

QemuOptions boot_options(const std::filesystem::path& dir, const std::string& kernel,
                         const std::string& mode) {
  QemuOptions options;
  options.workdir = dir / ".ccbisect";
  options.kernel = kernel;
  options.modules = {"kcheck.ko"};  // packed by the oracle into its busybox initramfs
  options.append = "console=ttyS0 quiet kcheck.mode=" + mode;
  options.accel = QemuAccel::tcg;
  options.args = {"-nic", "none"};
  options.pass_patterns = {"kmod-selftest: PASS"};
  options.fail_patterns = Config{}.oracle.qemu.fail;
  options.fail_patterns.push_back("kmod-selftest: FAIL");
  options.timeout_seconds = 60;
  return options;
}

ConsolePatterns example_patterns() {
  std::vector<std::string> fail = Config{}.oracle.qemu.fail;
  fail.push_back("selftest: FAIL");
  return ConsolePatterns::compile({"selftest: PASS"}, fail, "ccbisect.toml");
}

}  // namespace

TEST_CASE("the console scanner takes the first verdict line and reads a fail report to its end",
          "[qemu][console]") {
  ConsolePatterns patterns = example_patterns();

  SECTION("a pass line stops at once") {
    ConsoleScanner scanner(patterns);
    std::string text =
        "\x1b"
        "c\x1b[?7l\x1b[2JBooting from ROM..\n[    0.1] Linux version 6.1\n";
    CHECK_FALSE(scanner.feed(text));
    text += "[    1.8] selftest: PASS 64 keys\n[    1.9] more\n";
    CHECK(scanner.feed(text));
    REQUIRE(scanner.verdict().outcome == Outcome::pass);
    CHECK(scanner.verdict().line == "[    1.8] selftest: PASS 64 keys");
    CHECK(scanner.verdict().line_number == 3);
  }

  SECTION("a fail line waits for the report's end line, and fail beats a later pass") {
    ConsoleScanner scanner(patterns);
    std::string text = "init: insmod m\n[ 1.0] BUG: kernel NULL pointer dereference, address: 0\n";
    CHECK_FALSE(scanner.feed(text));
    text += "[ 1.0] Oops: 0002 [#1] PREEMPT SMP NOPTI\n[ 1.0] selftest: PASS\n[ 1.0] Call Trace:\n";
    CHECK_FALSE(scanner.feed(text));
    text += "[ 1.1] ---[ end trace 0000000000000000 ]---\n";
    CHECK(scanner.feed(text));
    CHECK(scanner.verdict().outcome == Outcome::fail);
    CHECK(scanner.verdict().pattern == "BUG:");
  }

  SECTION("output whose beginning was dropped is read from where it stopped, once") {
    ConsoleScanner scanner(patterns);
    std::string text;
    for (int i = 0; i < 200; ++i) {
      text += "[ 0." + std::to_string(i) + "] some boot line that is long enough to matter\n";
    }
    CHECK_FALSE(scanner.feed(text));
    std::string trimmed = text.substr(5000) + "[ 2.0] selftest: FAIL key skipped backwards\n";
    CHECK_FALSE(scanner.feed(trimmed));
    CHECK(scanner.verdict().outcome == Outcome::fail);
    CHECK(scanner.verdict().line_number == 201);
  }

  SECTION("a last line without a newline counts once the output has ended; power-off is noticed") {
    ConsoleScanner scanner(patterns);
    CHECK_FALSE(scanner.feed("[ 1.5] reboot: Power down\n[ 1.6] Kernel panic - not syncing: x"));
    CHECK_FALSE(scanner.verdict().outcome);
    scanner.finish("[ 1.5] reboot: Power down\n[ 1.6] Kernel panic - not syncing: x");
    CHECK(scanner.verdict().outcome == Outcome::fail);
    CHECK(scanner.powered_off());
  }

  CHECK(printable_console("\x1b"
                          "c\x1b[?7l\x1b[2Jok\r\n") == "ok\n");
  CHECK_THROWS_WITH(ConsolePatterns::compile({"(unclosed"}, {}, "ccbisect.toml"),
                    Catch::Contains("[oracle] pass: \"(unclosed\" is not a valid regular expression"));
}

TEST_CASE("the qemu keys of [oracle] are read and checked and required only with type = qemu",
          "[qemu][config]") {
  TempDir dir("qemu-config");
  auto write = [&](const std::string& oracle) {
    std::ofstream(dir / "ccbisect.toml")
        << "[build]\nlink = \"make\"\n[good]\ncc = \"gcc-12\"\n[bad]\ncc = \"gcc-12\"\n"
        << "[oracle]\n"
        << oracle;
    return dir / "ccbisect.toml";
  };
  Config config =
      load_config(write("type = \"qemu\"\nkernel = \"vmlinuz\"\nsmp = 2\npass = [\"ok\"]\n"
                        "args = [\"-nic\", \"none\"]\n"));
  CHECK(config.oracle.qemu.kernel == "vmlinuz");
  CHECK(config.oracle.qemu.smp == 2);
  CHECK(config.oracle.qemu.pass == std::vector<std::string>{"ok"});
  CHECK(config.oracle.qemu.fail.size() == 6);  // the defaults
  CHECK(config.oracle.qemu.args == std::vector<std::string>{"-nic", "none"});
  CHECK(make_oracle(config) != nullptr);

  CHECK_THROWS_WITH(load_config(write("type = \"qemu\"\n")), Catch::Contains("missing [oracle] kernel"));
  CHECK_THROWS_WITH(load_config(write("type = \"qemu\"\nkernel = \"k\"\nfail = \"Oops\"\n")),
                    Catch::Contains("ccbisect.toml: [oracle] fail must be a list of strings"));
  CHECK_THROWS_WITH(load_config(write("command = \"./t.sh\"\nkernel = \"k\"\n")),
                    Catch::Contains("[oracle] kernel applies only to type = \"qemu\""));
  CHECK_THROWS_WITH(load_config(write("type = \"qemu\"\nkernel = \"k\"\naccel = \"hvf\"\n")),
                    Catch::Contains("[oracle] accel must be"));
  CHECK_THROWS_AS(load_config(write("type = \"command\"\n")), UserError);
  Config bad_regex = load_config(write("type = \"qemu\"\nkernel = \"k\"\nfail = [\"[\"]\n"));
  CHECK_THROWS_WITH(make_oracle(bad_regex),
                    Catch::Contains("[oracle] fail: \"[\" is not a valid regular expression"));
  CHECK_THAT(config_template(), Catch::Contains("# kernel = \"vmlinuz\""));
}

TEST_CASE("a missing kernel or QEMU or initrd is unresolved with a note and never a pass", "[qemu]") {
  TempDir dir("qemu-missing");
  QemuOptions options;
  options.workdir = dir / ".ccbisect";
  options.kernel = "no-such-vmlinuz";
  options.pass_patterns = {"PASS"};
  options.fail_patterns = Config{}.oracle.qemu.fail;
  OracleVerdict no_kernel = QemuOracle(options).judge(dir.path());
  CHECK(no_kernel.outcome == Outcome::unresolved);
  CHECK(no_kernel.reason == UnresolvedReason::oracle_error);
  CHECK_THAT(no_kernel.log_tail, Catch::Contains("no-such-vmlinuz does not exist ([oracle] kernel)"));

  std::ofstream(dir / "vmlinuz") << "not really a kernel";
  options.kernel = "vmlinuz";
  options.qemu = "qemu-system-nosuch";
  options.accel = QemuAccel::tcg;
  OracleVerdict no_qemu = QemuOracle(options).judge(dir.path());
  CHECK(no_qemu.outcome == Outcome::unresolved);
  CHECK(no_qemu.reason == UnresolvedReason::oracle_error);
  CHECK_THAT(no_qemu.log_tail, Catch::Contains("'qemu-system-nosuch' was not found in PATH"));

  options.initrd = "initramfs.cpio.gz";
  options.initrd_command = "echo cannot pack >&2; exit 3";
  OracleVerdict no_initrd = QemuOracle(options).judge(dir.path());
  CHECK(no_initrd.outcome == Outcome::unresolved);
  CHECK(no_initrd.reason == UnresolvedReason::oracle_error);
  CHECK_THAT(no_initrd.log_tail, Catch::Contains("cannot pack"));
  CHECK_THAT(no_initrd.log_tail, Catch::Contains("failed (exit 3)"));
}

TEST_CASE(
    "a real kernel under QEMU TCG: pass and self-test fail and Oops and panic and silence are told apart",
    "[qemu][boot]") {
  require_tools({"qemu-system-x86_64", "make", "gcc-12"});
  DebianKernel kernel = require_debian_kernel();
  if (!std::filesystem::exists("/bin/busybox")) {
    std::printf("SKIPPED: /bin/busybox is not installed (apt-get install busybox-static)\n");
    std::_Exit(77);
  }
  TempDir dir("qemu-boot");
  build_module(kernel, dir.path(), "kcheck", k_check_module);

  struct Case {
    std::string mode;
    Outcome outcome;
    std::string line;  // what the deciding console line says
  };
  std::vector<Case> cases = {
      {"pass", Outcome::pass, "kmod-selftest: PASS kcheck"},
      {"fail", Outcome::fail, "kmod-selftest: FAIL kcheck: 2 + 2 = 5"},
      {"oops", Outcome::fail, "BUG: kernel NULL pointer dereference"},
      {"panic", Outcome::fail, "Kernel panic - not syncing: kcheck: panic requested"},
      // No result line: the guest powers off, which is no verdict when pass lines are expected.
      {"silent", Outcome::unresolved, "without a verdict line"},
  };
  // One module build, then one boot per mode (a section per mode would rebuild it every time).
  for (const Case& c : cases) {
    QemuOracle oracle(boot_options(dir.path(), kernel.image.string(), c.mode));
    OracleVerdict verdict = oracle.judge(dir.path());
    std::printf("[qemu test] %-6s -> %s in %.1f s\n", c.mode.c_str(),
                std::string(to_string(verdict.outcome)).c_str(), verdict.seconds);
    INFO("mode " << c.mode << ":\n" << verdict.log_tail);
    CHECK(verdict.outcome == c.outcome);
    // No console line matched: the oracle's own "no verdict", not a failure to run it.
    CHECK(verdict.reason == (c.outcome == Outcome::unresolved ? UnresolvedReason::oracle_said_unresolved
                                                              : UnresolvedReason::none));
    CHECK_THAT(verdict.log_tail, Catch::Contains(c.line));
    CHECK_THAT(verdict.log_tail, Catch::Contains("[ccbisect] qemu (tcg"));
    CHECK_THAT(verdict.log_tail, Catch::Contains("full console: " + (dir / ".ccbisect" / "serial").string()));
    if (c.mode == "oops") {
      CHECK_THAT(verdict.log_tail, Catch::Contains("Oops:"));
      CHECK_THAT(verdict.log_tail, Catch::Contains("---[ end trace"));
    }
    // Stopped at the verdict: far below the 60 s timeout.
    CHECK(verdict.seconds < 40);
    CHECK(verdict.log_tail.find('\x1b') == std::string::npos);
  }

  // No modules, no initrd, no root=: the kernel still gets ccbisect's initramfs and reaches its /init
  // (without it the boot could only panic, unable to mount a root).
  QemuOptions bare = boot_options(dir.path(), kernel.image.string(), "pass");
  bare.modules.clear();
  bare.pass_patterns = {"ccbisect-init: done"};
  OracleVerdict reached_init = QemuOracle(bare).judge(dir.path());
  INFO(reached_init.log_tail);
  CHECK(reached_init.outcome == Outcome::pass);
  CHECK_THAT(reached_init.log_tail, Catch::Contains("ccbisect-init: done"));
  bare.append += " root=/dev/vda";  // the user's own root: no initramfs of ccbisect's
  OracleVerdict no_root = QemuOracle(bare).judge(dir.path());
  CHECK(no_root.outcome == Outcome::fail);
  CHECK_THAT(no_root.log_tail, Catch::Contains("Kernel panic"));
}

TEST_CASE("KVM is used only if a test boot finishes and the answer is remembered in the workdir",
          "[qemu][accel]") {
  require_tools({"qemu-system-x86_64"});
  DebianKernel kernel = require_debian_kernel();
  TempDir dir("qemu-accel");
  QemuOptions options;
  options.workdir = dir / ".ccbisect";
  options.kernel = kernel.image.string();
  options.fail_patterns = Config{}.oracle.qemu.fail;
  std::string why;
  auto start = std::chrono::steady_clock::now();
  std::string accel = QemuOracle(options).accelerator(kernel.image, why);
  double first = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[qemu test] accelerator %s (%s) after %.1f s\n", accel.c_str(), why.c_str(), first);
  CHECK((accel == "kvm" || accel == "tcg"));
  if (why == "no usable /dev/kvm") {
    CHECK(accel == "tcg");
    return;
  }
  REQUIRE(std::filesystem::exists(dir / ".ccbisect" / "qemu-accel.txt"));
  std::string again_why;
  start = std::chrono::steady_clock::now();
  CHECK(QemuOracle(options).accelerator(kernel.image, again_why) == accel);
  CHECK(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() < 1.0);
  CHECK_THAT(again_why, Catch::Contains("remembered in"));
}

// examples/kmod as the README runs it: its whole configuration is the 20-line ccbisect.toml (Kbuild
// captured and relinked by ccbisect, the module booted from ccbisect's own initramfs). About 90 s
// under TCG: 2 Kbuild captures and 7 boots.
TEST_CASE("examples/kmod: objects names kc_set.o, which holds the dead compound literal", "[qemu][kmod]") {
  require_tools({"qemu-system-x86_64", "make", "gcc-12"});
  require_debian_kernel();
  if (!std::filesystem::exists("/bin/busybox")) {
    std::printf("SKIPPED: /bin/busybox is not installed (apt-get install busybox-static)\n");
    std::_Exit(77);
  }
  Scenario s("kmod");
  std::filesystem::path example = std::filesystem::path(CCBISECT_SOURCE_DIR) / "examples" / "kmod";
  std::filesystem::copy(example / "ccbisect.toml", s.dir() / "ccbisect.toml");
  std::filesystem::create_directories(s.dir() / "module");
  for (const auto& entry : std::filesystem::directory_iterator(example / "module")) {
    std::string extension = entry.path().extension().string();
    if (extension == ".c" || extension == ".h" || entry.path().filename() == "Kbuild") {
      std::filesystem::copy(entry.path(), s.dir() / "module" / entry.path().filename());
    }
  }
  auto objects = s.run({"objects", "--json"}, 900);
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  CHECK(objects.json["culprits"] == nlohmann::json::array({"module/kc_set.o"}));
  CHECK(objects.json["unresolved"] == 0);
  CHECK(objects.json["items"] == 8);  // kcache.mod.o, made by every link, is not an item
  CHECK_THAT(objects.output, Catch::Contains("made anew by every link left out (*.mod.o)"));
  // Trial 2 is all-bad: its console, kept in full on disk, shows the module's own diagnosis.
  std::ifstream console(s.dir() / ".ccbisect" / "serial" / "boot-0002.log");
  std::string text((std::istreambuf_iterator<char>(console)), std::istreambuf_iterator<char>());
  CHECK_THAT(text, Catch::Contains("ccbisect-init: insmod kcache"));
  CHECK_THAT(text, Catch::Contains("kmod-selftest: FAIL key skipped backwards"));
  // The reproducer holds the compiles (from the Kbuild capture), the relink and the boot command.
  auto report = s.run({"report", "--format", "md"});
  INFO(report.output);
  CHECK_THAT(report.output, Catch::Contains("compile module/kc_set.o with the bad toolchain"));
  CHECK_THAT(report.output, Catch::Contains("compile module/kc_main.o with the good toolchain"));
  CHECK_THAT(report.output, Catch::Contains("CC=ccbisect-cc"));
  CHECK_THAT(report.output, Catch::Contains("qemu-system-x86_64 -accel"));
  // A second run reuses both captures (Kbuild is not run again) and replays the trials.
  auto again = s.run({"objects", "--json"}, 900);
  INFO(again.output);
  CHECK(again.exit_status == 0);
  CHECK_THAT(again.output, Catch::Contains("both sides recorded earlier with this configuration; reused"));
  CHECK(again.json["culprits"] == objects.json["culprits"]);
}
