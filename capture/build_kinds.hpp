// The build kinds: how the objects of `[build] capture = "..."` are obtained. Adding a build kind =
// its capture code in one new file, its value in CaptureKind (config.hpp), one row in
// build_kinds(), and its test.
#pragma once

#include <cstddef>
#include <vector>

#include "capture/capture.hpp"

namespace ccbisect {

struct BuildKind {
  CaptureKind kind;
  const char* description;
  // Every translation unit with its good and bad object (compiled now, found in the store, or
  // recorded by an earlier `ccbisect capture`). Throws UserError when they cannot be had.
  CaptureSummary (*objects)(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                            const NoteSink& note);
  // Fills in what this kind derives for the user (kbuild: the relink line, the kernel to boot);
  // null when the file says everything.
  void (*complete)(Config& config) = nullptr;
};

// Every build kind, in the order of CaptureKind.
const std::vector<BuildKind>& build_kinds();

// What the build kind `config.capture` derives, filled into `config` (before anything reads
// [build] link or the oracle's kernel). Throws UserError naming the key it cannot derive.
void complete_build_config(Config& config);

// The objects of the build kind `config.capture` names.
CaptureSummary capture_objects(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                               const NoteSink& note);

}  // namespace ccbisect
