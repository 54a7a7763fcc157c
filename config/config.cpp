// Parsing ccbisect.toml with toml11 from one table of keys (ccache's ConfigItem table is the model).
// Each row says where a key lives (section, name, the Config member it fills), whether it must be
// given, whether it can change a trial's outcome, an example and its help. Parsing, the unknown-key
// and type errors, `ccbisect init`'s template and the cache key are all loops over that table, so
// they cannot disagree. Defaults are the member initializers in config.hpp.
#include "config/config.hpp"

#include <cmath>
#include <optional>
#include <variant>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <toml.hpp>

#include "bisector/errors.hpp"

namespace ccbisect {
namespace {

// Where a key's value goes: a function from a Config to one of its members. The member's type is
// the key's type (double keys are timeouts in seconds).
template <typename T>
using Member = T* (*)(Config&);
using Field = std::variant<Member<std::string>, Member<double>, Member<int>, Member<bool>,
                           Member<std::vector<std::string>>, Member<CaptureKind>, Member<OracleType>,
                           Member<NoVerdict>, Member<QemuAccel>, Member<ExecutorType>>;

// A captureless lambda turned into a Member of the right type. (`path` is a member path, which
// parentheses would break.)
// NOLINTNEXTLINE(bugprone-macro-parentheses)
#define CCBISECT_MEMBER(path) +[](Config& config) { return &config.path; }

enum Need { optional, required };
// Whether a key can change what a trial answers, and so belongs in the trial cache key. Keys added
// after the key's first version are `outcome_if_set`: in the key only when given, so that trials
// recorded before they existed are still found.
enum Effect { outcome, no_outcome, outcome_if_set };

struct Key {
  const char* section;
  const char* name;
  Field field;
  Need need;
  Effect effect;
  const char* example;  // as written in the template
  const char* help;
  // Set for the keys of one [oracle] type: required (if `need` says so) and accepted only with it.
  std::optional<OracleType> only_for = std::nullopt;
};

// [build] keys come first, then the sides, then the oracle; the template keeps this order.
const std::vector<Key>& keys() {
  using enum OracleType;
  static const std::vector<Key> table = {
      {"build", "compdb", CCBISECT_MEMBER(compdb), optional, outcome, R"("compile_commands.json")",
       "the translation units; relative to this file"},
      {"build", "link", CCBISECT_MEMBER(link), required, outcome, R"("make prog")",
       "run in this directory after the objects are placed; rebuilds the artifact (kbuild: made by "
       "ccbisect)"},
      // The objects and the database live here, and with parallel_trials the trial copies too: a
      // build that records its path could answer differently.
      {"build", "workdir", CCBISECT_MEMBER(workdir), optional, outcome, R"(".ccbisect")",
       "object store + database"},
      {"build", "capture", CCBISECT_MEMBER(capture), optional, outcome, R"("compdb")",
       "where objects come from: \"compdb\" (compile each entry), \"wrapper\" (ccbisect capture) or "
       "\"kbuild\" (ccbisect runs Kbuild itself)"},
      {"build", "kdir", CCBISECT_MEMBER(kdir), optional, outcome_if_set,
       R"("/lib/modules/6.1.0-28-amd64/build")",
       "kbuild: the kernel tree (default: the newest installed headers that have a /boot image)"},
      {"build", "module", CCBISECT_MEMBER(module), optional, outcome_if_set, R"("module")",
       "kbuild: the module's directory (make M=); none: the kernel itself is searched"},
      {"build", "make_args", CCBISECT_MEMBER(make_args), optional, outcome_if_set, R"("LLVM=1")",
       "kbuild: extra words for every make line"},
      {"build", "drop_flags", CCBISECT_MEMBER(drop_flags), optional, outcome_if_set,
       R"(["-ftrivial-auto-var-init=zero"])",
       "wrapper, kbuild: options left out of every compile of both sides (one compiler rejects them)"},
      // Only how many trials run at once: the help asks for a build that works wherever the tree is.
      {"build", "parallel_trials", CCBISECT_MEMBER(parallel_trials), optional, no_outcome, "false",
       "with -j N, run N object trials at once, each in a copy of this directory under the workdir "
       "(needs a build and an oracle that work wherever the tree is)"},
      {"build", "link_timeout", CCBISECT_MEMBER(link_timeout), optional, outcome, "600",
       "seconds; a link that takes longer is unresolved"},
      {"good", "cc", CCBISECT_MEMBER(good.cc), required, outcome, R"("gcc-12")",
       "replaces argv[0] of C entries"},
      {"good", "cxx", CCBISECT_MEMBER(good.cxx), optional, outcome, R"("g++-12")",
       "for C++ entries; default derived from cc"},
      {"good", "flags", CCBISECT_MEMBER(good.flags), optional, outcome, R"("")",
       "appended to every compile, e.g. \"-O1\""},
      {"bad", "cc", CCBISECT_MEMBER(bad.cc), required, outcome, R"("gcc-11")",
       "the toolchain that makes the program fail"},
      {"bad", "cxx", CCBISECT_MEMBER(bad.cxx), optional, outcome, R"("g++-11")",
       "for C++ entries; default derived from cc"},
      {"bad", "flags", CCBISECT_MEMBER(bad.flags), optional, outcome, R"("")",
       "appended to every compile, e.g. \"-O2\""},
      {"oracle", "type", CCBISECT_MEMBER(oracle.type), optional, outcome, R"("command")",
       "how a mix is judged: \"command\" (exit status) or \"qemu\" (boot a kernel, read its console)"},
      {"oracle", "command", CCBISECT_MEMBER(oracle.command), required, outcome, R"("./test.sh")",
       "exit 0 pass, 125 unresolved (git bisect run convention), other non-zero fail", command},
      {"oracle", "timeout", CCBISECT_MEMBER(oracle.timeout), optional, outcome, "60",
       "seconds; on timeout the whole process group is killed"},
      {"oracle", "on_timeout", CCBISECT_MEMBER(oracle.on_timeout), optional, outcome, R"("unresolved")",
       "what a timeout means: \"unresolved\" or \"fail\""},
      // How often each configuration is asked changes no single answer, so it stays out of the key:
      // the extra asks are further trials of the same configuration.
      {"oracle", "repeat", CCBISECT_MEMBER(oracle.repeat), optional, no_outcome, "1",
       "asks of each new mix, majority wins (for a noisy oracle; ccbisect oracle-check measures it). "
       "Contradicted answers are asked again whatever this says"},
      {"oracle", "qemu", CCBISECT_MEMBER(oracle.qemu.program), optional, outcome, R"("qemu-system-x86_64")",
       "qemu: the emulator", qemu},
      {"oracle", "kernel", CCBISECT_MEMBER(oracle.qemu.kernel), required, outcome, R"("vmlinuz")",
       "qemu: the kernel image to boot", qemu},
      {"oracle", "modules", CCBISECT_MEMBER(oracle.qemu.modules), optional, outcome_if_set, R"(["m.ko"])",
       "qemu: modules ccbisect packs into a busybox initramfs that loads them and powers off", qemu},
      {"oracle", "initrd", CCBISECT_MEMBER(oracle.qemu.initrd), optional, outcome, R"("initramfs.cpio.gz")",
       "qemu: the initramfs (a fixed file, or what initrd_command writes); none and no root= in append: "
       "ccbisect's busybox one",
       qemu},
      {"oracle", "initrd_command", CCBISECT_MEMBER(oracle.qemu.initrd_command), optional, outcome,
       R"("./make_initramfs.sh initramfs.cpio.gz m.ko")",
       "qemu: run before every boot, e.g. to pack the freshly linked module", qemu},
      {"oracle", "append", CCBISECT_MEMBER(oracle.qemu.append), optional, outcome, R"("console=ttyS0")",
       "qemu: kernel command line (panic=-1 is always added)", qemu},
      {"oracle", "memory", CCBISECT_MEMBER(oracle.qemu.memory), optional, outcome, R"("256M")", "qemu: -m",
       qemu},
      {"oracle", "smp", CCBISECT_MEMBER(oracle.qemu.smp), optional, outcome, "1", "qemu: -smp", qemu},
      {"oracle", "accel", CCBISECT_MEMBER(oracle.qemu.accel), optional, outcome, R"("auto")",
       "qemu: \"auto\" (KVM if a test boot finishes, else TCG), \"kvm\" or \"tcg\"", qemu},
      {"oracle", "args", CCBISECT_MEMBER(oracle.qemu.args), optional, outcome, R"(["-nic", "none"])",
       "qemu: extra arguments", qemu},
      {"oracle", "pass", CCBISECT_MEMBER(oracle.qemu.pass), optional, outcome, R"(["selftest: PASS"])",
       "qemu: console regexes that mean pass; none: a power-off without a fail line passes", qemu},
      {"oracle", "fail", CCBISECT_MEMBER(oracle.qemu.fail), optional, outcome,
       R"(["Kernel panic", "Oops", "BUG:", "general protection fault", "Fatal trap", "kernel BUG at"])",
       "qemu: console regexes that mean fail (replace these defaults)", qemu},
      {"oracle", "on_error", CCBISECT_MEMBER(oracle.qemu.on_error), optional, outcome, R"("unresolved")",
       "qemu: what a boot that ends without a verdict line means: \"unresolved\" or \"fail\"", qemu},
      // Where a trial runs is not what it answers: the node runs the same link and oracle.
      {"executor", "type", CCBISECT_MEMBER(executor.type), optional, no_outcome, R"("local")",
       "where trials are linked and judged: \"local\" (this machine) or \"slurm\" (one srun job per trial)"},
      {"executor", "partition", CCBISECT_MEMBER(executor.partition), optional, no_outcome, R"("debug")",
       "slurm: the partition (srun --partition); default: the cluster's default"},
      {"executor", "jobs", CCBISECT_MEMBER(executor.jobs), optional, no_outcome, "2",
       "slurm: trials in flight at once (J); default: -j"},
      {"executor", "srun_options", CCBISECT_MEMBER(executor.srun_options), optional, no_outcome,
       R"(["--time=30", "--mem=2G"])", "slurm: extra words for every srun"},
      {"executor", "shared_dir", CCBISECT_MEMBER(executor.shared_dir), optional, no_outcome,
       R"("/shared/ccbisect")",
       "slurm: a directory every node sees, for the trial slots (copies of this directory); default: the "
       "workdir"},
      {"executor", "program", CCBISECT_MEMBER(executor.program), optional, no_outcome,
       R"("/shared/bin/ccbisect")", "slurm: the ccbisect the nodes run (same version); default: this one"},
  };
  return table;
}

#undef CCBISECT_MEMBER

// `value` as the member type T; `where` is "<file>: [section] key" for the error messages.
template <typename T>
T parse_value(const toml::value& value, const Key& key, const std::string& where) {
  if constexpr (std::is_same_v<T, std::string>) {
    if (!value.is_string()) {
      throw UserError(fmt::format("{} must be a string, e.g. {}", where, key.example));
    }
    return value.as_string();
  } else if constexpr (std::is_same_v<T, double>) {
    double seconds = 0.0;
    if (value.is_integer()) {
      seconds = static_cast<double>(value.as_integer());
    } else if (value.is_floating()) {
      seconds = value.as_floating();
    } else {
      throw UserError(fmt::format("{} must be a number of seconds, e.g. {}", where, key.example));
    }
    // `!(x > 0)` also catches nan.
    if (!(seconds > 0) || !std::isfinite(seconds) || seconds > k_max_timeout_seconds) {
      throw UserError(fmt::format("{} must be a positive number of seconds, at most {} (a week), e.g. {}",
                                  where, k_max_timeout_seconds, key.example));
    }
    return seconds;
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!value.is_boolean()) {
      throw UserError(fmt::format("{} must be true or false, e.g. {}", where, key.example));
    }
    return value.as_boolean();
  } else if constexpr (std::is_same_v<T, int>) {
    if (!value.is_integer() || value.as_integer() <= 0 || value.as_integer() > 1024) {
      throw UserError(
          fmt::format("{} must be a positive integer (at most 1024), e.g. {}", where, key.example));
    }
    return static_cast<int>(value.as_integer());
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    std::vector<std::string> words;
    bool strings = value.is_array();
    for (std::size_t i = 0; strings && i < value.as_array().size(); ++i) {
      strings = value.as_array()[i].is_string();
      if (strings) {
        words.push_back(value.as_array()[i].as_string());
      }
    }
    if (!strings) {
      throw UserError(fmt::format("{} must be a list of strings, e.g. {}", where, key.example));
    }
    return words;
  } else {
    if (!value.is_string()) {
      throw UserError(fmt::format("{} must be {} (a quoted string)", where, allowed_names<T>()));
    }
    return parse_enum<T>(value.as_string().str, where);
  }
}

// The member's value as JSON: enums by their name in the file.
template <typename T>
nlohmann::json json_value(const T& value) {
  if constexpr (std::is_enum_v<T>) {
    return std::string(name_of(value));
  } else {
    return value;
  }
}

std::string known_keys(std::string_view section) {
  std::string known;
  for (const Key& key : keys()) {
    if (section == key.section) {
      known += fmt::format("{}{}", known.empty() ? "" : ", ", key.name);
    }
  }
  return known;
}

[[noreturn]] void unknown_key(const std::filesystem::path& path, const std::string& section,
                              const std::string& name) {
  std::string homes;
  for (const Key& key : keys()) {
    if (name == key.name && homes.find(key.section) == std::string::npos) {
      homes += fmt::format("{}[{}]", homes.empty() ? "" : " or ", key.section);
    }
  }
  if (!homes.empty()) {
    throw UserError(fmt::format("{}: unknown key {} in [{}]; it belongs in {}: move it there", path.string(),
                                name, section, homes));
  }
  throw UserError(fmt::format("{}: unknown key {} in [{}]; check its spelling or remove it (known keys: {})",
                              path.string(), name, section, known_keys(section)));
}

void check_sections(const std::filesystem::path& path, const toml::value& root) {
  for (const auto& [section, table] : root.as_table()) {
    bool known_section = false;
    for (const Key& key : keys()) {
      known_section = known_section || section == key.section;
    }
    if (!known_section || !table.is_table()) {
      throw UserError(
          fmt::format("{}: unknown section [{}]; known sections are [build], [good], "
                      "[bad], [oracle] and [executor]",
                      path.string(), section));
    }
    for (const auto& [name, value] : table.as_table()) {
      bool known_key = false;
      for (const Key& key : keys()) {
        known_key = known_key || (section == key.section && name == key.name);
      }
      if (!known_key) {
        unknown_key(path, section, name);
      }
    }
  }
}

// Missing required keys, and keys given for another oracle type than the file's.
void check_presence(const std::filesystem::path& path, const toml::value& root, const Config& config) {
  for (const Key& key : keys()) {
    bool present = root.contains(key.section) && root.at(key.section).contains(key.name);
    if (key.only_for && *key.only_for != config.oracle.type) {
      if (present) {
        throw UserError(
            fmt::format("{}: [oracle] {} applies only to type = \"{}\" (this file has type = \"{}\"); "
                        "remove it or change the type",
                        path.string(), key.name, name_of(*key.only_for), name_of(config.oracle.type)));
      }
      continue;
    }
    // Kbuild's link is the make line ccbisect runs, and its kernel can be the one it builds.
    bool made_by_kbuild =
        config.capture == CaptureKind::kbuild &&
        ((std::string_view(key.section) == "build" && std::string_view(key.name) == "link") ||
         std::string_view(key.name) == "kernel");
    if (key.need == required && !present && !made_by_kbuild) {
      throw UserError(fmt::format("{}: missing [{}] {} ({}); for example: {} = {}", path.string(),
                                  key.section, key.name, key.help, key.name, key.example));
    }
  }
}

}  // namespace

std::string cxx_for(const std::string& cc) {
  std::string name = cc;
  for (auto [from, to] : {std::pair{"clang", "clang++"}, std::pair{"gcc", "g++"}}) {
    std::size_t at = name.rfind(from);
    if (at != std::string::npos && name.compare(at, std::string(to).size(), to) != 0) {
      return name.replace(at, std::string(from).size(), to);
    }
  }
  if (name == "cc") {
    return "c++";
  }
  return name;
}

Config load_config(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) {
    throw UserError(
        fmt::format("{}: no such configuration file; run `ccbisect init` to write a "
                    "commented template, or pass --config FILE",
                    path.string()));
  }
  toml::value root;
  try {
    root = toml::parse(path.string());
  } catch (const std::exception& e) {
    throw UserError(fmt::format("{}: not valid TOML: {}", path.string(), e.what()));
  }
  if (!root.is_table()) {
    throw UserError(fmt::format("{}: expected TOML tables [build], [good], [bad], [oracle]", path.string()));
  }
  check_sections(path, root);

  Config config;
  config.file = std::filesystem::absolute(path).lexically_normal();
  config.project_dir = config.file.parent_path();
  for (const Key& key : keys()) {
    if (!root.contains(key.section) || !root.at(key.section).contains(key.name)) {
      continue;
    }
    const toml::value& value = root.at(key.section).at(key.name);
    std::string where = fmt::format("{}: [{}] {}", path.string(), key.section, key.name);
    std::visit(
        [&](auto member) {
          using T = std::remove_pointer_t<decltype(member(config))>;
          *member(config) = parse_value<T>(value, key, where);
        },
        key.field);
  }
  check_presence(path, root, config);
  for (ToolchainSide* side : {&config.good, &config.bad}) {
    if (side->cxx.empty()) {
      side->cxx = cxx_for(side->cc);
    }
  }
  return config;
}

std::string config_template(const std::map<std::string, std::string>& examples) {
  std::string out =
      "# ccbisect configuration. Paths are relative to this file; commands run in its directory.\n";
  std::string section;
  OracleType default_type = Config{}.oracle.type;
  for (const Key& key : keys()) {
    if (section != key.section) {
      section = key.section;
      out += fmt::format("\n[{}]\n", section);
    }
    auto example = examples.find(std::string(key.section) + "." + std::string(key.name));
    std::string line = fmt::format("{} = {}", key.name,
                                   example != examples.end() ? example->second : std::string(key.example));
    // A key required only by another oracle type than the default one is written commented out.
    bool active = key.need == required && (!key.only_for || *key.only_for == default_type);
    std::string note = key.need != required ? ""
                       : !key.only_for
                           ? " (required)"
                           : fmt::format(" (required with type = \"{}\")", name_of(*key.only_for));
    out += fmt::format("{}{:<40} # {}{}\n", active ? "" : "# ", line, key.help, note);
  }
  return out;
}

std::vector<ConfigKeyInfo> config_keys() {
  std::vector<ConfigKeyInfo> out;
  for (const Key& key : keys()) {
    out.push_back({key.section, key.name, key.need == required, key.effect != no_outcome, key.only_for});
  }
  return out;
}

std::string outcome_key(const Config& config) {
  // [build] keys sit at the top level and the others under their section, as in the first version
  // of this key, so that trials recorded before the table existed are still found.
  nlohmann::json out = {{"file", config.file.string()}};
  // Only read: a Member takes a mutable Config because parsing writes through the same table.
  Config& readable = const_cast<Config&>(config);
  for (const Key& key : keys()) {
    if (key.effect == no_outcome) {
      continue;
    }
    nlohmann::json value;
    std::visit([&](auto member) { value = json_value(*member(readable)); }, key.field);
    bool unset =
        (value.is_string() && value.get<std::string>().empty()) || (value.is_array() && value.empty());
    if (key.effect == outcome_if_set && unset) {
      continue;
    }
    nlohmann::json& slot =
        std::string_view(key.section) == "build" ? out[key.name] : out[key.section][key.name];
    slot = value;
  }
  return out.dump();
}

}  // namespace ccbisect
