// The workdir lock; see workdir_lock.hpp. flock rather than a pid file: the kernel drops it when the
// holder dies, so a killed search never leaves a stale lock behind. The file's text (pid, command)
// is only for the message a second process prints.
#include "sys/workdir_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "bisector/errors.hpp"

namespace ccbisect {

namespace {

std::string read_holder(int fd) {
  char buffer[256] = {};
  ssize_t got = ::pread(fd, buffer, sizeof buffer - 1, 0);
  std::string text = got > 0 ? std::string(buffer, static_cast<std::size_t>(got)) : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
    text.pop_back();
  }
  return text.empty() ? "another ccbisect" : text;
}

}  // namespace

WorkdirLock::WorkdirLock(const std::filesystem::path& workdir, const std::string& command, bool wait,
                         const std::function<void(const std::string&)>& notice) {
  std::error_code error;
  std::filesystem::create_directories(workdir, error);
  std::filesystem::path path = workdir / "lock";
  m_fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (m_fd < 0) {
    throw UserError(fmt::format("{}: cannot open the workdir lock: {}; check that the workdir is writable",
                                path.string(), std::strerror(errno)));
  }
  if (::flock(m_fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno != EWOULDBLOCK) {
      int saved = errno;
      ::close(m_fd);
      throw UserError(fmt::format("{}: cannot lock: {}", path.string(), std::strerror(saved)));
    }
    std::string holder = read_holder(m_fd);
    if (!wait) {
      ::close(m_fd);
      throw UserError(fmt::format("{} is in use by {}: one search per workdir at a time (a second one would "
                                  "place objects under the first one's trials); wait for it, or run again "
                                  "with --wait",
                                  workdir.string(), holder),
                      k_exit_busy);
    }
    if (notice) {
      notice(fmt::format("{} is in use by {}; waiting for it to finish", workdir.string(), holder));
    }
    while (::flock(m_fd, LOCK_EX) != 0 && errno == EINTR) {
    }
  }
  std::string text = fmt::format("pid {} ({})\n", ::getpid(), command);
  if (::ftruncate(m_fd, 0) == 0) {
    [[maybe_unused]] ssize_t written = ::pwrite(m_fd, text.data(), text.size(), 0);
  }
}

WorkdirLock::~WorkdirLock() {
  if (m_fd >= 0) {
    ::close(m_fd);  // releases the flock
  }
}

}  // namespace ccbisect
