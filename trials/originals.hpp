// The user's own objects, kept aside before the first trial overwrites them, so that `ccbisect reset`
// (and the end of `ccbisect run`) can put the tree back as the user's build left it, as `git bisect
// reset` does. The first placement into a tree records, for every path a search will write, either a
// copy of the file there (with its mtime, which Ninja's deps log depends on) or that there was none.
// The record is kept until a restore, so a second search never takes a mix for the user's build.
#pragma once

#include <filesystem>
#include <vector>

namespace ccbisect {

class Originals {
 public:
  // `dir` holds the copies and manifest.json (e.g. <workdir>/original).
  explicit Originals(std::filesystem::path dir) : m_dir(std::move(dir)) {}
  // Records the files now at `outputs` that are not recorded yet. Throws UserError naming the path if
  // a copy cannot be written.
  void save(const std::vector<std::filesystem::path>& outputs) const;
  // Whether some placement is recorded, i.e. the tree may hold something other than the user's build.
  bool pending() const;
  // Puts every recorded file back (or removes what was placed where there was none) and forgets the
  // record. Returns the paths it restored. Throws UserError naming the path on failure.
  std::vector<std::filesystem::path> restore() const;

 private:
  std::filesystem::path m_dir;
};

// After `restored` files are back, makes the build relink them as it would after a trial (Make: a
// fresh mtime, since the artifact is newer than the user's objects; Ninja: their recorded mtime and
// their consumers aged, build_tool.hpp), then runs `link` in `directory` (none when empty: the
// user's next build relinks), so the artifact is the user's build again and not the last mix.
// Returns "" or what went wrong, for a warning.
std::string relink_restored(const std::vector<std::filesystem::path>& restored, const std::string& link,
                            const std::filesystem::path& directory, double timeout_seconds);

}  // namespace ccbisect
