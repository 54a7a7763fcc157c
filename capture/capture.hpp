// Capture: the objects of every translation unit, built once with the good and once with the bad
// toolchain, in the object store. Two ways in:
//
// * from compile_commands.json: ccbisect compiles each entry itself with each side's compiler and
//   flags, in parallel (-j), each TU at most once per toolchain ever;
// * through the compiler wrapper, for builds that must run their own build system (Make, Kbuild):
//   `ccbisect capture --side good -- make CC=ccbisect-cc` runs the build with <workdir>/bin first in
//   PATH; `ccbisect-cc` / `ccbisect-c++` run the side's real compiler (plus its flags) and record each
//   compile; when the build ends, every recorded object is copied into the store as the build left it
//   (after any post-processing such as Kbuild's objtool).
#pragma once

#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "capture/object_store.hpp"
#include "config/config.hpp"
#include "db/store.hpp"

namespace ccbisect {

struct TranslationUnit {
  std::string name;              // the object path relative to the project directory
  std::filesystem::path output;  // absolute path where the build expects the object
  std::filesystem::path source;
  std::string good_object;  // hash in the object store; empty when that side failed to compile
  std::string bad_object;
  std::string good_log;  // compiler output when it failed
  std::string bad_log;
  // How each side compiled it: the compdb entry, or the wrapper's recorded command. Later levels
  // recompile the culprit from these (flags, probes, passes).
  std::optional<CompileEntry> good_entry;
  std::optional<CompileEntry> bad_entry;
};

struct CaptureSummary {
  std::vector<TranslationUnit> units;
  std::size_t compiled = 0;  // compiles run now
  std::size_t reused = 0;    // compiles found in the store
  double seconds = 0.0;
};

using NoteSink = std::function<void(const std::string&)>;

// Compiles every compdb entry with both sides (at most `jobs` at once).
CaptureSummary capture_from_compdb(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                                   const NoteSink& note);

// The capture's progress line: compiles done per side out of `total` each, the time so far, and an
// estimate of what is left (the pace so far over what remains), e.g.
// "[capture] good 12/53, bad 11/53 compiles (40 s so far, about 2.3 min left)".
std::string capture_progress(std::size_t good_done, std::size_t bad_done, std::size_t total, double seconds);

// Runs `build` (argv) with the wrapper for `side` ("good" or "bad") and stores what it compiled.
// Returns the number of objects recorded. Throws UserError if the build fails.
std::size_t capture_with_wrapper(const Config& config, const std::string& side,
                                 const std::vector<std::string>& build, ObjectStore& objects,
                                 const NoteSink& note);

// Where wrapper captures keep their records (<workdir>/capture).
std::filesystem::path capture_dir(const Config& config);

// [build] drop_flags as the wrapper reads it (CCBISECT_WRAP_DROP: one option per line).
std::string wrapper_drop_list(const Config& config);

// The units recorded by earlier wrapper captures of both sides. Throws UserError if a side is missing.
CaptureSummary load_wrapper_capture(const Config& config);

// The compiler-wrapper entry point (argv[0] is ccbisect-cc or ccbisect-c++); returns the exit status.
int run_compiler_wrapper(int argc, char** argv);

// Whether argv[0] names the wrapper.
bool is_wrapper_invocation(const char* argv0);

}  // namespace ccbisect
