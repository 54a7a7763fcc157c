// The workspace: the user's project tree, into which each trial places a mix of good and bad objects.
//
// Objects are copied (never hard-linked: a build that rewrites an object in place must not corrupt
// the store) to a temporary name beside their target and renamed over it, which gives them a fresh
// mtime, so `make` relinks without recompiling. Only objects whose side changed since the previous
// trial are touched.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "bisector/trial.hpp"

namespace ccbisect {

struct PlacedObject {
  std::string name;              // as shown to the user: the output path relative to the project
  std::filesystem::path output;  // where the build expects it
  std::filesystem::path good;    // the good object in the store
  std::filesystem::path bad;     // the bad object in the store
};

// Copies `from` to `to` through a temporary name and a rename (fresh mtime, never a half-written
// object). Throws UserError naming the path if it cannot be written.
void place_object(const std::filesystem::path& from, const std::filesystem::path& to);

class Workspace {
 public:
  // `items` are searched; `fixed` are placed once and never change (identical on both sides, or
  // compiled on one side only).
  Workspace(std::vector<PlacedObject> items, std::vector<PlacedObject> fixed);
  // Puts the bad object of every item in `subset` and the good object of every other item in place.
  // Returns how many files were written. Throws UserError naming the path if one cannot be written.
  std::size_t materialize(const Subset& subset);
  const std::vector<PlacedObject>& items() const { return m_items; }
  // Forgets what is in place, so the next materialize writes every object (after another level
  // put objects of its own at these paths).
  void forget_placement();

 private:
  enum class Side { unknown, good, bad };

  std::vector<PlacedObject> m_items;
  std::vector<PlacedObject> m_fixed;
  std::vector<Side> m_current;
  bool m_fixed_placed = false;
};

}  // namespace ccbisect
