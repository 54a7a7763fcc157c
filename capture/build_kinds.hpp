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
};

// Every build kind, in the order of CaptureKind.
const std::vector<BuildKind>& build_kinds();

// The objects of the build kind `config.capture` names.
CaptureSummary capture_objects(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                               const NoteSink& note);

}  // namespace ccbisect
