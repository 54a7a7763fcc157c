// fork/exec with process groups, a poll loop for output and deadlines, and group kill.
//
// Hand-written because no Debian-packaged C++ library does process groups + timeout + output tail
// together (Boost.Process is not in the package set we chose and does not kill grandchildren). The
// child does only async-signal-safe work between fork and exec (everything is prepared before),
// because trials may run on several threads at once.
#include "sys/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>

#include "sys/interrupt.hpp"

extern char** environ;

namespace ccbisect {
namespace {

std::map<std::string, std::string> current_environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string_view text(*entry);
    std::size_t equals = text.find('=');
    if (equals != std::string_view::npos) {
      env.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
    }
  }
  return env;
}

std::optional<std::filesystem::path> search_path(const std::string& program, const std::string& path) {
  if (program.find('/') != std::string::npos) {
    return std::filesystem::path(program);
  }
  std::size_t start = 0;
  while (start <= path.size()) {
    std::size_t colon = path.find(':', start);
    std::string dir = path.substr(start, colon == std::string::npos ? std::string::npos : colon - start);
    std::filesystem::path candidate = std::filesystem::path(dir.empty() ? "." : dir) / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate)) {
      return candidate;
    }
    if (colon == std::string::npos) {
      break;
    }
    start = colon + 1;
  }
  return std::nullopt;
}

void keep_tail(std::string& tail, std::string_view chunk, std::size_t limit) {
  tail.append(chunk);
  if (tail.size() > limit) {
    tail.erase(0, tail.size() - limit);
  }
}

}  // namespace

std::optional<std::filesystem::path> find_program(const std::string& program) {
  const char* path = std::getenv("PATH");
  return search_path(program, path != nullptr ? path : "/usr/bin:/bin");
}

namespace {

// In the child, before exec: a private mount namespace with `mounts` applied in order. Only
// async-signal-safe calls (the strings were built before fork); on failure it writes why to `fd`.
bool enter_mounts(const std::vector<std::pair<std::string, std::string>>& mounts, int fd) {
  auto fail = [fd](const char* what) {
    const char* reason = std::strerror(errno);  // glibc's table: no allocation
    ::write(fd, what, std::strlen(what));
    ::write(fd, reason, std::strlen(reason));
    ::write(fd, "\n", 1);
    return false;
  };
  if (::unshare(CLONE_NEWNS) != 0) {
    return fail(
        "ccbisect: cannot make a private mount namespace (run as root, or without parallel trial slots): ");
  }
  if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) {
    return fail("ccbisect: cannot make the mounts private: ");
  }
  for (const auto& [source, target] : mounts) {
    if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      return fail("ccbisect: cannot bind-mount a trial slot over the project: ");
    }
  }
  return true;
}

}  // namespace

ProcessResult run_process(const ProcessSpec& spec) {
  ProcessResult result;
  auto start = std::chrono::steady_clock::now();
  if (spec.argv.empty()) {
    result.error = "empty command";
    return result;
  }
  auto env = current_environment();
  for (const auto& [key, value] : spec.environment) {
    env[key] = value;
  }
  auto path_entry = env.find("PATH");
  auto program = search_path(spec.argv[0], path_entry != env.end() ? path_entry->second : "/usr/bin:/bin");
  if (!program) {
    result.error = "'" + spec.argv[0] + "' was not found in PATH";
    return result;
  }
  // Everything the child needs is built before fork.
  std::vector<std::string> env_strings;
  for (const auto& [key, value] : env) {
    env_strings.push_back(key + "=" + value);
  }
  std::vector<char*> env_pointers;
  for (std::string& entry : env_strings) {
    env_pointers.push_back(entry.data());
  }
  env_pointers.push_back(nullptr);
  std::vector<std::string> args = spec.argv;
  std::vector<char*> arg_pointers;
  for (std::string& arg : args) {
    arg_pointers.push_back(arg.data());
  }
  arg_pointers.push_back(nullptr);
  std::string program_path = program->string();
  std::string cwd = spec.cwd.string();
  std::vector<std::pair<std::string, std::string>> mounts;
  for (const BindMount& mount : spec.mounts) {
    mounts.emplace_back(mount.source.string(), mount.target.string());
  }

  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    result.error = std::string("pipe: ") + std::strerror(errno);
    return result;
  }
  int null_fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
  pid_t pid = ::fork();
  if (pid < 0) {
    result.error = std::string("fork: ") + std::strerror(errno);
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    ::close(null_fd);
    return result;
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    ::signal(SIGPIPE, SIG_DFL);
    if (!mounts.empty() && !enter_mounts(mounts, pipe_fds[1])) {
      ::_exit(127);
    }
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) {
      const char message[] = "ccbisect: cannot change to the working directory\n";
      ::write(pipe_fds[1], message, sizeof message - 1);
      ::_exit(127);
    }
    ::dup2(null_fd, 0);
    ::dup2(pipe_fds[1], 1);
    ::dup2(pipe_fds[1], 2);
    ::execve(program_path.c_str(), arg_pointers.data(), env_pointers.data());
    const char message[] = "ccbisect: exec failed\n";
    ::write(2, message, sizeof message - 1);
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also in the parent, so the group exists before any kill below
  if (!spec.outlives_interrupt) {
    register_process_group(pid);
  }
  ::close(pipe_fds[1]);
  ::close(null_fd);
  result.started = true;

  std::ofstream full_log;
  if (spec.full_log) {
    full_log.open(*spec.full_log, std::ios::binary | std::ios::trunc);
  }
  std::string seen;  // output kept for stop_when (bounded like the tail, but larger)
  const std::size_t seen_limit = std::max<std::size_t>(spec.tail_bytes, 256 * 1024);
  bool exited = false;
  int status = 0;
  bool pipe_open = true;
  char buffer[8192];
  while (true) {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (spec.timeout_seconds > 0 && elapsed >= spec.timeout_seconds && !exited) {
      result.timed_out = true;
      break;
    }
    if (pipe_open) {
      pollfd fd{pipe_fds[0], POLLIN, 0};
      int wait_ms = exited ? 0 : 50;
      int ready = ::poll(&fd, 1, wait_ms);
      if (ready > 0) {
        ssize_t n = ::read(pipe_fds[0], buffer, sizeof buffer);
        if (n > 0) {
          std::string_view chunk(buffer, static_cast<std::size_t>(n));
          keep_tail(result.output_tail, chunk, spec.tail_bytes);
          if (full_log.is_open()) {
            full_log.write(buffer, n);
          }
          if (spec.stop_when) {
            keep_tail(seen, chunk, seen_limit);
            if (spec.stop_when(seen)) {
              result.stopped = true;
              break;
            }
          }
          continue;  // drain eagerly before checking the child
        }
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
          pipe_open = false;
        }
      } else if (exited) {
        break;  // child gone and nothing left to read now
      }
    }
    if (!exited) {
      pid_t done = ::waitpid(pid, &status, WNOHANG);
      if (done == pid) {
        exited = true;
      } else if (!pipe_open) {
        ::usleep(5000);  // output closed early; wait for the exit without spinning
      }
    } else if (!pipe_open) {
      break;
    }
    if (exited && !pipe_open) {
      break;
    }
  }
  // Kill the whole group: on timeout or stop, and also to reap anything the child left running.
  ::kill(-pid, SIGKILL);
  if (!exited) {
    ::waitpid(pid, &status, 0);
  }
  if (!spec.outlives_interrupt) {
    unregister_process_group(pid);
  }
  result.interrupted = interrupt_signal() != 0;
  ::close(pipe_fds[0]);
  if (WIFEXITED(status)) {
    result.exit_status = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.exit_status = 128 + WTERMSIG(status);
    result.signal = WTERMSIG(status);
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

int run_inheriting(const std::vector<std::string>& argv) {
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) {
    return 127;
  }
  if (pid == 0) {
    ::execvp(pointers[0], pointers.data());
    ::_exit(127);
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    return WEXITSTATUS(status);
  }
  return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

std::string exec_replacing(const std::vector<std::string>& argv) {
  std::vector<std::string> args = argv;
  std::vector<char*> pointers;
  for (std::string& arg : args) {
    pointers.push_back(arg.data());
  }
  pointers.push_back(nullptr);
  ::execvp(pointers[0], pointers.data());
  return std::string(std::strerror(errno));
}

ProcessResult run_shell(const std::string& command, const std::filesystem::path& cwd, double timeout_seconds,
                        const std::map<std::string, std::string>& environment) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", command};
  spec.cwd = cwd;
  spec.timeout_seconds = timeout_seconds;
  spec.environment = environment;
  return run_process(spec);
}

std::vector<std::string> split_command_line(std::string_view text) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        word += c;
      }
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else if (c == '\\' && i + 1 < text.size() && std::strchr("\"\\$`\n", text[i + 1]) != nullptr) {
        word += text[++i];
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < text.size()) {
      word += text[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) {
        words.push_back(word);
        word.clear();
        in_word = false;
      }
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) {
    words.push_back(word);
  }
  return words;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& word : argv) {
    if (!out.empty()) {
      out += ' ';
    }
    bool plain =
        !word.empty() &&
        word.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=+./,:@%") ==
            std::string::npos;
    if (plain) {
      out += word;
      continue;
    }
    out += '\'';
    for (char c : word) {
      out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    }
    out += '\'';
  }
  return out;
}

std::string last_lines(const std::string& text, std::size_t lines) {
  std::size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') {
    --pos;
  }
  std::size_t count = 0;
  while (pos > 0) {
    std::size_t newline = text.rfind('\n', pos - 1);
    if (newline == std::string::npos) {
      return text;
    }
    if (++count == lines) {
      return text.substr(newline + 1);
    }
    pos = newline;
  }
  return text;
}

}  // namespace ccbisect
