// ccbisect.toml: a plain struct plus one table of keys (config.cpp) that drives parsing, the
// unknown-key and type errors, the commented template written by `ccbisect init`, and the cache key
// (outcome_key). A key is added in two places: its member here (with its default) and its row there.
#pragma once

#include <array>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "bisector/outcome.hpp"

namespace ccbisect {

// [build] capture: where the objects come from (capture/build_kinds.cpp says how each is captured).
enum class CaptureKind { compdb, wrapper, kbuild };
// [oracle] type: how a mix is judged (oracle/oracle_registry.cpp makes each).
enum class OracleType { command, qemu };
// [oracle] on_timeout, on_error: what a run that ends without a verdict means.
enum class NoVerdict { unresolved, fail };
// [oracle] accel (qemu).
enum class QemuAccel { automatic, kvm, tcg };
// [executor] type: where trials are linked and judged (trials/executors.cpp makes each).
enum class ExecutorType { local, slurm };

// The names written in ccbisect.toml for each value of an enumerated key, in the order the help
// lists them. Specialised once per enum below.
template <typename E>
struct EnumNames;

template <>
struct EnumNames<CaptureKind> {
  static constexpr std::array k_names{std::pair{CaptureKind::compdb, std::string_view{"compdb"}},
                                      std::pair{CaptureKind::wrapper, std::string_view{"wrapper"}},
                                      std::pair{CaptureKind::kbuild, std::string_view{"kbuild"}}};
};
template <>
struct EnumNames<OracleType> {
  static constexpr std::array k_names{std::pair{OracleType::command, std::string_view{"command"}},
                                      std::pair{OracleType::qemu, std::string_view{"qemu"}}};
};
template <>
struct EnumNames<NoVerdict> {
  static constexpr std::array k_names{std::pair{NoVerdict::unresolved, std::string_view{"unresolved"}},
                                      std::pair{NoVerdict::fail, std::string_view{"fail"}}};
};
template <>
struct EnumNames<QemuAccel> {
  static constexpr std::array k_names{std::pair{QemuAccel::automatic, std::string_view{"auto"}},
                                      std::pair{QemuAccel::kvm, std::string_view{"kvm"}},
                                      std::pair{QemuAccel::tcg, std::string_view{"tcg"}}};
};

template <>
struct EnumNames<ExecutorType> {
  static constexpr std::array k_names{std::pair{ExecutorType::local, std::string_view{"local"}},
                                      std::pair{ExecutorType::slurm, std::string_view{"slurm"}}};
};

// The name of `value` as written in ccbisect.toml.
template <typename E>
std::string_view name_of(E value) {
  for (const auto& [candidate, name] : EnumNames<E>::k_names) {
    if (candidate == value) {
      return name;
    }
  }
  return "?";
}

// The allowed names, quoted, for error messages: "\"compdb\" or \"wrapper\"".
template <typename E>
std::string allowed_names() {
  std::string out;
  const auto& names = EnumNames<E>::k_names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += fmt::format("{}\"{}\"", i == 0 ? "" : i + 1 == names.size() ? " or " : ", ", names[i].second);
  }
  return out;
}

// The value named `text`. Throws UserError "<where> must be "a", "b" or "c", not "x"" otherwise;
// `where` names the file and key (or the command-line option) it came from.
template <typename E>
E parse_enum(std::string_view text, const std::string& where) {
  for (const auto& [value, name] : EnumNames<E>::k_names) {
    if (name == text) {
      return value;
    }
  }
  throw UserError(fmt::format("{} must be {}, not \"{}\"", where, allowed_names<E>(), text));
}

// The outcome a run without a verdict is given.
inline Outcome outcome_of(NoVerdict policy) {
  return policy == NoVerdict::fail ? Outcome::fail : Outcome::unresolved;
}

struct ToolchainSide {
  std::string cc;     // replaces argv[0] of C entries
  std::string cxx;    // replaces argv[0] of C++ entries; empty: derived from cc (gcc-12 -> g++-12)
  std::string flags;  // appended to every compile
};

// [oracle] keys of type = "qemu": boot a kernel and read its serial console (oracle/qemu_oracle.hpp).
struct QemuConfig {
  std::string program = "qemu-system-x86_64";  // the key `qemu`
  std::string kernel;  // relative to project_dir; "build": the bzImage the trial linked (kbuild)
  std::vector<std::string> modules;  // packed by ccbisect into a busybox initramfs
  std::string initrd;                // a fixed file, or what initrd_command writes
  std::string initrd_command;        // run before every boot, e.g. packing the freshly linked .ko
  std::string append = "console=ttyS0";
  std::string memory = "256M";
  int smp = 1;
  QemuAccel accel = QemuAccel::automatic;  // KVM only if a test boot finishes (probed once), else TCG
  std::vector<std::string> args;
  std::vector<std::string> pass;  // empty: a clean power-off without a fail line passes
  std::vector<std::string> fail = {"Kernel panic", "Oops",         "BUG:", "general protection fault",
                                   "Fatal trap",   "kernel BUG at"};
  NoVerdict on_error = NoVerdict::unresolved;  // QEMU ended without a verdict line
};

// [oracle]: the keys every type shares, then each type's own.
struct OracleConfig {
  OracleType type = OracleType::command;
  std::string command;  // type = "command"
  double timeout = 60.0;
  NoVerdict on_timeout = NoVerdict::unresolved;
  int repeat = 1;  // asks of each new configuration (majority); the engine's noise policy re-asks anyway
  QemuConfig qemu;
};

// [executor]: where trials run (bisector/executor.hpp). None of it changes what a trial answers.
struct ExecutorConfig {
  ExecutorType type = ExecutorType::local;
  std::string partition;                  // slurm: srun --partition; empty: the cluster's default
  int jobs = 0;                           // slurm: trials at once (J); 0: as many as -j
  std::vector<std::string> srun_options;  // slurm: extra srun words, e.g. ["--time=10", "--mem=2G"]
  std::string shared_dir;  // slurm: seen by every node; trial slots go there. Default: the workdir
  std::string program;     // slurm: the ccbisect the nodes run; default: this one
};

struct Config {
  std::filesystem::path file;         // the TOML file read
  std::filesystem::path project_dir;  // its directory: relative paths and commands start here

  std::string compdb = "compile_commands.json";
  std::string link;
  std::string workdir = ".ccbisect";
  CaptureKind capture = CaptureKind::compdb;
  // capture = "kbuild" (capture/kbuild.hpp): the kernel tree, the module directory (M=) if the
  // items are a module's, and extra words for every make line (LLVM=1, CONFIG_...=).
  std::string kdir;
  std::string module;
  std::string make_args;
  // Words the compiler wrapper leaves out of every compile of both sides (an option the kernel's
  // configuration carries that one side's compiler rejects).
  std::vector<std::string> drop_flags;
  double link_timeout = 600.0;
  bool parallel_trials = false;  // -j N object trials, each in a copy of the project (slots)
  ToolchainSide good;
  ToolchainSide bad;
  OracleConfig oracle;
  ExecutorConfig executor;

  std::filesystem::path workdir_path() const { return project_dir / workdir; }
  // [executor] shared_dir, absolute; the workdir when not set.
  std::filesystem::path shared_path() const {
    return executor.shared_dir.empty() ? workdir_path() : project_dir / executor.shared_dir;
  }
  std::filesystem::path compdb_path() const { return project_dir / compdb; }
  std::filesystem::path database_path() const { return workdir_path() / "ccbisect.db"; }
};

// The longest timeout accepted, in seconds (a week): anything longer is a typo, and would overflow
// the deadlines computed from it.
inline constexpr double k_max_timeout_seconds = 7 * 24 * 3600.0;

// Reads and validates `path`. Throws UserError naming the file, the section and the key, and what
// to write instead.
Config load_config(const std::filesystem::path& path);

// The commented template `ccbisect init` writes: every key, with its help; the keys that must be
// filled in are active, the others commented out. Loading it as written succeeds.
// `examples` replaces the table's example value of a key ("good.cc" -> "\"gcc-12\""): `init` writes
// the toolchains that are installed.
std::string config_template(const std::map<std::string, std::string>& examples = {});

// Every key that can change a trial's outcome, serialised (JSON, keys sorted) with the file's
// path: the trial cache key is made from this, so changing any of them (a compiler, the kernel
// to boot, the regexes that judge it) never replays an old verdict. Keys that cannot change an
// outcome (parallel_trials) are left out so that changing them keeps the cache.
std::string outcome_key(const Config& config);

// What the table says of one key, for tests and documentation.
struct ConfigKeyInfo {
  std::string_view section;
  std::string_view name;
  bool required;
  bool changes_outcome;  // serialised into outcome_key
  std::optional<OracleType> only_for;
};

// Every key ccbisect.toml accepts, in the template's order.
std::vector<ConfigKeyInfo> config_keys();

// The C++ compiler that goes with a C compiler: gcc-12 -> g++-12, clang-15 -> clang++-15.
std::string cxx_for(const std::string& cc);

}  // namespace ccbisect
