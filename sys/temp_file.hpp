// Temporary files and directories that no other thread or process can predict or pre-empt, and
// replacing a file atomically through one of them.
//
// Every name is created with O_CREAT|O_EXCL (mkstemps/mkdtemp: a random suffix, retried on a
// clash) in the directory of its final target, so an existing file or a symlink planted at that name
// is never opened or followed, two threads never share a name, and the final rename stays within one
// file system (atomic: a reader sees the old file or the new one, never half of one).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

namespace ccbisect {

// Creates a new empty file `<directory>/<prefix>XXXXXX<suffix>` (mode 0600) and returns its path.
// On failure returns nothing and sets `error`.
std::optional<std::filesystem::path> create_unique_file(const std::filesystem::path& directory,
                                                        std::string_view prefix, std::string_view suffix,
                                                        std::error_code& error);

// Creates a new directory `<directory>/<prefix>XXXXXX` (mode 0700) and returns its path. On failure
// returns nothing and sets `error`.
std::optional<std::filesystem::path> create_unique_directory(const std::filesystem::path& directory,
                                                             std::string_view prefix, std::error_code& error);

// Replaces `to` with a copy of `from` through a unique temporary file beside `to` and a rename: the
// copy has `from`'s permission bits and a fresh mtime (or `mtime` when given), and a symlink at `to`
// is replaced, not followed. Creates `to`'s directory if needed. Returns false with `error` set on
// failure, leaving `to` as it was and no temporary file behind.
bool copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to,
                          std::error_code& error,
                          std::optional<std::filesystem::file_time_type> mtime = std::nullopt);

// Replaces `to` with a file holding `content` (mode 0644), as copy_file_atomically does.
bool write_file_atomically(const std::filesystem::path& to, std::string_view content, std::error_code& error);

// The whole content of `path`, or nothing if it cannot be opened (e.g. a job's result not written).
std::optional<std::string> read_whole_file(const std::filesystem::path& path);

// A unique directory (create_unique_directory) removed with everything in it when this goes out of
// scope.
class TempDirectory {
 public:
  // Throws std::filesystem::filesystem_error naming `parent` if the directory cannot be created.
  TempDirectory(const std::filesystem::path& parent, std::string_view prefix);
  ~TempDirectory();
  TempDirectory(const TempDirectory&) = delete;
  TempDirectory& operator=(const TempDirectory&) = delete;
  const std::filesystem::path& path() const { return m_path; }
  std::filesystem::path operator/(std::string_view name) const { return m_path / name; }

 private:
  std::filesystem::path m_path;
};

}  // namespace ccbisect
