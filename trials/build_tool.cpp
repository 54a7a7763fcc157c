// Make-style and Ninja-style placement; see build_tool.hpp for why Ninja needs kept mtimes and aged
// consumers. One `ninja -t query` per build directory keeps the cost to one process per workspace.
#include "trials/build_tool.hpp"

#include <chrono>

#include "sys/process.hpp"

namespace ccbisect {

namespace fs = std::filesystem;

std::optional<fs::path> ninja_build_dir(const fs::path& output) {
  std::error_code error;
  for (fs::path dir = fs::absolute(output, error).parent_path(); !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".ninja_deps", error) || fs::exists(dir / ".ninja_log", error)) {
      return dir;
    }
    if (dir == dir.root_path()) {
      break;
    }
  }
  return std::nullopt;
}

std::map<std::string, std::vector<std::string>> parse_ninja_query(const std::string& text) {
  std::map<std::string, std::vector<std::string>> consumers;
  std::string target;
  bool in_outputs = false;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    std::string line = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? text.size() : end + 1;
    if (line.empty()) {
      continue;
    }
    if (line[0] != ' ' && line.back() == ':') {
      target = line.substr(0, line.size() - 1);
      consumers[target];
      in_outputs = false;
    } else if (line.rfind("  outputs:", 0) == 0) {
      in_outputs = true;
    } else if (line.rfind("  ", 0) == 0 && line.rfind("    ", 0) != 0) {
      in_outputs = false;  // another section of the same target ("  input: …")
    } else if (in_outputs && !target.empty() && line.rfind("    ", 0) == 0) {
      consumers[target].push_back(line.substr(4));
    }
  }
  return consumers;
}

BuildTool::BuildTool(const std::vector<fs::path>& outputs) {
  std::map<fs::path, std::vector<fs::path>> by_dir;
  for (const fs::path& output : outputs) {
    if (std::optional<fs::path> dir = ninja_build_dir(output)) {
      by_dir[*dir].push_back(output);
    }
  }
  for (const auto& [dir, members] : by_dir) {
    std::vector<std::string> argv = {"ninja", "-C", dir.string(), "-t", "query"};
    std::map<std::string, fs::path> by_relative;
    for (const fs::path& output : members) {
      std::string relative = fs::absolute(output).lexically_normal().lexically_relative(dir).string();
      argv.push_back(relative);
      by_relative[relative] = output;
    }
    ProcessSpec spec;
    spec.argv = argv;
    spec.cwd = dir;
    spec.timeout_seconds = 120;
    spec.tail_bytes = std::size_t{64} << 20;  // the whole answer: one query for every object
    ProcessResult query = run_process(spec);
    if (!query.started || query.exit_status != 0) {
      continue;  // placed as for Make; a recompile is then caught after the link
    }
    m_name = "ninja";
    for (const auto& [target, produced] : parse_ninja_query(query.output_tail)) {
      auto it = by_relative.find(target);
      if (it == by_relative.end()) {
        continue;
      }
      std::error_code error;
      fs::file_time_type mtime = fs::last_write_time(it->second, error);
      if (!error) {
        m_kept[it->second] = mtime;
      }
      for (const std::string& file : produced) {
        m_consumers[it->second].push_back(dir / file);
      }
    }
  }
}

std::optional<fs::file_time_type> BuildTool::kept_mtime(const fs::path& output) const {
  auto it = m_kept.find(output);
  return it == m_kept.end() ? std::nullopt : std::optional(it->second);
}

void BuildTool::age_consumers(const std::vector<fs::path>& outputs) const {
  // Twenty years back: older than any input a build has, so the consumer is out of date.
  const fs::file_time_type old = fs::file_time_type::clock::now() - std::chrono::hours(24 * 365 * 20);
  for (const fs::path& output : outputs) {
    auto it = m_consumers.find(output);
    if (it == m_consumers.end()) {
      continue;
    }
    for (const fs::path& consumer : it->second) {
      std::error_code error;
      if (fs::exists(consumer, error)) {
        fs::last_write_time(consumer, old, error);
      }
    }
  }
}

}  // namespace ccbisect
