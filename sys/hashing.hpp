// Content hashes (XXH3-128 from libxxhash) for the object store and trial cache keys. Not
// cryptographic: they name content we produced ourselves, and a collision would need 2^64 objects.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace ccbisect {

class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  // Adds `data` followed by a separator, so ("ab","c") and ("a","bc") differ.
  Hasher& add(std::string_view data);
  std::string hex() const;  // 32 hex digits

 private:
  void* m_state;
};

std::string hash_text(std::string_view data);
// Returns the hash of the file's bytes; throws UserError naming the file if it cannot be read.
std::string hash_file(const std::filesystem::path& path);
// The content of the scripts a shell command runs, for cache keys: every word of `command` that
// names a regular file (relative to `dir`) starting with "#!" is hashed with its path, so editing a
// test or relink script invalidates the trials it judged. Programs (ELF files such as the program
// under test) are left out: they change with every trial by design. Returns "" when there is none.
std::string script_fingerprint(const std::string& command, const std::filesystem::path& dir);

}  // namespace ccbisect
