// The one console of the executable. Everything ccbisect prints goes through it, so that the
// user's choice of quiet / normal / verbose, and `--json`, hold for every command alike:
// * stdout carries the command's answer only: the culprits one per line (human mode) or one JSON
//   document (`--json`, nothing else is ever written there);
// * stderr carries progress and summaries (silenced by -q), details (only with -v), warnings and
//   errors (always).
#pragma once

#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace ccbisect {

enum class Verbosity { quiet, normal, verbose };

class Console {
 public:
  void configure(Verbosity verbosity, bool json);
  Verbosity verbosity() const { return m_verbosity; }
  bool json_mode() const { return m_json; }

  // A line of the command's answer on stdout; dropped in JSON mode (the document says it all).
  void answer(const std::string& line);
  // The command's one JSON document on stdout.
  void json(const nlohmann::json& document);
  // Text written to stdout as it is (a rendered report asked for on stdout).
  void raw(std::string_view text);
  // Progress and summaries on stderr, unless quiet.
  void note(const std::string& line);
  // Details on stderr, only when verbose.
  void detail(const std::string& line);
  // Warnings and errors on stderr, whatever the verbosity.
  void warn(const std::string& line);
  // A sink for the engine's progress lines (bisector::Prober): `note`, or empty when quiet.
  std::function<void(const std::string&)> progress_sink();

 private:
  void write(std::FILE* stream, std::string_view text);

  Verbosity m_verbosity = Verbosity::normal;
  bool m_json = false;
  std::mutex m_mutex;  // trials report progress from several threads
};

// The process's console, configured by `run_cli` from -q / -v / --json.
Console& console();

// Shorthand for console().note(line).
void note(const std::string& line);

}  // namespace ccbisect
