// Unique temporary files and atomic replacement; see temp_file.hpp.
//
// mkstemps and mkdtemp do the O_EXCL creation with a random suffix and retry on a clash; what is
// added here is the copy through the descriptor mkstemps returned (never reopening by name, which a
// swapped-in symlink could redirect), the permission bits, and cleaning up on every failure path.
#include "sys/temp_file.hpp"

#include <fcntl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace ccbisect {
namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

// mkstemps on `<directory>/<prefix>XXXXXX<suffix>`: an open descriptor and the name it got.
int open_unique(const std::filesystem::path& directory, std::string_view prefix, std::string_view suffix,
                std::filesystem::path& path, std::error_code& error) {
  std::string pattern = (directory / prefix).string();
  pattern += "XXXXXX";
  pattern += suffix;
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  int fd = ::mkostemps(name.data(), static_cast<int>(suffix.size()), O_CLOEXEC);
  if (fd < 0) {
    error = last_error();
    return -1;
  }
  path = name.data();
  return fd;
}

bool write_all(int fd, const char* data, std::size_t size) {
  while (size > 0) {
    ssize_t written = ::write(fd, data, size);
    if (written < 0) {
      if (errno == EINTR) {
        continue;
      }
      return false;
    }
    data += written;
    size -= static_cast<std::size_t>(written);
  }
  return true;
}

// Fills a fresh temporary file beside `to` with `fill(fd)`, sets `mode`, and renames it over `to`.
template <class Fill>
bool replace_through_temp(const std::filesystem::path& to, mode_t mode, std::error_code& error, Fill fill) {
  std::filesystem::path directory = to.has_parent_path() ? to.parent_path() : std::filesystem::path(".");
  std::filesystem::path temp;
  std::string prefix = "." + to.filename().string() + ".";
  int fd = open_unique(directory, prefix, ".tmp", temp, error);
  if (fd < 0 && error == std::errc::no_such_file_or_directory) {
    // Only then: creating the directories first costs a stat per path component on every call.
    error.clear();
    std::filesystem::create_directories(directory, error);
    if (error) {
      return false;
    }
    fd = open_unique(directory, prefix, ".tmp", temp, error);
  }
  if (fd < 0) {
    return false;
  }
  bool ok = fill(fd) && ::fchmod(fd, mode) == 0;
  if (!ok) {
    error = last_error();
  }
  if (::close(fd) != 0 && ok) {
    error = last_error();
    ok = false;
  }
  if (ok && ::rename(temp.c_str(), to.c_str()) != 0) {
    error = last_error();
    ok = false;
  }
  if (!ok) {
    ::unlink(temp.c_str());
  }
  return ok;
}

// Sets the file's modification time (and its access time to now) through its descriptor.
bool set_mtime(int fd, std::filesystem::file_time_type mtime) {
  auto since_epoch = std::chrono::file_clock::to_sys(mtime).time_since_epoch();
  auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
  auto nanoseconds = std::chrono::duration_cast<std::chrono::nanoseconds>(since_epoch - seconds);
  struct timespec times[2] = {{0, UTIME_NOW}, {seconds.count(), nanoseconds.count()}};
  if (nanoseconds.count() < 0) {
    times[1] = {seconds.count() - 1, nanoseconds.count() + 1000000000};
  }
  return ::futimens(fd, times) == 0;
}

}  // namespace

std::optional<std::filesystem::path> create_unique_file(const std::filesystem::path& directory,
                                                        std::string_view prefix, std::string_view suffix,
                                                        std::error_code& error) {
  std::filesystem::path path;
  int fd = open_unique(directory, prefix, suffix, path, error);
  if (fd < 0) {
    return std::nullopt;
  }
  ::close(fd);
  return path;
}

std::optional<std::filesystem::path> create_unique_directory(const std::filesystem::path& directory,
                                                             std::string_view prefix,
                                                             std::error_code& error) {
  std::string pattern = (directory / prefix).string() + "XXXXXX";
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    error = last_error();
    return std::nullopt;
  }
  return std::filesystem::path(name.data());
}

bool copy_file_atomically(const std::filesystem::path& from, const std::filesystem::path& to,
                          std::error_code& error, std::optional<std::filesystem::file_time_type> mtime) {
  int in = ::open(from.c_str(), O_RDONLY | O_CLOEXEC);
  if (in < 0) {
    error = last_error();
    return false;
  }
  struct stat status {};
  if (::fstat(in, &status) != 0) {
    error = last_error();
    ::close(in);
    return false;
  }
  bool ok = replace_through_temp(to, status.st_mode & 0777, error, [in, mtime, &status](int out) {
    // A reflink where the file system shares extents (btrfs, XFS), else a copy inside the kernel
    // (copy_file_range), else through a buffer (e.g. across file systems on old kernels).
    if (::ioctl(out, FICLONE, in) == 0) {
      return !mtime || set_mtime(out, *mtime);
    }
    off_t left = status.st_size;
    while (left > 0) {
      ssize_t copied = ::copy_file_range(in, nullptr, out, nullptr, static_cast<std::size_t>(left), 0);
      if (copied < 0 && errno == EINTR) {
        continue;
      }
      if (copied <= 0) {
        break;
      }
      left -= copied;
    }
    if (left == 0) {
      return !mtime || set_mtime(out, *mtime);
    }
    // Start over through a buffer from wherever copy_file_range stopped.
    if (::lseek(in, 0, SEEK_SET) != 0 || ::ftruncate(out, 0) != 0 || ::lseek(out, 0, SEEK_SET) != 0) {
      return false;
    }
    char buffer[1 << 16];
    while (true) {
      ssize_t got = ::read(in, buffer, sizeof buffer);
      if (got < 0 && errno == EINTR) {
        continue;
      }
      if (got < 0) {
        return false;
      }
      if (got == 0) {
        return !mtime || set_mtime(out, *mtime);
      }
      if (!write_all(out, buffer, static_cast<std::size_t>(got))) {
        return false;
      }
    }
  });
  ::close(in);
  return ok;
}

bool write_file_atomically(const std::filesystem::path& to, std::string_view content,
                           std::error_code& error) {
  return replace_through_temp(to, 0644, error,
                              [content](int out) { return write_all(out, content.data(), content.size()); });
}

TempDirectory::TempDirectory(const std::filesystem::path& parent, std::string_view prefix) {
  std::error_code error;
  std::optional<std::filesystem::path> made = create_unique_directory(parent, prefix, error);
  if (!made) {
    throw std::filesystem::filesystem_error("cannot create a temporary directory", parent, error);
  }
  m_path = std::move(*made);
}

TempDirectory::~TempDirectory() {
  std::error_code ignored;
  std::filesystem::remove_all(m_path, ignored);
}

std::optional<std::string> read_whole_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace ccbisect
