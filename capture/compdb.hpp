// compile_commands.json: the translation units of a project, in either `command` or `arguments`
// form, with the object named by `output` or by `-o`.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccbisect {

struct CompileEntry {
  std::filesystem::path directory;     // absolute; a relative one is taken from the compdb's folder
  std::filesystem::path source;        // absolute
  std::filesystem::path output;        // absolute
  std::vector<std::string> arguments;  // as recorded; arguments[0] is the original compiler
  bool is_cxx = false;
};

// Reads the database. Throws UserError naming the file and the entry for malformed input; entries
// that are not compiles to an object (no -c) are skipped.
std::vector<CompileEntry> read_compdb(const std::filesystem::path& path);

// Whether a compile of `source` with compiler `compiler` is C++ (by driver name or file extension).
bool is_cxx_compile(const std::string& compiler, const std::filesystem::path& source);

// The argv that compiles `entry` with `compiler`, extra `flags` appended, writing `object`.
std::vector<std::string> retarget_compile(const CompileEntry& entry, const std::string& compiler,
                                          const std::vector<std::string>& flags,
                                          const std::filesystem::path& object);

}  // namespace ccbisect
