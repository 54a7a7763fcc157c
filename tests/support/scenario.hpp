// End-to-end scenarios: a small C/C++ project written into a temp dir (sources, compile database,
// ccbisect.toml, test script), and the real ccbisect binary run on it.
//
// A scenario whose tools are missing exits the test process with code 77, which CTest reports as
// skipped (SKIP_RETURN_CODE), never as passed.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sys/process.hpp"
#include "tests/support/skip.hpp"
#include "tests/support/temp_dir.hpp"

namespace ccbisect::testing {

struct CcbisectRun {
  int exit_status = -1;
  std::string output;   // stdout and stderr, merged
  nlohmann::json json;  // the last line that parses as a JSON object, if any
};

class Scenario {
 public:
  explicit Scenario(const std::string& name);
  // Writes `text` to `relative` (creating directories); `executable` for scripts.
  void write(const std::string& relative, const std::string& text, bool executable = false);
  // Writes compile_commands.json with one `command`-form entry per source: "<cc> -c src -o obj/X.o"
  // (directory "." unless `absolute_directory`), or in `arguments` form.
  void write_compdb(const std::vector<std::string>& sources, const std::string& cc, const std::string& flags,
                    bool arguments_form = false, bool absolute_directory = false);
  // Writes ccbisect.toml; `link` defaults to linking every object in obj/ into ./prog.
  void write_config(const std::string& good, const std::string& bad, const std::string& extra = "",
                    const std::string& oracle = "./test.sh", double timeout = 20);
  // A small project: `file` with `code` (the TU under test), src/main.c, three harmless TUs with a
  // loop (so -O levels compile them differently), a compdb for `cc`, and a config whose link is
  // `cc $LDFLAGS obj/*.o -o prog` + `link_extra` and whose oracle is `oracle`.
  void write_small_project(const std::string& file, const std::string& code, const std::string& main_code,
                           const std::string& cc, const std::string& good, const std::string& bad,
                           const std::string& oracle = "./prog", const std::string& link_extra = "");
  // Runs the real ccbisect binary in the project directory.
  CcbisectRun run(const std::vector<std::string>& args, double timeout = 300) const;
  // Starts ccbisect and kills its process group (SIGKILL) once `lines` progress lines were printed.
  CcbisectRun run_and_kill_after(const std::vector<std::string>& args, std::size_t lines) const;
  const std::filesystem::path& dir() const { return m_dir.path(); }

 private:
  TempDir m_dir;
};

// The path of the ccbisect binary under test.
std::filesystem::path ccbisect_binary();

}  // namespace ccbisect::testing
