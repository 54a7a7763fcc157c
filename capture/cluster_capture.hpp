// Captures on a SLURM cluster ([executor] type = "slurm"): the compiles that the store cannot reuse
// go out as one job array (`sbatch --array`, then squeue until it is done), in batches, each array task
// running `ccbisect compile-batch` on its node; the objects land in the same content-addressed store through
// the same finish_compile as a local capture, so keys, cache and objects do not depend on where a compile
// ran.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "capture/object_store.hpp"
#include "config/config.hpp"

namespace ccbisect {

// One compile of a batch, as `ccbisect compile-batch` reads it and writes its result.
struct BatchCompile {
  std::vector<std::string> argv;
  std::filesystem::path cwd;
  std::filesystem::path result;  // where the node writes the ProcessResult (JSON)
};
std::string batch_to_json(const std::vector<BatchCompile>& batch);
// Throws UserError naming `path` if `text` is not a batch.
std::vector<BatchCompile> batch_from_json(const std::string& text, const std::filesystem::path& path);
std::string process_result_to_json(const ProcessResult& result);
std::optional<ProcessResult> process_result_from_json(const std::string& text);

struct ClusterCompiles {
  std::vector<ProcessResult> results;  // one per compile, in order
  std::size_t array_tasks = 0;         // how many array tasks the compiles went out as
  std::size_t run_here = 0;            // compiles whose task came back without a result, run here
};

// Runs each compile's spec (their scratch files under [executor] shared_dir) as tasks of one SLURM
// job array of at most 4 * `jobs` tasks of at least 25 compiles, and waits for it. A compile whose task left
// no result (the task was cancelled or its node lost) is run here instead, so a capture never loses a unit.
// Throws UserError if sbatch, squeue or scancel is missing or sbatch refuses the array,
// Interrupted on Ctrl-C (after scancel of the array).
ClusterCompiles run_compiles_on_cluster(const Config& config, const std::vector<const ProcessSpec*>& compiles,
                                        std::size_t jobs);

}  // namespace ccbisect
