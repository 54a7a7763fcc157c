// One search per workdir at a time: every command that places objects or writes trials holds an
// exclusive lock on <workdir>/lock (flock(2), released by the kernel when the process ends, even on
// kill -9). Two searches in one tree would place objects under each other's links and record each
// other's outcomes as their own: a wrong answer with exit 0. Read-only commands (status, log, report)
// take no lock and work alongside, and on a read-only workdir.
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace ccbisect {

class WorkdirLock {
 public:
  // Takes the lock on `workdir` (created if missing). If another process holds it: with `wait`,
  // calls `notice` once with who holds it and blocks until it is free; without, throws UserError
  // (exit k_exit_busy) naming the holder's pid and command and saying to use --wait.
  WorkdirLock(const std::filesystem::path& workdir, const std::string& command, bool wait,
              const std::function<void(const std::string&)>& notice);
  ~WorkdirLock();
  WorkdirLock(const WorkdirLock&) = delete;
  WorkdirLock& operator=(const WorkdirLock&) = delete;

 private:
  int m_fd = -1;
};

}  // namespace ccbisect
