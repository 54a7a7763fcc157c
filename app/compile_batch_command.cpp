// `ccbisect compile-batch`: what one task of a capture's SLURM job array runs on its node
// (capture/cluster_capture.hpp). It runs each compile of its batch file in turn, as the local
// capture would (sys/process: its own process group, a timeout), and writes each result next to
// the batch for the submitting ccbisect, which stores the objects and records the compiles. It
// opens no database and takes no lock.
#include <fstream>
#include <memory>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "app/commands.hpp"
#include "bisector/errors.hpp"
#include "capture/cluster_capture.hpp"
#include "sys/interrupt.hpp"
#include "sys/temp_file.hpp"

namespace ccbisect {
namespace {

int compile_batch_command(const std::filesystem::path& batch_file) {
  install_interrupt_handlers();  // a cancelled task's SIGTERM kills the running compile's group
  std::ifstream in(batch_file, std::ios::binary);
  if (!in) {
    throw UserError(
        fmt::format("{}: cannot read the batch; is [executor] shared_dir the same path on this node?",
                    batch_file.string()));
  }
  std::ostringstream text;
  text << in.rdbuf();
  for (const BatchCompile& compile : batch_from_json(text.str(), batch_file)) {
    ProcessSpec spec;
    spec.argv = compile.argv;
    spec.cwd = compile.cwd;
    spec.timeout_seconds = 3600;
    ProcessResult result = run_process(spec);
    if (int signal = interrupt_signal(); signal != 0) {
      return 128 + signal;  // cancelled: no result, so the submitting host compiles it itself
    }
    std::error_code error;
    if (!write_file_atomically(compile.result, process_result_to_json(result), error)) {
      throw UserError(
          fmt::format("compile-batch: cannot write {}: {}", compile.result.string(), error.message()));
    }
  }
  return 0;
}

}  // namespace

CommandRunner compile_batch_options(CLI::App& app) {
  auto batch = std::make_shared<std::filesystem::path>();
  app.add_option("--batch", *batch, "the batch of compiles (JSON)")->required();
  return [batch](const CommonOptions&) { return compile_batch_command(*batch); };
}

}  // namespace ccbisect
