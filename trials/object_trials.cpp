// Object-level trials. The project tree is slot 0; with [build] parallel_trials, -j N adds N-1
// copies of it, so that N mixes can be linked and judged at once (the engine's prefetch decides
// which; the answer is the same as with one slot).
#include "trials/object_trials.hpp"

#include <chrono>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "sys/process.hpp"

namespace ccbisect {

std::vector<TrialSlot> make_trial_slots(const Config& config, const std::vector<PlacedObject>& items,
                                        const std::vector<PlacedObject>& fixed, std::size_t count) {
  std::vector<TrialSlot> slots;
  slots.push_back({config.project_dir,
                   std::make_unique<Workspace>(items, fixed, Originals(config.workdir_path() / "original"))});
  const std::filesystem::path workdir = config.workdir_path().lexically_normal();
  for (std::size_t k = 1; k < count; ++k) {
    std::filesystem::path copy = workdir / "slots" / std::to_string(k);
    std::filesystem::create_directories(copy);
    for (auto it = std::filesystem::recursive_directory_iterator(config.project_dir);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
      std::filesystem::path path = it->path().lexically_normal();
      if (path == workdir) {
        it.disable_recursion_pending();  // the workdir (and the slots in it) is not part of the project
        continue;
      }
      std::filesystem::path target = copy / path.lexically_relative(config.project_dir);
      std::error_code error;
      if (it->is_symlink()) {
        std::filesystem::remove(target, error);
        std::filesystem::copy_symlink(path, target, error);
      } else if (it->is_directory()) {
        std::filesystem::create_directories(target, error);
      } else {
        std::filesystem::copy_file(path, target, std::filesystem::copy_options::update_existing, error);
      }
      if (error) {
        throw UserError(fmt::format("cannot copy {} to the trial slot {}: {}", path.string(), copy.string(),
                                    error.message()));
      }
    }
    auto moved = [&](std::vector<PlacedObject> objects) {
      for (PlacedObject& object : objects) {
        std::filesystem::path relative = object.output.lexically_relative(config.project_dir);
        if (relative.empty() || relative.string().rfind("..", 0) == 0) {
          throw UserError(
              fmt::format("[build] parallel_trials: {} lies outside {}, so a copy of the project "
                          "cannot hold it; turn parallel_trials off",
                          object.output.string(), config.project_dir.string()));
        }
        object.output = copy / relative;
      }
      return objects;
    };
    slots.push_back({copy, std::make_unique<Workspace>(moved(items), moved(fixed))});
  }
  return slots;
}

ObjectTrialExecutor::ObjectTrialExecutor(const Config& config, std::vector<TrialSlot>& slots, Oracle& oracle)
    : m_config(config), m_slots(slots), m_oracle(oracle) {}

TrialResult ObjectTrialExecutor::run(const Subset& subset, std::size_t slot) {
  TrialResult result;
  result.started_at = utc_timestamp();
  auto start = std::chrono::steady_clock::now();
  TrialSlot& where = m_slots.at(slot);
  where.workspace->materialize(subset);
  double place = seconds_since(start);

  ProcessResult link = run_shell(m_config.link, where.directory, m_config.link_timeout);
  double link_seconds = link.seconds;
  double oracle_seconds = 0.0;
  if (!link.started || link.timed_out || link.exit_status != 0) {
    result.outcome = Outcome::unresolved;
    result.log_tail =
        fmt::format("[ccbisect] link `{}` {}:\n{}", m_config.link,
                    link.timed_out ? "timed out" : fmt::format("failed (exit {})", link.exit_status),
                    last_lines(link.started ? link.output_tail : link.error, 15));
  } else if (std::vector<std::string> rebuilt = where.workspace->rebuilt_objects(); !rebuilt.empty()) {
    // The build recompiled placed objects instead of relinking them: the trial tested the user's
    // build, not the mix, so it is no answer.
    result.outcome = Outcome::unresolved;
    result.log_tail = fmt::format(
        "[ccbisect] the link command `{}` ({} build) rebuilt {} placed object(s) instead of relinking them: "
        "{}{}; this trial did not test the mix",
        m_config.link, where.workspace->build_tool(), rebuilt.size(),
        fmt::join(rebuilt.begin(),
                  rebuilt.begin() + static_cast<long>(std::min<std::size_t>(rebuilt.size(), 5)), ", "),
        rebuilt.size() > 5 ? ", …" : "");
  } else {
    OracleVerdict verdict = m_oracle.judge(where.directory);
    oracle_seconds = verdict.seconds;
    result.outcome = verdict.outcome;
    result.exit_status = verdict.exit_status;
    result.log_tail = verdict.log_tail;
  }
  result.seconds = seconds_since(start);
  result.ended_at = utc_timestamp();
  std::lock_guard lock(m_mutex);
  m_times.place += place;
  m_times.link += link_seconds;
  m_times.oracle += oracle_seconds;
  ++m_times.trials;
  return result;
}

TrialTimes ObjectTrialExecutor::times() const {
  std::lock_guard lock(m_mutex);
  return m_times;
}

}  // namespace ccbisect
