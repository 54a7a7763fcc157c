// Scenario helpers for end-to-end tests; see scenario.hpp.
#include "tests/support/scenario.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace ccbisect::testing {

std::filesystem::path ccbisect_binary() { return CCBISECT_BINARY; }

Scenario::Scenario(const std::string& name) : m_dir(name) {}

void Scenario::write(const std::string& relative, const std::string& text, bool executable) {
  std::filesystem::path path = m_dir.path() / relative;
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path) << text;
  if (executable) {
    ::chmod(path.c_str(), 0755);
  }
}

void Scenario::write_compdb(const std::vector<std::string>& sources, const std::string& cc,
                            const std::string& flags, bool arguments_form, bool absolute_directory) {
  nlohmann::json entries = nlohmann::json::array();
  for (const std::string& source : sources) {
    std::string object = "obj/" + std::filesystem::path(source).stem().string() + ".o";
    nlohmann::json entry = {{"directory", absolute_directory ? m_dir.path().string() : "."},
                            {"file", source}};
    if (arguments_form) {
      std::vector<std::string> args{cc};
      std::istringstream split(flags);
      for (std::string flag; split >> flag;) {
        args.push_back(flag);
      }
      for (const char* arg : {"-c"}) {
        args.push_back(arg);
      }
      args.push_back(source);
      entry["arguments"] = args;
      entry["output"] = object;
    } else {
      entry["command"] = cc + " " + flags + " -c " + source + " -o " + object;
    }
    entries.push_back(entry);
  }
  write("compile_commands.json", entries.dump(2));
}

void Scenario::write_config(const std::string& good, const std::string& bad, const std::string& extra,
                            const std::string& oracle, double timeout) {
  std::ostringstream toml;
  toml << "[build]\ncompdb = \"compile_commands.json\"\n";
  if (extra.find("link =") == std::string::npos) {
    toml << "link = \"${LINKER:-cc} obj/*.o -o prog\"\n";
  }
  toml << extra << "\n" << good << "\n" << bad << "\n";
  toml << "[oracle]\ncommand = \"" << oracle << "\"\ntimeout = " << timeout << "\n";
  write("ccbisect.toml", toml.str());
}

void Scenario::write_small_project(const std::string& file, const std::string& code,
                                   const std::string& main_code, const std::string& cc,
                                   const std::string& good, const std::string& bad, const std::string& oracle,
                                   const std::string& link_extra) {
  std::vector<std::string> sources{"src/" + file, "src/main.c"};
  write("src/" + file, code);
  write("src/main.c", main_code);
  for (int i = 0; i < 3; ++i) {
    std::string name = "src/w" + std::to_string(i) + ".c";
    write(name, "int w" + std::to_string(i) +
                    "(int x) { int s = 0; for (int k = 0; k < x; ++k) s += k * k ^ (s >> 3); return s; }\n");
    sources.push_back(name);
  }
  write_compdb(sources, cc, "-Wall");
  write_config(good, bad, "link = \"" + cc + " $LDFLAGS obj/*.o -o prog" + link_extra + "\"", oracle);
}

CcbisectRun Scenario::run(const std::vector<std::string>& args, double timeout) const {
  ProcessSpec spec;
  spec.argv = {ccbisect_binary().string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = m_dir.path();
  spec.timeout_seconds = timeout;
  spec.tail_bytes = 1 << 20;
  ProcessResult result = run_process(spec);
  CcbisectRun run{result.exit_status, result.output_tail, nullptr};
  std::istringstream lines(result.output_tail);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.front() == '{') {
      try {
        run.json = nlohmann::json::parse(line);
      } catch (...) {
      }
    }
  }
  return run;
}

CcbisectRun Scenario::run_and_kill_after(const std::vector<std::string>& args, std::size_t lines) const {
  ProcessSpec spec;
  spec.argv = {ccbisect_binary().string()};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.cwd = m_dir.path();
  spec.timeout_seconds = 300;
  spec.tail_bytes = 1 << 20;
  spec.stop_when = [lines](std::string_view output) {
    std::size_t count = 0;
    for (std::size_t at = output.find(" from bad "); at != std::string_view::npos;
         at = output.find(" from bad ", at + 1)) {
      ++count;
    }
    return count >= lines;
  };
  ProcessResult result = run_process(spec);
  return {result.exit_status, result.output_tail, nullptr};
}

}  // namespace ccbisect::testing
