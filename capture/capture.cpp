// Capture from a compilation database or through the compiler wrapper; see capture.hpp.
#include "capture/capture.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <map>
#include <mutex>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "capture/cluster_capture.hpp"
#include "sys/parallel.hpp"
#include "sys/process.hpp"
#include "toolchain/compiler.hpp"

namespace ccbisect {
namespace {

constexpr const char* k_wrapper_c = "ccbisect-cc";
constexpr const char* k_wrapper_cxx = "ccbisect-c++";

std::string unit_name(const Config& config, const std::filesystem::path& output) {
  std::filesystem::path relative = output.lexically_relative(config.project_dir);
  if (relative.empty() || relative.string().rfind("..", 0) == 0) {
    return output.string();
  }
  return relative.string();
}

// A compiler that does not exist would fail every compile of its side, and the search would end "no
// object differs" (exit 3), which reads as a verdict. Name it instead, before any compile.
void require_compilers(const Config& config, const std::vector<CompileEntry>& entries) {
  bool any_c = false;
  bool any_cxx = false;
  for (const CompileEntry& entry : entries) {
    (entry.is_cxx ? any_cxx : any_c) = true;
  }
  for (const auto& [section, side] : {std::pair{"good", &config.good}, std::pair{"bad", &config.bad}}) {
    for (bool cxx : {false, true}) {
      if (!(cxx ? any_cxx : any_c)) {
        continue;
      }
      std::string compiler = compiler_for(*side, cxx);
      std::error_code error;
      bool found = compiler.find('/') == std::string::npos
                       ? find_program(compiler).has_value()
                       : std::filesystem::is_regular_file(config.project_dir / compiler, error) &&
                             ::access((config.project_dir / compiler).c_str(), X_OK) == 0;
      if (!found) {
        throw UserError(
            fmt::format("{}: [{}] {} = \"{}\": no such compiler ({}); install it, or name one that "
                        "exists",
                        config.file.string(), section, cxx ? "cxx" : "cc", compiler,
                        compiler.find('/') == std::string::npos ? "not on PATH" : "not an executable file"));
      }
    }
  }
}

constexpr double k_progress_seconds = 5;

}  // namespace

std::string capture_progress(std::size_t good_done, std::size_t bad_done, std::size_t total, double seconds) {
  std::size_t done = good_done + bad_done;
  std::string line = fmt::format("[capture] good {}/{}, bad {}/{} compiles ({:.0f} s so far", good_done,
                                 total, bad_done, total, seconds);
  if (done == 0 || done >= 2 * total) {
    return line + ")";
  }
  double left = seconds / static_cast<double>(done) * static_cast<double>(2 * total - done);
  return line + (left < 90 ? fmt::format(", about {:.0f} s left)", left)
                           : fmt::format(", about {:.1f} min left)", left / 60));
}

CaptureSummary capture_from_compdb(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                                   const NoteSink& note) {
  auto start = std::chrono::steady_clock::now();
  std::vector<CompileEntry> entries = read_compdb(config.compdb_path());
  CaptureSummary summary;
  summary.units.resize(entries.size());
  for (std::size_t i = 0; i < entries.size(); ++i) {
    summary.units[i].name = unit_name(config, entries[i].output);
    summary.units[i].output = entries[i].output;
    summary.units[i].source = entries[i].source;
    summary.units[i].good_entry = entries[i];
    summary.units[i].bad_entry = entries[i];
  }
  require_compilers(config, entries);
  std::vector<std::string> good_flags = split_command_line(config.good.flags);
  std::vector<std::string> bad_flags = split_command_line(config.bad.flags);

  struct Task {
    std::size_t unit = 0;
    bool good = false;
  };
  std::vector<Task> tasks;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    tasks.push_back({i, true});
    tasks.push_back({i, false});
  }
  std::atomic<std::size_t> compiled{0};
  std::atomic<std::size_t> reused{0};
  // A capture of a real project takes minutes: a progress line every k_progress_seconds at most.
  std::mutex progress_mutex;
  std::size_t done[2] = {0, 0};  // bad, good
  double last_progress = 0;
  auto keep = [&](const Task& task, const CompileOutcome& out) {
    (out.cached ? reused : compiled)++;
    TranslationUnit& unit = summary.units[task.unit];
    (task.good ? unit.good_object : unit.bad_object) = out.row.object_hash;
    if (out.row.object_hash.empty()) {
      (task.good ? unit.good_log : unit.bad_log) = out.row.log;
    }
    std::lock_guard lock(progress_mutex);
    ++done[task.good ? 1 : 0];
    double now = seconds_since(start);
    if (note && now - last_progress >= k_progress_seconds && done[0] + done[1] < tasks.size()) {
      last_progress = now;
      note(capture_progress(done[1], done[0], entries.size(), now));
    }
  };
  auto prepare = [&](const Task& task, const ObjectStore& scratch) {
    const CompileEntry& entry = entries[task.unit];
    const ToolchainSide& side = task.good ? config.good : config.bad;
    return prepare_compile(entry, task.good ? "good" : "bad", compiler_for(side, entry.is_cxx),
                           task.good ? good_flags : bad_flags, scratch, store);
  };
  if (config.executor.type == ExecutorType::slurm) {
    // On the cluster: the compiles the store cannot reuse go out as one job array, writing into
    // scratch files under the shared directory; the store records them here, as a local capture does.
    ObjectStore scratch(config.shared_path() / "capture");
    std::vector<PreparedCompile> prepared;
    std::vector<Task> pending;
    for (const Task& task : tasks) {
      PreparedCompile compile = prepare(task, scratch);
      if (std::optional<CompileOutcome> out = reuse_compile(compile, objects)) {
        keep(task, *out);
      } else {
        prepared.push_back(std::move(compile));
        pending.push_back(task);
      }
    }
    std::vector<const ProcessSpec*> specs;
    for (const PreparedCompile& compile : prepared) {
      specs.push_back(&compile.spec);
    }
    ClusterCompiles ran = run_compiles_on_cluster(config, specs, jobs);
    for (std::size_t i = 0; i < prepared.size(); ++i) {
      keep(pending[i], finish_compile(prepared[i], ran.results[i], objects, store));
    }
    if (note && !prepared.empty()) {
      note(fmt::format(
          "[capture] {} compiles ran on the SLURM cluster as {} array tasks{}", prepared.size(),
          ran.array_tasks,
          ran.run_here > 0 ? fmt::format(" ({} lost with their task, compiled here)", ran.run_here) : ""));
    }
  } else {
    // 2N independent compiles on a small pool of threads; each writes only its own unit's fields.
    parallel_for_each(tasks, jobs, [&](const Task& task) {
      PreparedCompile compile = prepare(task, objects);
      std::optional<CompileOutcome> out = reuse_compile(compile, objects);
      keep(task, out ? *out : finish_compile(compile, run_process(compile.spec), objects, store));
    });
  }
  summary.compiled = compiled;
  summary.reused = reused;
  summary.seconds = seconds_since(start);
  if (note) {
    note(fmt::format("[capture] {} translation units: {} compiles run, {} reused from the store ({:.1f} s)",
                     entries.size(), summary.compiled, summary.reused, summary.seconds));
  }
  return summary;
}

std::filesystem::path capture_dir(const Config& config) { return config.workdir_path() / "capture"; }

std::string wrapper_drop_list(const Config& config) {
  return fmt::format("{}", fmt::join(config.drop_flags, "\n"));
}

bool is_wrapper_invocation(const char* argv0) {
  std::string name = std::filesystem::path(argv0).filename().string();
  return name == k_wrapper_c || name == k_wrapper_cxx;
}

int run_compiler_wrapper(int argc, char** argv) {
  bool cxx = std::filesystem::path(argv[0]).filename().string() == k_wrapper_cxx;
  const char* real = std::getenv(cxx ? "CCBISECT_WRAP_CXX" : "CCBISECT_WRAP_CC");
  const char* log = std::getenv("CCBISECT_WRAP_LOG");
  if (real == nullptr || log == nullptr) {
    std::fprintf(stderr,
                 "%s: run it through `ccbisect capture --side good|bad -- BUILD`, which sets "
                 "the real compiler\n",
                 argv[0]);
    return 127;
  }
  std::vector<std::string> args{real};
  std::vector<std::string> dropped;  // [build] drop_flags, one per line
  if (const char* drop = std::getenv("CCBISECT_WRAP_DROP")) {
    std::string_view rest(drop);
    while (!rest.empty()) {
      std::size_t newline = std::min(rest.find('\n'), rest.size());
      dropped.emplace_back(rest.substr(0, newline));
      rest.remove_prefix(std::min(newline + 1, rest.size()));
    }
  }
  bool compiles = false;
  std::string output;
  std::string source;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (std::find(dropped.begin(), dropped.end(), arg) != dropped.end()) {
      continue;
    }
    args.push_back(arg);
    if (arg == "-c") {
      compiles = true;
    } else if (arg == "-o" && i + 1 < argc) {
      output = argv[i + 1];
    } else if (arg[0] != '-' && (source.empty() || i > 1)) {
      std::string ext = std::filesystem::path(arg).extension().string();
      if (ext == ".c" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".S" || ext == ".s") {
        source = arg;
      }
    }
  }
  if (!compiles || output.empty()) {
    // Not a compile to an object (a probe, a link, -print-file-name...): be the real compiler.
    std::string error = exec_replacing(args);
    std::fprintf(stderr, "ccbisect-cc: cannot run %s: %s\n", real, error.c_str());
    return 127;
  }
  if (const char* flags = std::getenv("CCBISECT_WRAP_FLAGS")) {
    for (std::string& flag : split_command_line(flags)) {
      args.push_back(flag);
    }
  }
  int status = run_inheriting(args);
  std::filesystem::path cwd = std::filesystem::current_path();
  nlohmann::json record = {{"directory", cwd.string()},
                           {"arguments", args},
                           {"output", (cwd / output).lexically_normal().string()},
                           {"source", source.empty() ? "" : (cwd / source).lexically_normal().string()},
                           {"status", status}};
  std::string line = record.dump() + "\n";
  // O_APPEND keeps lines from parallel compiles whole.
  int fd = ::open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
  if (fd >= 0) {
    ssize_t written = ::write(fd, line.data(), line.size());
    (void)written;
    ::close(fd);
  }
  return status;
}

std::size_t capture_with_wrapper(const Config& config, const std::string& side,
                                 const std::vector<std::string>& build, ObjectStore& objects,
                                 const NoteSink& note) {
  if (side != "good" && side != "bad") {
    throw UserError("capture --side must be good or bad", k_exit_usage);
  }
  if (build.empty()) {
    throw UserError(
        "capture needs the build command after --, e.g. ccbisect capture --side good -- "
        "make CC=ccbisect-cc",
        k_exit_usage);
  }
  const ToolchainSide& toolchain = side == "good" ? config.good : config.bad;
  std::filesystem::path bin = config.workdir_path() / "bin";
  std::filesystem::create_directories(bin);
  std::filesystem::create_directories(capture_dir(config));
  std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe");
  for (const char* name : {k_wrapper_c, k_wrapper_cxx}) {
    std::filesystem::path link = bin / name;
    std::error_code ignored;
    std::filesystem::remove(link, ignored);
    std::filesystem::create_symlink(self, link);
  }
  std::filesystem::path log = capture_dir(config) / (side + ".jsonl");
  std::filesystem::remove(log);

  ProcessSpec spec;
  spec.argv = build;
  spec.cwd = config.project_dir;
  const char* path = std::getenv("PATH");
  spec.environment = {{"PATH", bin.string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
                      {"CCBISECT_WRAP_CC", toolchain.cc},
                      {"CCBISECT_WRAP_CXX", toolchain.cxx},
                      {"CCBISECT_WRAP_FLAGS", toolchain.flags},
                      {"CCBISECT_WRAP_LOG", log.string()},
                      {"CCBISECT_WRAP_DROP", wrapper_drop_list(config)}};
  spec.full_log = capture_dir(config) / (side + ".build.log");
  ProcessResult run = run_process(spec);
  if (!run.started || run.exit_status != 0) {
    throw UserError(
        fmt::format("capture --side {}: the build `{}` failed (exit {}); its output is in "
                    "{}:\n{}",
                    side, fmt::join(build, " "), run.exit_status, spec.full_log->string(),
                    last_lines(run.started ? run.output_tail : run.error, 15)));
  }
  // The objects as the build left them, last compile of each output wins.
  std::map<std::string, nlohmann::json> by_output;
  std::ifstream in(log);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) {
      auto record = nlohmann::json::parse(line);
      by_output[record["output"].get<std::string>()] = record;
    }
  }
  if (by_output.empty()) {
    throw UserError(
        fmt::format("capture --side {}: the build compiled nothing through the wrapper; pass "
                    "the wrapper as the compiler (make CC=ccbisect-cc) and start from a "
                    "clean tree (make clean)",
                    side));
  }
  nlohmann::json manifest = nlohmann::json::array();
  std::size_t probes = 0;
  for (auto& [output, record] : by_output) {
    if (!std::filesystem::is_regular_file(output)) {
      // Gone when the build ended, or not a file (-o /dev/null): a build system's probe of the
      // compiler (Kbuild compiles `-x c /dev/null -o .tmp_PID/tmp` to test options, and a kernel's
      // Kconfig `-o /dev/null`), not one of the program's objects.
      ++probes;
      continue;
    }
    std::string object;
    if (record["status"].get<int>() == 0 && std::filesystem::exists(output)) {
      object = objects.add(output);
    }
    manifest.push_back({{"name", unit_name(config, output)},
                        {"output", output},
                        {"directory", record["directory"]},
                        {"source", record["source"]},
                        {"object", object},
                        {"arguments", record["arguments"]}});
  }
  std::ofstream(capture_dir(config) / (side + ".json")) << manifest.dump(1) << "\n";
  if (note) {
    note(fmt::format("[capture] {} side: {} objects recorded from `{}` ({} compiler probes left out)", side,
                     manifest.size(), fmt::join(build, " "), probes));
  }
  return manifest.size();
}

CaptureSummary load_wrapper_capture(const Config& config) {
  std::map<std::string, TranslationUnit> units;
  for (const char* side : {"good", "bad"}) {
    std::filesystem::path manifest_path = capture_dir(config) / (std::string(side) + ".json");
    std::ifstream in(manifest_path);
    if (!in) {
      throw UserError(
          fmt::format("[build] capture = \"wrapper\" but {} is missing; run `ccbisect capture "
                      "--side {} -- <your build command with CC=ccbisect-cc>` first",
                      manifest_path.string(), side));
    }
    for (const auto& record : nlohmann::json::parse(in)) {
      std::string output = record["output"].get<std::string>();
      TranslationUnit& unit = units[output];
      unit.name = record["name"].get<std::string>();
      unit.output = output;
      unit.source = record["source"].get<std::string>();
      (std::string(side) == "good" ? unit.good_object : unit.bad_object) =
          record["object"].get<std::string>();
      CompileEntry entry;
      entry.arguments = record["arguments"].get<std::vector<std::string>>();
      entry.directory = record.value("directory", config.project_dir.string());
      entry.source = unit.source;
      entry.output = output;
      entry.is_cxx = is_cxx_compile(entry.arguments.front(), entry.source);
      (std::string(side) == "good" ? unit.good_entry : unit.bad_entry) = entry;
    }
  }
  CaptureSummary summary;
  for (auto& [output, unit] : units) {
    summary.units.push_back(std::move(unit));
  }
  return summary;
}

}  // namespace ccbisect
