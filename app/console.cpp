// The console: one place that decides what reaches stdout and stderr (see console.hpp). Lines are
// written whole under a mutex, so progress from parallel trials never interleaves mid-line.
#include "app/console.hpp"

#include <cstdio>

namespace ccbisect {

void Console::configure(Verbosity verbosity, bool json) {
  m_verbosity = verbosity;
  m_json = json;
}

void Console::write(std::FILE* stream, std::string_view text) {
  std::lock_guard lock(m_mutex);
  std::fwrite(text.data(), 1, text.size(), stream);
  std::fflush(stream);
}

void Console::answer(const std::string& line) {
  if (!m_json) {
    write(stdout, line + "\n");
  }
}

void Console::json(const nlohmann::json& document) { write(stdout, document.dump() + "\n"); }

void Console::raw(std::string_view text) { write(stdout, text); }

void Console::note(const std::string& line) {
  if (m_verbosity != Verbosity::quiet) {
    write(stderr, line + "\n");
  }
}

void Console::detail(const std::string& line) {
  if (m_verbosity == Verbosity::verbose) {
    write(stderr, line + "\n");
  }
}

void Console::warn(const std::string& line) { write(stderr, line + "\n"); }

std::function<void(const std::string&)> Console::progress_sink() {
  if (m_verbosity == Verbosity::quiet) {
    return {};
  }
  return [this](const std::string& line) { note(line); };
}

Console& console() {
  static Console instance;
  return instance;
}

void note(const std::string& line) { console().note(line); }

}  // namespace ccbisect
