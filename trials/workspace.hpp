// The workspace: the user's project tree, into which each trial places a mix of good and bad objects.
//
// Objects are copied (never hard-linked: a build that rewrites an object in place must not corrupt
// the store) to a temporary name beside their target and renamed over it, which gives them a fresh
// mtime, so `make` relinks without recompiling; in a Ninja build directory they keep the build's
// mtime and their consumers are aged instead (build_tool.hpp). Only objects whose side changed since
// the previous trial are touched. After the link, `rebuilt_objects` tells whether the build system
// replaced any placed object (it recompiled instead of relinking): such a trial tested the user's
// build, not the mix, and must not count.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "bisector/trial.hpp"
#include "trials/build_tool.hpp"
#include "trials/originals.hpp"

namespace ccbisect {

struct PlacedObject {
  std::string name;              // as shown to the user: the output path relative to the project
  std::filesystem::path output;  // where the build expects it
  std::filesystem::path good;    // the good object in the store
  std::filesystem::path bad;     // the bad object in the store
};

// Copies `from` to `to` through a unique temporary name and a rename (sys/temp_file.hpp: never a
// half-written object, a symlink at `to` replaced rather than followed), with a fresh mtime or
// `mtime` when given. Throws UserError naming the path if it cannot be written.
void place_object(const std::filesystem::path& from, const std::filesystem::path& to,
                  std::optional<std::filesystem::file_time_type> mtime = std::nullopt);

class Workspace {
 public:
  // `items` are searched; `fixed` are placed once and never change (identical on both sides, or
  // compiled on one side only).
  // With `originals`, the user's files at every output are kept aside before the first placement
  // (originals.hpp); slots that are copies of the project pass none.
  Workspace(std::vector<PlacedObject> items, std::vector<PlacedObject> fixed,
            std::optional<Originals> originals = std::nullopt);
  // Puts the bad object of every item in `subset` and the good object of every other item in place.
  // Returns how many files were written. Throws UserError naming the path if one cannot be written.
  std::size_t materialize(const Subset& subset);
  const std::vector<PlacedObject>& items() const { return m_items; }
  // Forgets what is in place, so the next materialize writes every object (after another level
  // put objects of its own at these paths).
  void forget_placement();
  // The placed objects (their names) that are no longer the file placed: a different size or mtime.
  // Cheap (a stat each), called after every link.
  std::vector<std::string> rebuilt_objects() const;
  // "make" or "ninja": which placement rule applies (build_tool.hpp).
  const std::string& build_tool() const { return m_build_tool.name(); }

 private:
  enum class Side { unknown, good, bad };
  struct Stamp {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type mtime;
    bool placed = false;
  };
  // Places one object and remembers its stamp.
  void place(const PlacedObject& object, const std::filesystem::path& from, Stamp& stamp);

  std::vector<PlacedObject> m_items;
  std::vector<PlacedObject> m_fixed;
  std::vector<Side> m_current;
  bool m_fixed_placed = false;
  BuildTool m_build_tool;
  std::optional<Originals> m_originals;
  std::vector<Stamp> m_stamps;        // per item
  std::vector<Stamp> m_fixed_stamps;  // per fixed object
};

}  // namespace ccbisect
