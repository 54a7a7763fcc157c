// `ccbisect trial-exec`: what a cluster job runs on its node (trials/slurm_executor.hpp). It links
// the mix already placed in --dir and asks the oracle there, exactly as a local trial does (the
// local executor), and writes the result with this node's name to --result for the submitting
// ccbisect, which records it. It places nothing, takes no lock and opens no database: the
// submitting host owns the workdir.
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <memory>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "bisector/errors.hpp"
#include "config/config.hpp"
#include "oracle/oracle_registry.hpp"
#include "sys/interrupt.hpp"
#include "sys/temp_file.hpp"
#include "trials/local_executor.hpp"
#include "trials/slurm_executor.hpp"

namespace ccbisect {
namespace {

struct TrialExecArguments {
  std::filesystem::path directory;
  std::filesystem::path result;
  std::vector<std::string> environment;  // KEY=VALUE
};

// SLURM's name for this node, else the host name.
std::string node_name() {
  if (const char* slurm = std::getenv("SLURMD_NODENAME"); slurm != nullptr && *slurm != '\0') {
    return slurm;
  }
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) == 0) {
    return host.data();
  }
  return "unknown";
}

int trial_exec_command(const CommonOptions& options, const TrialExecArguments& arguments) {
  install_interrupt_handlers();  // a cancelled job's SIGTERM kills the link's or the oracle's group
  Config config = load_config(options.config);
  std::map<std::string, std::string> environment;
  for (const std::string& entry : arguments.environment) {
    std::size_t equals = entry.find('=');
    if (equals == std::string::npos) {
      throw UserError(fmt::format("trial-exec --env {}: expected KEY=VALUE", entry));
    }
    environment[entry.substr(0, equals)] = entry.substr(equals + 1);
  }
  std::unique_ptr<Oracle> oracle = make_oracle(config);
  LocalExecutor local(config, *oracle);
  Execution execution = local.link_and_judge(arguments.directory, environment, {});
  if (int signal = interrupt_signal(); signal != 0) {
    // The job was cancelled (SLURM's SIGTERM): the handler killed the link or the oracle, whose
    // answer (a test script that saw its program killed may well say "fail") is no answer. No
    // result: the submitting host sees a lost job.
    return 128 + signal;
  }
  execution.result.node = node_name();
  if (const char* job = std::getenv("SLURM_JOB_ID"); job != nullptr) {
    execution.job = job;
  }
  std::error_code error;
  if (!write_file_atomically(arguments.result, execution_to_json(execution), error)) {
    throw UserError(
        fmt::format("trial-exec: cannot write the result {}: {}; is [executor] shared_dir "
                    "writable from this node?",
                    arguments.result.string(), error.message()));
  }
  return 0;
}

}  // namespace

CommandRunner trial_exec_options(CLI::App& app) {
  auto arguments = std::make_shared<TrialExecArguments>();
  app.add_option("--dir", arguments->directory, "the trial's directory, holding the placed mix")->required();
  app.add_option("--result", arguments->result, "where to write the result (JSON)")->required();
  app.add_option("--env", arguments->environment, "KEY=VALUE for the link and the oracle");
  return [arguments](const CommonOptions& options) { return trial_exec_command(options, *arguments); };
}

}  // namespace ccbisect
