// The SLURM executor: each trial's link and oracle run as one `srun` job on a cluster node.
//
// The submitting ccbisect places the mix in a slot under [executor] shared_dir (a directory every
// node sees), then runs, for each trial in flight,
//   srun --job-name=ccbisect-<pid>-<n> --chdir=<slot> … <ccbisect> trial-exec --dir <slot> --result F
// and waits for it. On the node, `trial-exec` runs the local executor (the same link and oracle as
// a local trial) and writes the result, with SLURMD_NODENAME, to F (also under shared_dir); the
// store stays on the submitting host, which reads F back and records the trial with its node.
// A job that does not end well (srun's status not 0: cancelled, preempted, its node lost, srun
// killed) or without writing F is `executor_lost`, whatever F says, and the Prober runs it once
// more; trial-exec itself writes no result once a signal stopped it, since a test script whose
// program was killed may well answer "fail", and a result whose job SLURM reports cancelled,
// preempted or failed (scontrol show job) is not read either. When Ctrl-C kills an `srun`, its job is
// cancelled by name (`scancel`), so no job outlives the search.
#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "bisector/executor.hpp"
#include "config/config.hpp"

namespace ccbisect {

class SlurmExecutor : public Executor {
 public:
  // Throws UserError naming [executor] if srun, scancel or scontrol is not in PATH.
  explicit SlurmExecutor(const Config& config);
  Execution link_and_judge(const std::filesystem::path& directory,
                           const std::map<std::string, std::string>& environment, const TrialStep& check,
                           const std::filesystem::path& seen_at = {}) override;
  std::size_t jobs() const override { return static_cast<std::size_t>(m_config.executor.jobs); }
  std::filesystem::path shared_dir() const override { return m_config.shared_path(); }

 private:
  const Config& m_config;
  std::filesystem::path m_program;  // the ccbisect the nodes run
  std::atomic<unsigned> m_sequence{0};
};

// What `ccbisect trial-exec` writes for the submitting host: the execution as one JSON object.
std::string execution_to_json(const Execution& execution);
// The execution read back, or nothing if `text` is not one (a job that died while writing).
std::optional<Execution> execution_from_json(const std::string& text);

}  // namespace ccbisect
