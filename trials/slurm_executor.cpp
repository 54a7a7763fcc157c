// The SLURM executor; see slurm_executor.hpp for the protocol. Every process goes through sys/
// (run_process): srun for the trial, scancel for a job whose srun was killed.
#include "trials/slurm_executor.hpp"

#include <unistd.h>

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "sys/process.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {

std::string execution_to_json(const Execution& execution) {
  const TrialResult& r = execution.result;
  return nlohmann::json{{"outcome", std::string(to_string(r.outcome))},
                        {"reason", std::string(to_string(r.reason))},
                        {"exit_status", r.exit_status},
                        {"log_tail", r.log_tail},
                        {"node", r.node},
                        {"job", execution.job},
                        {"link_seconds", execution.link_seconds},
                        {"oracle_seconds", execution.oracle_seconds}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Execution> execution_from_json(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return std::nullopt;
  }
  try {
    Execution execution;
    TrialResult& r = execution.result;
    std::optional<Outcome> outcome = parse_outcome(json.at("outcome").get<std::string>());
    if (!outcome) {
      return std::nullopt;
    }
    r.outcome = *outcome;
    r.reason = r.outcome == Outcome::unresolved
                   ? parse_unresolved_reason(json.at("reason").get<std::string>())
                   : UnresolvedReason::none;
    r.exit_status = json.at("exit_status").get<int>();
    r.log_tail = json.at("log_tail").get<std::string>();
    r.node = json.at("node").get<std::string>();
    execution.link_seconds = json.at("link_seconds").get<double>();
    execution.oracle_seconds = json.at("oracle_seconds").get<double>();
    execution.job = json.value("job", "");
    return execution;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

namespace {

// srun refusing the job outright (a partition that does not exist, options the cluster rejects):
// no trial can run, which is a configuration mistake rather than a lost job.
bool refused(const ProcessResult& srun) {
  return srun.exit_status != 0 && srun.output_tail.find("Unable to allocate resources") != std::string::npos;
}

// Whether SLURM says the job ended other than by completing (cancelled, preempted, its node failed,
// …). A job cancelled while its oracle ran can still have written a result: the oracle may have
// seen its own children killed first and answered "fail" before trial-exec got its SIGTERM. The
// controller's word on the job is the last check; a job it no longer knows (purged) passes.
bool ended_badly(const std::string& job) {
  if (job.empty()) {
    return false;
  }
  ProcessSpec spec;
  spec.argv = {"scontrol", "-o", "show", "job", job};
  spec.timeout_seconds = 30;
  ProcessResult shown = run_process(spec);
  for (const char* state : {"CANCELLED", "PREEMPTED", "NODE_FAIL", "FAILED", "TIMEOUT", "BOOT_FAIL",
                            "DEADLINE", "OUT_OF_MEMORY", "REVOKED"}) {
    if (shown.output_tail.find(std::string("JobState=") + state) != std::string::npos) {
      return true;
    }
  }
  return false;
}

}  // namespace

SlurmExecutor::SlurmExecutor(const Config& config) : m_config(config) {
  for (const char* program : {"srun", "scancel", "scontrol"}) {
    if (!find_program(program)) {
      throw UserError(fmt::format(
          "{}: [executor] type = \"slurm\" needs `{}`, which is not in PATH: install slurm-client (or run "
          "scripts/slurm.sh start for a one-node cluster on this machine)",
          config.file.string(), program));
    }
  }
  if (!config.executor.program.empty()) {
    m_program = config.project_dir / config.executor.program;
  } else {
    std::error_code error;
    m_program = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error) {
      throw UserError(fmt::format("{}: cannot tell where this ccbisect is ({}); set [executor] program",
                                  config.file.string(), error.message()));
    }
  }
}

Execution SlurmExecutor::link_and_judge(const std::filesystem::path& directory,
                                        const std::map<std::string, std::string>& environment,
                                        const TrialStep& check, const std::filesystem::path& seen_at) {
  if (!seen_at.empty()) {
    throw UserError(fmt::format(
        "[executor] type = \"slurm\": the link `{}` names the project's own path ({}), so a trial slot "
        "must be shown there while it links, which the cluster's nodes do not do yet; use the local "
        "executor for this project",
        m_config.link, seen_at.string()));
  }
  std::string name = fmt::format("ccbisect-{}-{}", ::getpid(), ++m_sequence);
  std::filesystem::path results = m_config.shared_path() / "jobs";
  std::filesystem::create_directories(results);
  std::filesystem::path result_file = results / (name + ".json");
  std::filesystem::remove(result_file);

  // The configuration the node reads: the trial directory's copy of ours (a slot is a copy of the
  // project, which holds it), so that the node needs nothing but the shared directory.
  std::filesystem::path config_file = directory / m_config.file.lexically_relative(m_config.project_dir);
  std::vector<std::string> argv = {"srun", "--job-name=" + name, "--ntasks=1", "--nodes=1",
                                   "--chdir=" + directory.string()};
  if (!m_config.executor.partition.empty()) {
    argv.push_back("--partition=" + m_config.executor.partition);
  }
  argv.insert(argv.end(), m_config.executor.srun_options.begin(), m_config.executor.srun_options.end());
  argv.insert(argv.end(), {m_program.string(), "--quiet", "trial-exec", "--config", config_file.string(),
                           "--dir", directory.string(), "--result", result_file.string()});
  for (const auto& [key, value] : environment) {
    argv.push_back("--env");
    argv.push_back(key + "=" + value);
  }
  ProcessSpec spec;
  spec.argv = argv;
  ProcessResult srun = run_process(spec);

  Execution execution;
  // Only a job step that ended well answers: trial-exec exits 0 once it wrote its result, so any
  // other status (cancelled, killed, node lost) leaves even a result file unread.
  std::optional<std::string> text = srun.exit_status == 0 ? read_whole_file(result_file) : std::nullopt;
  std::optional<Execution> remote = text ? execution_from_json(*text) : std::nullopt;
  std::filesystem::remove(result_file);
  if (remote && ended_badly(remote->job)) {
    remote.reset();
  }
  if (srun.interrupted || (!remote && srun.started)) {
    // Ctrl-C killed srun, or the job ended without an answer: make sure it is gone from the cluster.
    ProcessSpec cancel;
    cancel.argv = {"scancel", "--name=" + name};
    cancel.timeout_seconds = 30;
    cancel.outlives_interrupt = true;
    run_process(cancel);
  }
  if (!remote) {
    if (refused(srun)) {
      throw UserError(fmt::format("{}: [executor] SLURM refused the job `{}`: {}", m_config.file.string(),
                                  shell_join(argv), last_lines(srun.output_tail, 5)));
    }
    execution.result.outcome = Outcome::unresolved;
    execution.result.reason = UnresolvedReason::executor_lost;
    execution.result.log_tail =
        fmt::format("[ccbisect] SLURM job {} ended without a result ({}):\n{}", name,
                    srun.started ? fmt::format("srun exit {}", srun.exit_status) : srun.error,
                    last_lines(srun.output_tail, 15));
    return execution;
  }
  execution = std::move(*remote);
  if (execution.result.reason != UnresolvedReason::link_failed) {
    // The node linked the mix; whether the build really used it is checked here, on the shared tree.
    if (std::optional<Unfit> not_linked = check ? check() : std::nullopt) {
      execution.result.outcome = Outcome::unresolved;
      execution.result.reason = not_linked->reason;
      execution.result.log_tail = std::move(not_linked->log);
      execution.result.exit_status = -1;
    }
  }
  return execution;
}

}  // namespace ccbisect
