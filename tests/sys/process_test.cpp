// Tests of sys/process.cpp with real processes: exit status, signals, the output tail, the timeout
// that kills the whole process group, stop_when, and the shell-word helpers.
#include <catch2/catch.hpp>

#include <signal.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "sys/process.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {

ProcessResult shell(const std::string& script, double timeout = 10.0) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.timeout_seconds = timeout;
  return run_process(spec);
}

// Running, as opposed to gone or a zombie that nobody has reaped yet (in a container, PID 1 may not).
bool process_alive(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) {
    return false;
  }
  return state != "Z" && state != "X";
}

}  // namespace

TEST_CASE("the exit status, merged output and working directory are reported", "[process]") {
  ProcessResult ok = shell("echo out; echo err >&2; exit 3");
  CHECK(ok.started);
  CHECK_FALSE(ok.timed_out);
  CHECK(ok.exit_status == 3);
  CHECK(ok.output_tail == "out\nerr\n");

  TempDir dir("cwd");
  ProcessResult here =
      run_shell("pwd; echo $CCBISECT_TEST_VAR", dir.path(), 10, {{"CCBISECT_TEST_VAR", "set"}});
  CHECK(here.exit_status == 0);
  CHECK(here.output_tail == std::filesystem::canonical(dir.path()).string() + "\nset\n");
}

TEST_CASE("a process killed by a signal reports 128 + the signal", "[process]") {
  CHECK(shell("kill -SEGV $$").exit_status == 128 + SIGSEGV);
  CHECK(shell("kill -TERM $$").exit_status == 128 + SIGTERM);
}

TEST_CASE("a program that cannot be started is reported, not thrown", "[process]") {
  ProcessSpec spec;
  spec.argv = {"ccbisect-no-such-program-xyz"};
  ProcessResult result;
  REQUIRE_NOTHROW(result = run_process(spec));
  CHECK_FALSE(result.started);
  CHECK_FALSE(result.error.empty());
}

TEST_CASE("only the last tail_bytes of the output are kept; full_log keeps everything", "[process]") {
  TempDir dir("tail");
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "i=0; while [ $i -lt 2000 ]; do echo line$i; i=$((i+1)); done"};
  spec.tail_bytes = 100;
  spec.full_log = dir / "full.log";
  ProcessResult result = run_process(spec);
  CHECK(result.exit_status == 0);
  CHECK(result.output_tail.size() == 100);
  CHECK(result.output_tail.substr(result.output_tail.size() - 9) == "line1999\n");
  std::ifstream log(dir / "full.log");
  std::string first;
  std::getline(log, first);
  CHECK(first == "line0");
  CHECK(std::filesystem::file_size(dir / "full.log") > 10000);
  CHECK(last_lines("a\nb\nc\nd\n", 2) == "c\nd\n");
}

TEST_CASE("a timeout kills the whole process group, grandchildren included", "[process]") {
  TempDir dir("timeout");
  // The grandchild writes its pid and sleeps; a kill of the shell alone would leave it running.
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = shell("sleep 30 & echo $! > " + (dir / "pid").string() + "; wait", 0.5);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(result.timed_out);
  CHECK(seconds < 10);
  int pid = 0;
  std::ifstream(dir / "pid") >> pid;
  REQUIRE(pid > 0);
  for (int i = 0; i < 50 && process_alive(pid); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // reaped by init
  }
  CHECK_FALSE(process_alive(pid));
}

TEST_CASE("stop_when ends the process once the output says enough", "[process]") {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", "echo booting; echo VERDICT pass; sleep 30"};
  spec.timeout_seconds = 20;
  spec.stop_when = [](std::string_view output) { return output.find("VERDICT") != std::string_view::npos; };
  ProcessResult result = run_process(spec);
  CHECK(result.stopped);
  CHECK_FALSE(result.timed_out);
  CHECK(result.seconds < 10);
  CHECK(result.output_tail.find("VERDICT pass") != std::string::npos);
}

TEST_CASE("command lines split and join like a POSIX shell", "[process]") {
  CHECK(split_command_line(R"(gcc -DX="a b" 'c d' e\ f -O2)") ==
        std::vector<std::string>{"gcc", "-DX=a b", "c d", "e f", "-O2"});
  CHECK(split_command_line("  ").empty());
  std::vector<std::string> argv{"cc", "-DNAME=\"x y\"", "plain", "it's"};
  CHECK(split_command_line(shell_join(argv)) == argv);
  CHECK(find_program("sh").has_value());
  CHECK_FALSE(find_program("ccbisect-no-such-program-xyz").has_value());
}
