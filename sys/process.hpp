// Running other programs: the only code in ccbisect that spawns a process (STYLE.md).
//
// Every child runs in its own process group with stdin from /dev/null and stdout+stderr merged into
// one pipe. On timeout, or when `stop_when` matches the output so far, the whole group is killed
// (SIGKILL), so a hanging test script cannot leave grandchildren behind.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ccbisect {

// A directory shown at another path: `source` bind-mounted (with what is mounted below it) over
// `target`, in a mount namespace private to one process and its children.
struct BindMount {
  std::filesystem::path source;
  std::filesystem::path target;
};

struct ProcessSpec {
  std::vector<std::string> argv;                   // argv[0] is looked up in PATH if it has no '/'
  std::filesystem::path cwd;                       // empty: the current directory
  std::map<std::string, std::string> environment;  // added to (or replacing in) the inherited one
  double timeout_seconds = 0.0;                    // 0: no limit
  std::size_t tail_bytes = 16 * 1024;              // how much of the end of the output to keep
  std::optional<std::filesystem::path> full_log;   // if set, all output is also written here
  // Called with the output read so far; returning true stops the process (e.g. a verdict line).
  std::function<bool(std::string_view)> stop_when;
  // If any: the process runs in a private mount namespace (needs CAP_SYS_ADMIN) where these are
  // mounted in order, and `cwd` is entered after them, so it is seen through the mounts. A tree
  // copied elsewhere can then be built at the absolute paths its build recorded (Kbuild's).
  std::vector<BindMount> mounts;
  // Not killed by Ctrl-C / SIGTERM, and may start after one: for the short clean-up a command does
  // on its way out (e.g. `scancel` of the cluster jobs whose `srun` the interrupt killed).
  bool outlives_interrupt = false;
};

struct ProcessResult {
  bool started = false;      // false: the program could not be run (see `error`)
  bool timed_out = false;    // killed because the time limit passed
  bool stopped = false;      // killed because stop_when matched
  bool interrupted = false;  // ccbisect got SIGINT/SIGTERM while this ran (sys/interrupt.hpp)
  int exit_status = -1;      // exit code; 128 + signal when killed by a signal
  int signal = 0;            // the signal that ended the process itself (not one of its children), or 0
  std::string output_tail;   // the last `tail_bytes` of stdout+stderr
  double seconds = 0.0;
  std::string error;  // why it could not be started
};

// Runs the process to completion (or timeout). Never throws for the child's behaviour.
ProcessResult run_process(const ProcessSpec& spec);

// Runs argv with this process's stdin/stdout/stderr (for a compiler wrapper that must be
// transparent); returns the exit status, 127 if it could not start.
int run_inheriting(const std::vector<std::string>& argv);

// Replaces this process with argv (execvp); returns only on failure, with the error text.
std::string exec_replacing(const std::vector<std::string>& argv);

// Runs `command` with /bin/sh -c in `cwd`, with `environment` added to the inherited one.
ProcessResult run_shell(const std::string& command, const std::filesystem::path& cwd,
                        double timeout_seconds = 0.0,
                        const std::map<std::string, std::string>& environment = {});

// Splits a command line the way a POSIX shell would split words (quotes and backslashes; no
// expansion). Used for compile_commands.json `command` strings and `flags` settings.
std::vector<std::string> split_command_line(std::string_view text);

// argv as one shell command line, each word quoted where the shell would need it.
std::string shell_join(const std::vector<std::string>& argv);

// The full path of `program` found in PATH, or nothing.
std::optional<std::filesystem::path> find_program(const std::string& program);

// The last `lines` lines of `text`.
std::string last_lines(const std::string& text, std::size_t lines);

}  // namespace ccbisect
