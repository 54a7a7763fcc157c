// The build-kind registry: one row per `[build] capture` value, naming how its objects are had.
// The object level asks this table, never the kind's name.
#include "capture/build_kinds.hpp"

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "capture/kbuild.hpp"

namespace ccbisect {
namespace {

// The wrapper's objects were recorded by `ccbisect capture --side good|bad -- BUILD` beforehand.
// Kbuild's generated module info (modpost writes *.mod.c at every module link) is no candidate.
CaptureSummary recorded_by_wrapper(const Config& config, Store&, ObjectStore&, std::size_t, const NoteSink&) {
  CaptureSummary summary = load_wrapper_capture(config);
  std::erase_if(summary.units, [](const TranslationUnit& unit) { return unit.name.ends_with(".mod.o"); });
  return summary;
}

}  // namespace

const std::vector<BuildKind>& build_kinds() {
  static const std::vector<BuildKind> kinds = {
      {CaptureKind::compdb, "compile each compile_commands.json entry with both sides", capture_from_compdb},
      {CaptureKind::wrapper, "the objects a build run through ccbisect-cc left (ccbisect capture)",
       recorded_by_wrapper},
      {CaptureKind::kbuild, "Kbuild (a kernel, or a module with M=), captured and relinked by ccbisect",
       capture_kbuild, complete_kbuild_config},
  };
  return kinds;
}

void complete_build_config(Config& config) {
  for (const BuildKind& kind : build_kinds()) {
    if (kind.kind == config.capture && kind.complete != nullptr) {
      kind.complete(config);
    }
  }
}

CaptureSummary capture_objects(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                               const NoteSink& note) {
  for (const BuildKind& kind : build_kinds()) {
    if (kind.kind == config.capture) {
      return kind.objects(config, store, objects, jobs, note);
    }
  }
  throw UserError(fmt::format("{}: [build] capture = \"{}\" has no build kind in this build of ccbisect",
                              config.file.string(), name_of(config.capture)));
}

}  // namespace ccbisect
