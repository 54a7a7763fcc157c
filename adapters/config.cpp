// Parsing ccbisect.toml with toml11 from one descriptor table, so that the keys, their help text,
// the template and the unknown-key check can never disagree.
#include "adapters/config.hpp"

#include <variant>
#include <vector>

#include <fmt/format.h>
#include <toml.hpp>

#include "bisector/errors.hpp"

namespace ccbisect {
namespace {

using Field = std::variant<std::string Config::*, double Config::*, std::string ToolchainSide::*>;

struct OptionDescriptor {
  const char* section;
  const char* key;
  Field field;
  bool required;
  const char* example;  // as written in the template
  const char* help;
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
      {"build", "link_timeout", &Config::link_timeout, false, "600", "seconds; a link that takes longer is unresolved"},
      {"good", "cc", &ToolchainSide::cc, true, R"("gcc-12")", "replaces argv[0] of C entries"},
      {"good", "cxx", &ToolchainSide::cxx, false, R"("g++-12")", "for C++ entries; default derived from cc"},
      {"good", "flags", &ToolchainSide::flags, false, R"("")", "appended to every compile, e.g. \"-O1\""},
      {"bad", "cc", &ToolchainSide::cc, true, R"("gcc-11")", "the toolchain that makes the program fail"},
      {"bad", "cxx", &ToolchainSide::cxx, false, R"("g++-11")", "for C++ entries; default derived from cc"},
      {"bad", "flags", &ToolchainSide::flags, false, R"("")", "appended to every compile, e.g. \"-O2\""},
      {"oracle", "type", &Config::oracle_type, false, R"("command")", "how a mix is judged: command"},
      {"oracle", "command", &Config::oracle_command, true, R"("./test.sh")",
       "exit 0 pass, 125 unresolved (git bisect run convention), other non-zero fail"},
      {"oracle", "timeout", &Config::oracle_timeout, false, "60",
       "seconds; on timeout the whole process group is killed"},
      {"oracle", "on_timeout", &Config::oracle_on_timeout, false, R"("unresolved")",
       "what a timeout means: \"unresolved\" or \"fail\""},
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
    throw UserError(fmt::format("{}: no such configuration file; run `ccbisect init` to write a "
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
      throw UserError(fmt::format("{}: unknown section [{}]; known sections are [build], [good], "
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
        throw UserError(fmt::format("{}: unknown key {} in [{}]; known keys: {}", path.string(), key,
                                    section, known));
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
      } else {
        if (!value.is_string()) {
          throw UserError(where + " must be a string, e.g. " + found->example);
        }
        side_of(config, section).*std::get<std::string ToolchainSide::*>(found->field) = value.as_string();
      }
    }
  }
  for (const auto& option : options()) {
    if (!option.required) {
      continue;
    }
    bool present = root.contains(option.section) && root.at(option.section).contains(option.key);
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
  for (ToolchainSide* side : {&config.good, &config.bad}) {
    if (side->cxx.empty()) {
      side->cxx = cxx_for(side->cc);
    }
  }
  return config;
}

std::string config_template() {
  std::string out = "# ccbisect configuration. Paths are relative to this file; commands run in its directory.\n";
  std::string section;
  for (const auto& option : options()) {
    if (section != option.section) {
      section = option.section;
      out += fmt::format("\n[{}]\n", section);
    }
    std::string line = fmt::format("{} = {}", option.key, option.example);
    out += fmt::format("{}{:<40} # {}{}\n", option.required ? "" : "# ", line, option.help,
                       option.required ? " (required)" : "");
  }
  return out;
}

}  // namespace ccbisect
