// Parsing ccbisect.toml with toml11 from one descriptor table, so that the keys, their help text,
// the template and the unknown-key check can never disagree.
#include "config/config.hpp"

#include <variant>
#include <vector>

#include <fmt/format.h>
#include <toml.hpp>

#include "bisector/errors.hpp"

namespace ccbisect {
namespace {

using Field = std::variant<std::string Config::*, double Config::*, std::string ToolchainSide::*,
                           int Config::*, std::vector<std::string> Config::*, bool Config::*>;

struct OptionDescriptor {
  const char* section;
  const char* key;
  Field field;
  bool required;
  const char* example;  // as written in the template
  const char* help;
  // Set for keys of one [oracle] type only: required (if `required`) and accepted only with that type.
  const char* oracle_type = nullptr;
};

const std::vector<OptionDescriptor>& options() {
  static const std::vector<OptionDescriptor> table = {
      {"build", "compdb", &Config::compdb, false, R"("compile_commands.json")",
       "the translation units; relative to this file"},
      {"build", "link", &Config::link, true, R"("make prog")",
       "run in this directory after the objects are placed; rebuilds the artifact"},
      {"build", "workdir", &Config::workdir, false, R"(".ccbisect")", "object store + database"},
      {"build", "capture", &Config::capture, false, R"("compdb")",
       "where objects come from: \"compdb\" (compile each entry) or \"wrapper\" (ccbisect capture)"},
      {"build", "parallel_trials", &Config::parallel_trials, false, "false",
       "with -j N, run N object trials at once, each in a copy of this directory under the workdir "
       "(needs a build and an oracle that work wherever the tree is)"},
      {"build", "link_timeout", &Config::link_timeout, false, "600",
       "seconds; a link that takes longer is unresolved"},
      {"good", "cc", &ToolchainSide::cc, true, R"("gcc-12")", "replaces argv[0] of C entries"},
      {"good", "cxx", &ToolchainSide::cxx, false, R"("g++-12")", "for C++ entries; default derived from cc"},
      {"good", "flags", &ToolchainSide::flags, false, R"("")", "appended to every compile, e.g. \"-O1\""},
      {"bad", "cc", &ToolchainSide::cc, true, R"("gcc-11")", "the toolchain that makes the program fail"},
      {"bad", "cxx", &ToolchainSide::cxx, false, R"("g++-11")", "for C++ entries; default derived from cc"},
      {"bad", "flags", &ToolchainSide::flags, false, R"("")", "appended to every compile, e.g. \"-O2\""},
      {"oracle", "type", &Config::oracle_type, false, R"("command")",
       "how a mix is judged: \"command\" (exit status) or \"qemu\" (boot a kernel, read its console)"},
      {"oracle", "command", &Config::oracle_command, true, R"("./test.sh")",
       "exit 0 pass, 125 unresolved (git bisect run convention), other non-zero fail", "command"},
      {"oracle", "timeout", &Config::oracle_timeout, false, "60",
       "seconds; on timeout the whole process group is killed"},
      {"oracle", "on_timeout", &Config::oracle_on_timeout, false, R"("unresolved")",
       "what a timeout means: \"unresolved\" or \"fail\""},
      {"oracle", "qemu", &Config::oracle_qemu, false, R"("qemu-system-x86_64")", "qemu: the emulator",
       "qemu"},
      {"oracle", "kernel", &Config::oracle_kernel, true, R"("vmlinuz")", "qemu: the kernel image to boot",
       "qemu"},
      {"oracle", "initrd", &Config::oracle_initrd, false, R"("initramfs.cpio.gz")",
       "qemu: the initramfs (a fixed file, or what initrd_command writes)", "qemu"},
      {"oracle", "initrd_command", &Config::oracle_initrd_command, false,
       R"("./make_initramfs.sh initramfs.cpio.gz m.ko")",
       "qemu: run before every boot, e.g. to pack the freshly linked module", "qemu"},
      {"oracle", "append", &Config::oracle_append, false, R"("console=ttyS0")",
       "qemu: kernel command line (panic=-1 is always added)", "qemu"},
      {"oracle", "memory", &Config::oracle_memory, false, R"("256M")", "qemu: -m", "qemu"},
      {"oracle", "smp", &Config::oracle_smp, false, "1", "qemu: -smp", "qemu"},
      {"oracle", "accel", &Config::oracle_accel, false, R"("auto")",
       "qemu: \"auto\" (KVM if a test boot finishes, else TCG), \"kvm\" or \"tcg\"", "qemu"},
      {"oracle", "args", &Config::oracle_args, false, R"(["-nic", "none"])", "qemu: extra arguments", "qemu"},
      {"oracle", "pass", &Config::oracle_pass, false, R"(["selftest: PASS"])",
       "qemu: console regexes that mean pass; none: a power-off without a fail line passes", "qemu"},
      {"oracle", "fail", &Config::oracle_fail, false,
       R"(["Kernel panic", "Oops", "BUG:", "general protection fault", "Fatal trap", "kernel BUG at"])",
       "qemu: console regexes that mean fail (replace these defaults)", "qemu"},
      {"oracle", "on_error", &Config::oracle_on_error, false, R"("unresolved")",
       "qemu: what a boot that ends without a verdict line means: \"unresolved\" or \"fail\"", "qemu"},
  };
  return table;
}

ToolchainSide& side_of(Config& config, std::string_view section) {
  return section == "good" ? config.good : config.bad;
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
  Config config;
  config.file = std::filesystem::absolute(path).lexically_normal();
  config.project_dir = config.file.parent_path();

  if (!root.is_table()) {
    throw UserError(fmt::format("{}: expected TOML tables [build], [good], [bad], [oracle]", path.string()));
  }
  for (const auto& [section, table] : root.as_table()) {
    bool known_section = false;
    for (const auto& option : options()) {
      known_section = known_section || section == option.section;
    }
    if (!known_section || !table.is_table()) {
      throw UserError(
          fmt::format("{}: unknown section [{}]; known sections are [build], [good], "
                      "[bad] and [oracle]",
                      path.string(), section));
    }
    for (const auto& [key, value] : table.as_table()) {
      const OptionDescriptor* found = nullptr;
      for (const auto& option : options()) {
        if (section == option.section && key == option.key) {
          found = &option;
        }
      }
      if (found == nullptr) {
        std::string known;
        for (const auto& option : options()) {
          if (section == option.section) {
            known += fmt::format("{}{}", known.empty() ? "" : ", ", option.key);
          }
        }
        throw UserError(
            fmt::format("{}: unknown key {} in [{}]; known keys: {}", path.string(), key, section, known));
      }
      std::string where = fmt::format("{}: [{}] {}", path.string(), section, key);
      if (auto text = std::get_if<std::string Config::*>(&found->field)) {
        if (!value.is_string()) {
          throw UserError(where + " must be a string, e.g. " + found->example);
        }
        config.*(*text) = value.as_string();
      } else if (auto number = std::get_if<double Config::*>(&found->field)) {
        if (value.is_integer()) {
          config.*(*number) = static_cast<double>(value.as_integer());
        } else if (value.is_floating()) {
          config.*(*number) = value.as_floating();
        } else {
          throw UserError(where + " must be a number of seconds, e.g. " + found->example);
        }
        if (config.*(*number) <= 0) {
          throw UserError(where + " must be positive");
        }
      } else if (auto flag = std::get_if<bool Config::*>(&found->field)) {
        if (!value.is_boolean()) {
          throw UserError(where + " must be true or false, e.g. " + found->example);
        }
        config.*(*flag) = value.as_boolean();
      } else if (auto integer = std::get_if<int Config::*>(&found->field)) {
        if (!value.is_integer() || value.as_integer() <= 0 || value.as_integer() > 1024) {
          throw UserError(where + " must be a positive integer, e.g. " + found->example);
        }
        config.*(*integer) = static_cast<int>(value.as_integer());
      } else if (auto list = std::get_if<std::vector<std::string> Config::*>(&found->field)) {
        std::vector<std::string> words;
        bool strings = value.is_array();
        for (std::size_t i = 0; strings && i < value.as_array().size(); ++i) {
          strings = value.as_array()[i].is_string();
          if (strings) {
            words.push_back(value.as_array()[i].as_string());
          }
        }
        if (!strings) {
          throw UserError(where + " must be a list of strings, e.g. " + found->example);
        }
        config.*(*list) = words;
      } else {
        if (!value.is_string()) {
          throw UserError(where + " must be a string, e.g. " + found->example);
        }
        side_of(config, section).*std::get<std::string ToolchainSide::*>(found->field) = value.as_string();
      }
    }
  }
  // An unknown type is left to make_oracle, which names the known ones.
  bool known_type = false;
  for (const auto& option : options()) {
    known_type = known_type || (option.oracle_type != nullptr && config.oracle_type == option.oracle_type);
  }
  for (const auto& option : options()) {
    bool present = root.contains(option.section) && root.at(option.section).contains(option.key);
    if (option.oracle_type != nullptr && config.oracle_type != option.oracle_type) {
      if (present && known_type) {
        throw UserError(
            fmt::format("{}: [oracle] {} applies only to type = \"{}\" (this file has type = \"{}\")",
                        path.string(), option.key, option.oracle_type, config.oracle_type));
      }
      continue;
    }
    if (!option.required) {
      continue;
    }
    if (!present) {
      throw UserError(fmt::format("{}: missing [{}] {} ({}); for example: {} = {}", path.string(),
                                  option.section, option.key, option.help, option.key, option.example));
    }
  }
  if (config.capture != "compdb" && config.capture != "wrapper") {
    throw UserError(fmt::format("{}: [build] capture must be \"compdb\" or \"wrapper\"", path.string()));
  }
  if (config.oracle_on_timeout != "unresolved" && config.oracle_on_timeout != "fail") {
    throw UserError(fmt::format("{}: [oracle] on_timeout must be \"unresolved\" or \"fail\"", path.string()));
  }
  if (config.oracle_on_error != "unresolved" && config.oracle_on_error != "fail") {
    throw UserError(fmt::format("{}: [oracle] on_error must be \"unresolved\" or \"fail\"", path.string()));
  }
  if (config.oracle_accel != "auto" && config.oracle_accel != "kvm" && config.oracle_accel != "tcg") {
    throw UserError(fmt::format("{}: [oracle] accel must be \"auto\", \"kvm\" or \"tcg\"", path.string()));
  }
  for (ToolchainSide* side : {&config.good, &config.bad}) {
    if (side->cxx.empty()) {
      side->cxx = cxx_for(side->cc);
    }
  }
  return config;
}

std::string config_template() {
  std::string out =
      "# ccbisect configuration. Paths are relative to this file; commands run in its directory.\n";
  std::string section;
  for (const auto& option : options()) {
    if (section != option.section) {
      section = option.section;
      out += fmt::format("\n[{}]\n", section);
    }
    std::string line = fmt::format("{} = {}", option.key, option.example);
    // A key required only by another oracle type than the default one is written commented out.
    bool active =
        option.required && (option.oracle_type == nullptr || Config{}.oracle_type == option.oracle_type);
    std::string required = !option.required ? ""
                           : option.oracle_type == nullptr
                               ? " (required)"
                               : fmt::format(" (required with type = \"{}\")", option.oracle_type);
    out += fmt::format("{}{:<40} # {}{}\n", active ? "" : "# ", line, option.help, required);
  }
  return out;
}

}  // namespace ccbisect
