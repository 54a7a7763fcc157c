// ccbisect.toml: a plain struct plus one table of option descriptors (config.cpp) that drives
// parsing, validation, defaults and the commented template written by `ccbisect init`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccbisect {

struct ToolchainSide {
  std::string cc;     // replaces argv[0] of C entries
  std::string cxx;    // replaces argv[0] of C++ entries; empty: derived from cc (gcc-12 -> g++-12)
  std::string flags;  // appended to every compile
};

struct Config {
  std::filesystem::path file;         // the TOML file read
  std::filesystem::path project_dir;  // its directory: relative paths and commands start here

  std::string compdb = "compile_commands.json";
  std::string link;
  std::string workdir = ".ccbisect";
  std::string capture = "compdb";  // or "wrapper": objects recorded by `ccbisect capture -- BUILD`
  ToolchainSide good;
  ToolchainSide bad;
  std::string oracle_type = "command";
  std::string oracle_command;
  double oracle_timeout = 60.0;
  std::string oracle_on_timeout = "unresolved";  // or "fail"
  // [oracle] type = "qemu": boot a kernel and read its serial console (oracle/qemu_oracle.hpp).
  std::string oracle_qemu = "qemu-system-x86_64";
  std::string oracle_kernel;          // relative to project_dir
  std::string oracle_initrd;          // a fixed file, or what initrd_command writes
  std::string oracle_initrd_command;  // run before every boot, e.g. packing the freshly linked .ko
  std::string oracle_append = "console=ttyS0";
  std::string oracle_memory = "256M";
  int oracle_smp = 1;
  std::string oracle_accel = "auto";  // "kvm" only if a test boot finishes (probed once), else "tcg"
  std::vector<std::string> oracle_args;
  std::vector<std::string> oracle_pass;  // empty: a clean power-off without a fail line passes
  std::vector<std::string> oracle_fail = {"Kernel panic", "Oops",         "BUG:", "general protection fault",
                                          "Fatal trap",   "kernel BUG at"};
  std::string oracle_on_error = "unresolved";  // QEMU ended without a verdict line: or "fail"
  double link_timeout = 600.0;
  bool parallel_trials = false;  // -j N object trials, each in a copy of the project (slots)

  std::filesystem::path workdir_path() const { return project_dir / workdir; }
  std::filesystem::path compdb_path() const { return project_dir / compdb; }
  std::filesystem::path database_path() const { return workdir_path() / "ccbisect.db"; }
};

// Reads and validates `path`. Throws UserError naming the file and the field, and what to write.
Config load_config(const std::filesystem::path& path);

// The commented template `ccbisect init` writes.
std::string config_template();

// The C++ compiler that goes with a C compiler: gcc-12 -> g++-12, clang-15 -> clang++-15.
std::string cxx_for(const std::string& cc);

}  // namespace ccbisect
