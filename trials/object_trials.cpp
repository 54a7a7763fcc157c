// Object-level trials. The project tree is slot 0; with [build] parallel_trials, -j N adds N-1
// copies of it, so that N mixes can be linked and judged at once (the engine's prefetch decides
// which; the answer is the same as with one slot). On a cluster every slot is a copy under the
// executor's shared directory, which the nodes see, and the project itself is never a slot.
#include "trials/object_trials.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bisector/errors.hpp"

namespace ccbisect {

std::vector<TrialSlot> make_trial_slots(const Config& config, const std::vector<PlacedObject>& items,
                                        const std::vector<PlacedObject>& fixed, std::size_t count,
                                        const std::filesystem::path& shared_dir) {
  std::vector<TrialSlot> slots;
  if (shared_dir.empty()) {
    slots.push_back({config.project_dir,
                     std::make_unique<Workspace>(items, fixed, Originals(config.workdir_path() / "original")),
                     {}});
  }
  const std::filesystem::path workdir = config.workdir_path().lexically_normal();
  const std::filesystem::path shared =
      shared_dir.empty() ? shared_dir : std::filesystem::absolute(shared_dir).lexically_normal();
  const std::filesystem::path slots_dir = (shared_dir.empty() ? workdir : shared) / "slots";
  for (std::size_t k = slots.size(); k < count; ++k) {
    std::filesystem::path copy = slots_dir / std::to_string(k);
    std::filesystem::create_directories(copy);
    for (auto it = std::filesystem::recursive_directory_iterator(config.project_dir);
         it != std::filesystem::recursive_directory_iterator(); ++it) {
      std::filesystem::path path = it->path().lexically_normal();
      if (path == workdir || (!shared_dir.empty() && path == shared)) {
        // The workdir and the shared directory (and the slots in them) are not part of the project.
        it.disable_recursion_pending();
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
        // With its time: a build tool in the copy must see sources and objects in the same order.
        if (std::filesystem::copy_file(path, target, std::filesystem::copy_options::update_existing, error)) {
          std::filesystem::last_write_time(target, std::filesystem::last_write_time(path), error);
        }
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
    // A link that names the project's own path must see the copy there (the executor mounts it).
    bool names_project =
        config.link.find(config.project_dir.lexically_normal().string()) != std::string::npos;
    slots.push_back({copy, std::make_unique<Workspace>(moved(items), moved(fixed)),
                     names_project ? config.project_dir : std::filesystem::path()});
  }
  return slots;
}

ObjectTrialExecutor::ObjectTrialExecutor(const Config& config, std::vector<TrialSlot>& slots,
                                         Executor& executor)
    : m_config(config), m_slots(slots), m_executor(executor) {}

TrialResult ObjectTrialExecutor::run(const Subset& subset, std::size_t slot) {
  TrialSlot& where = m_slots.at(slot);
  auto place = [&]() -> std::optional<Unfit> {
    where.workspace->materialize(subset);
    return std::nullopt;
  };
  auto check = [&]() -> std::optional<Unfit> {
    std::vector<std::string> rebuilt = where.workspace->rebuilt_objects();
    if (rebuilt.empty()) {
      return std::nullopt;
    }
    // The build recompiled placed objects instead of relinking them: the trial tested the user's
    // build, not the mix, so it is no answer.
    return Unfit{
        UnresolvedReason::objects_rebuilt,
        fmt::format(
            "[ccbisect] the link command `{}` ({} build) rebuilt {} placed object(s) instead of relinking "
            "them: "
            "{}{}; this trial did not test the mix",
            m_config.link, where.workspace->build_tool(), rebuilt.size(),
            fmt::join(rebuilt.begin(),
                      rebuilt.begin() + static_cast<long>(std::min<std::size_t>(rebuilt.size(), 5)), ", "),
            rebuilt.size() > 5 ? ", …" : "")};
  };
  JudgedTrial judged = link_and_judge(where.directory, m_executor, place, {}, check, where.seen_at);
  std::lock_guard lock(m_mutex);
  m_times.place += judged.times.place;
  m_times.link += judged.times.link;
  m_times.oracle += judged.times.oracle;
  ++m_times.trials;
  return judged.result;
}

TrialTimes ObjectTrialExecutor::times() const {
  std::lock_guard lock(m_mutex);
  return m_times;
}

}  // namespace ccbisect
