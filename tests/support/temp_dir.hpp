// A fresh directory under the system temp dir, removed when the test ends.
#pragma once

#include <filesystem>
#include <string>

#include "sys/temp_file.hpp"

namespace ccbisect::testing {

class TempDir {
 public:
  // A new directory (O_EXCL-style, sys/temp_file.hpp) named ccbisect-<tag>-XXXXXX.
  explicit TempDir(const std::string& tag = "t") {
    std::error_code error;
    auto made =
        create_unique_directory(std::filesystem::temp_directory_path(), "ccbisect-" + tag + "-", error);
    if (!made) {
      throw std::filesystem::filesystem_error("cannot create a test directory", error);
    }
    m_path = *made;
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::permissions(m_path, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ignored);
    std::filesystem::remove_all(m_path, ignored);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(const std::string& name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

}  // namespace ccbisect::testing
