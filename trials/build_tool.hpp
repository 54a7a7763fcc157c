// What the build system behind the link command needs for a placed object to be relinked and not
// recompiled.
//
// Make compares mtimes only: an object placed with a fresh mtime is newer than the program, so make
// relinks, and its sources are older than it, so make does not recompile it. Ninja also keeps a deps
// log holding each object's mtime when it was built; an object newer than that record is "stored deps
// info out of date" and gets recompiled, which silently puts the user's own build back in place of
// the mix. So in a Ninja build directory an object is placed with the mtime the user's build gave it,
// and its direct consumers (the libraries and programs `ninja -t query` names) are made older than
// their inputs, so that Ninja relinks them and nothing else.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ccbisect {

class BuildTool {
 public:
  // Looks above each of `outputs` (up to the file system root) for a Ninja build directory (one with
  // a .ninja_deps or .ninja_log file) and asks Ninja, once per directory, which files consume each
  // object. Records every output's current mtime. Never throws: where Ninja cannot say, the object
  // is placed as for Make, and the check after the link catches a recompile.
  explicit BuildTool(const std::vector<std::filesystem::path>& outputs);

  // "ninja" when any output lies in a Ninja build directory, else "make".
  const std::string& name() const { return m_name; }
  // The mtime a placed object at `output` must keep, or nothing when a fresh mtime is right.
  std::optional<std::filesystem::file_time_type> kept_mtime(const std::filesystem::path& output) const;
  // Makes the consumers of the objects just placed at `outputs` older than any input, so the build
  // relinks them. Consumers that do not exist (not built yet) are left alone.
  void age_consumers(const std::vector<std::filesystem::path>& outputs) const;

 private:
  std::string m_name = "make";
  std::map<std::filesystem::path, std::filesystem::file_time_type> m_kept;
  std::map<std::filesystem::path, std::vector<std::filesystem::path>> m_consumers;
};

// The Ninja build directory holding `output` (with .ninja_deps or .ninja_log), or nothing.
std::optional<std::filesystem::path> ninja_build_dir(const std::filesystem::path& output);

// Parses `ninja -t query` output: for each target named, the files its edges produce ("outputs:").
std::map<std::string, std::vector<std::string>> parse_ninja_query(const std::string& text);

}  // namespace ccbisect
