// Compiles as a SLURM job array; see cluster_capture.hpp. Batches are dealt round-robin so that
// each array task gets a similar mix of the two sides' compiles. sbatch goes through sys/ like
// every process ccbisect runs.
#include "capture/cluster_capture.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/errors.hpp"
#include "sys/interrupt.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {

std::string batch_to_json(const std::vector<BatchCompile>& batch) {
  nlohmann::json out = nlohmann::json::array();
  for (const BatchCompile& compile : batch) {
    out.push_back(
        {{"argv", compile.argv}, {"cwd", compile.cwd.string()}, {"result", compile.result.string()}});
  }
  return out.dump();
}

std::vector<BatchCompile> batch_from_json(const std::string& text, const std::filesystem::path& path) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  std::vector<BatchCompile> batch;
  try {
    if (json.is_discarded() || !json.is_array()) {
      throw nlohmann::json::other_error::create(0, "not an array", nullptr);
    }
    for (const auto& compile : json) {
      batch.push_back({compile.at("argv").get<std::vector<std::string>>(),
                       compile.at("cwd").get<std::string>(), compile.at("result").get<std::string>()});
    }
  } catch (const nlohmann::json::exception& error) {
    throw UserError(fmt::format("{}: not a batch of compiles ({})", path.string(), error.what()));
  }
  return batch;
}

std::string process_result_to_json(const ProcessResult& result) {
  return nlohmann::json{{"started", result.started},         {"timed_out", result.timed_out},
                        {"exit_status", result.exit_status}, {"output_tail", result.output_tail},
                        {"seconds", result.seconds},         {"error", result.error}}
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<ProcessResult> process_result_from_json(const std::string& text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, false);
  if (json.is_discarded() || !json.is_object()) {
    return std::nullopt;
  }
  try {
    ProcessResult result;
    result.started = json.at("started").get<bool>();
    result.timed_out = json.at("timed_out").get<bool>();
    result.exit_status = json.at("exit_status").get<int>();
    result.output_tail = json.at("output_tail").get<std::string>();
    result.seconds = json.at("seconds").get<double>();
    result.error = json.at("error").get<std::string>();
    return result;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

namespace {

std::filesystem::path node_program(const Config& config) {
  if (!config.executor.program.empty()) {
    return config.project_dir / config.executor.program;
  }
  std::error_code error;
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) {
    throw UserError(fmt::format("{}: cannot tell where this ccbisect is ({}); set [executor] program",
                                config.file.string(), error.message()));
  }
  return self;
}

}  // namespace

ClusterCompiles run_compiles_on_cluster(const Config& config, const std::vector<const ProcessSpec*>& compiles,
                                        std::size_t jobs) {
  ClusterCompiles out;
  out.results.resize(compiles.size());
  if (compiles.empty()) {
    return out;
  }
  for (const char* program : {"sbatch", "squeue", "scancel"}) {
    if (!find_program(program)) {
      throw UserError(fmt::format(
          "{}: [executor] type = \"slurm\" needs `{}`, which is not in PATH: install slurm-client (or run "
          "scripts/slurm.sh start for a one-node cluster on this machine)",
          config.file.string(), program));
    }
  }
  std::error_code error;
  std::filesystem::create_directories(config.shared_path() / "capture", error);
  std::optional<std::filesystem::path> made =
      create_unique_directory(config.shared_path() / "capture", "array-", error);
  if (!made) {
    throw UserError(fmt::format("cannot create a directory under {} for the capture's job array: {}",
                                (config.shared_path() / "capture").string(), error.message()));
  }
  const std::filesystem::path dir = *made;
  // At least k_min_batch compiles a task: starting a task costs a scheduling cycle and a slurmstepd
  // (0.2-1 s here), more than 25 small compiles.
  constexpr std::size_t k_min_batch = 25;
  std::size_t tasks = std::clamp<std::size_t>((compiles.size() + k_min_batch - 1) / k_min_batch, 1,
                                              std::max<std::size_t>(1, 4 * jobs));
  std::vector<std::vector<BatchCompile>> batches(tasks);
  for (std::size_t i = 0; i < compiles.size(); ++i) {
    batches[i % tasks].push_back(
        {compiles[i]->argv, compiles[i]->cwd, dir / fmt::format("result-{}.json", i)});
  }
  for (std::size_t t = 0; t < tasks; ++t) {
    std::filesystem::path file = dir / fmt::format("batch-{}.json", t);
    if (!write_file_atomically(file, batch_to_json(batches[t]), error)) {
      throw UserError(fmt::format("cannot write {}: {}", file.string(), error.message()));
    }
  }
  std::string name = fmt::format("ccbisect-capture-{}", ::getpid());
  std::string wrap = shell_join({node_program(config).string(), "--quiet", "compile-batch", "--batch"}) +
                     " " + shell_join({(dir / "batch-").string()}) + "\"${SLURM_ARRAY_TASK_ID}\".json";
  std::vector<std::string> argv = {"sbatch",
                                   "--parsable",
                                   "--job-name=" + name,
                                   fmt::format("--array=0-{}", tasks - 1),
                                   "--output=" + (dir / "task-%a.out").string(),
                                   "--chdir=" + dir.string()};
  if (!config.executor.partition.empty()) {
    argv.push_back("--partition=" + config.executor.partition);
  }
  argv.insert(argv.end(), config.executor.srun_options.begin(), config.executor.srun_options.end());
  argv.insert(argv.end(), {"--wrap", wrap});
  ProcessSpec spec;
  spec.argv = argv;
  spec.timeout_seconds = 300;
  ProcessResult sbatch = run_process(spec);
  std::string job = sbatch.output_tail.substr(0, sbatch.output_tail.find_first_of(";\n"));
  auto cancel = [&] {
    ProcessSpec scancel;
    scancel.argv = {"scancel", "--name=" + name};
    scancel.timeout_seconds = 30;
    scancel.outlives_interrupt = true;
    run_process(scancel);
  };
  if (sbatch.interrupted) {
    cancel();
    throw Interrupted(interrupt_signal());
  }
  if (!sbatch.started || sbatch.exit_status != 0 || job.empty() ||
      job.find_first_not_of("0123456789") != std::string::npos) {
    throw UserError(fmt::format("{}: [executor] SLURM refused the capture's job array `{}`: {}",
                                config.file.string(), shell_join(argv),
                                last_lines(sbatch.started ? sbatch.output_tail : sbatch.error, 5)));
  }
  // Wait until no task of the array is pending or running. squeue every half second rather than
  // `sbatch --wait`, whose poll doubles its sleep (2, 4, 8 s …) and so adds up to half the array's
  // own time.
  while (true) {
    ProcessSpec poll;
    poll.argv = {"squeue", "-h", "-j", job, "-o", "%T"};
    poll.timeout_seconds = 60;
    ProcessResult queued = run_process(poll);
    if (queued.interrupted) {
      cancel();
      throw Interrupted(interrupt_signal());
    }
    if (queued.started && queued.exit_status == 0 &&
        queued.output_tail.find_first_not_of(" \n") == std::string::npos) {
      break;  // every task ended (squeue lists none)
    }
    if (queued.started && queued.exit_status != 0 &&
        queued.output_tail.find("Invalid job id") != std::string::npos) {
      break;  // already purged from the controller
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  out.array_tasks = tasks;
  for (std::size_t i = 0; i < compiles.size(); ++i) {
    std::optional<std::string> text = read_whole_file(dir / fmt::format("result-{}.json", i));
    std::optional<ProcessResult> result = text ? process_result_from_json(*text) : std::nullopt;
    if (!result) {
      // Its task was cancelled or lost its node: the unit is compiled here rather than lost.
      result = run_process(*compiles[i]);
      ++out.run_here;
    }
    out.results[i] = std::move(*result);
  }
  std::filesystem::remove_all(dir, error);
  return out;
}

}  // namespace ccbisect
