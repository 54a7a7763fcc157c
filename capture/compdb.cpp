// Reading compile_commands.json with nlohmann-json and turning an entry into a compile for another
// toolchain: replace the driver, append the side's flags, redirect -o into the object store.
#include "capture/compdb.hpp"

#include <fstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "sys/process.hpp"

namespace ccbisect {

bool is_cxx_compile(const std::string& compiler, const std::filesystem::path& source) {
  std::string name = std::filesystem::path(compiler).filename().string();
  if (name.find("++") != std::string::npos) {
    return true;
  }
  std::string ext = source.extension().string();
  return ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".C" || ext == ".c++";
}

std::vector<CompileEntry> read_compdb(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) {
    throw UserError(
        fmt::format("{}: cannot read the compilation database; set [build] compdb, or "
                    "generate it (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, bear -- make), "
                    "or capture with `ccbisect capture --side good -- make`",
                    path.string()));
  }
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const std::exception& e) {
    throw UserError(fmt::format("{}: not valid JSON: {}", path.string(), e.what()));
  }
  if (!root.is_array()) {
    throw UserError(fmt::format("{}: expected a JSON array of compile entries", path.string()));
  }
  std::filesystem::path base = std::filesystem::absolute(path).parent_path();
  std::vector<CompileEntry> entries;
  for (std::size_t i = 0; i < root.size(); ++i) {
    const auto& item = root[i];
    auto where = [&](const std::string& what) {
      return UserError(fmt::format("{}: entry {}: {}", path.string(), i, what));
    };
    if (!item.is_object() || !item.contains("directory") || !item.contains("file") ||
        !item["directory"].is_string() || !item["file"].is_string()) {
      throw where("needs string fields \"directory\" and \"file\"");
    }
    CompileEntry entry;
    entry.directory = base / item["directory"].get<std::string>();
    entry.directory = entry.directory.lexically_normal();
    if (item.contains("arguments")) {
      if (!item["arguments"].is_array() || item["arguments"].empty()) {
        throw where("\"arguments\" must be a non-empty array of strings");
      }
      for (const auto& arg : item["arguments"]) {
        if (!arg.is_string()) {
          throw where("\"arguments\" must be a non-empty array of strings");
        }
        entry.arguments.push_back(arg.get<std::string>());
      }
    } else if (item.contains("command") && item["command"].is_string()) {
      entry.arguments = split_command_line(item["command"].get<std::string>());
      if (entry.arguments.empty()) {
        throw where("\"command\" is empty");
      }
    } else {
      throw where("needs \"arguments\" (array) or \"command\" (string)");
    }
    entry.source = (entry.directory / item["file"].get<std::string>()).lexically_normal();
    std::string output;
    if (item.contains("output") && item["output"].is_string()) {
      output = item["output"].get<std::string>();
    }
    bool compiles = false;
    for (std::size_t a = 1; a < entry.arguments.size(); ++a) {
      const std::string& arg = entry.arguments[a];
      if (arg == "-c") {
        compiles = true;
      } else if (arg == "-o" && a + 1 < entry.arguments.size() && output.empty()) {
        output = entry.arguments[a + 1];
      } else if (arg.rfind("-o", 0) == 0 && arg.size() > 2 && output.empty()) {
        output = arg.substr(2);
      }
    }
    if (!compiles) {
      continue;  // a link or preprocessing step, not a translation unit
    }
    if (output.empty()) {
      throw where("has no \"output\" field and no -o; ccbisect needs to know where the object goes");
    }
    entry.output = (entry.directory / output).lexically_normal();
    entry.is_cxx = is_cxx_compile(entry.arguments[0], entry.source);
    entries.push_back(std::move(entry));
  }
  if (entries.empty()) {
    throw UserError(fmt::format("{}: holds no compile (-c) entries", path.string()));
  }
  return entries;
}

std::vector<std::string> retarget_compile(const CompileEntry& entry, const std::string& compiler,
                                          const std::vector<std::string>& flags,
                                          const std::filesystem::path& object) {
  std::vector<std::string> argv{compiler};
  for (std::size_t a = 1; a < entry.arguments.size(); ++a) {
    const std::string& arg = entry.arguments[a];
    if (arg == "-o" && a + 1 < entry.arguments.size()) {
      ++a;
      continue;
    }
    if (arg.rfind("-o", 0) == 0 && arg.size() > 2) {
      continue;
    }
    argv.push_back(arg);
  }
  argv.insert(argv.end(), flags.begin(), flags.end());
  argv.push_back("-o");
  argv.push_back(object.string());
  return argv;
}

}  // namespace ccbisect
