// End-to-end tests of [executor] type = "slurm" on a real cluster: the one-node cluster that
// scripts/slurm.sh starts on this machine (scripts/test.sh starts it before CTest and stops it
// after). Without `sinfo`, or with no node taking jobs, every test here is skipped (exit 77).
//
// Each trial of these searches is an `srun` job running `ccbisect trial-exec` on the node, and the
// capture a job array of `ccbisect compile-batch` tasks: the objects and answers must be the local
// ones, every trial must name the node that ran it, a job cancelled under a running trial must come
// back unresolved (executor-lost) and run again, and Ctrl-C must leave no job behind.
#include <signal.h>

#include <csignal>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/scenario.hpp"

namespace {

using ccbisect::ProcessResult;
using ccbisect::ProcessSpec;
using ccbisect::run_process;
using ccbisect::run_shell;
using ccbisect::testing::ccbisect_binary;
using ccbisect::testing::CcbisectRun;
using ccbisect::testing::require_tools;
using ccbisect::testing::Scenario;

// Exits 77 (skipped) unless SLURM's clients are installed and a node takes jobs. A node still
// completing the previous test's cancelled jobs is waited for (up to 30 s).
void require_cluster() {
  require_tools({"sinfo", "srun", "sbatch", "scancel", "squeue", "gcc-12", "make"});
  ProcessResult states;
  for (int i = 0; i < 60; ++i) {
    states = run_shell("sinfo -h -o '%T'", ".", 10);
    if (states.exit_status == 0 && (states.output_tail.find("idle") != std::string::npos ||
                                    states.output_tail.find("mixed") != std::string::npos ||
                                    states.output_tail.find("allocated") != std::string::npos)) {
      return;
    }
    if (states.exit_status != 0 || states.output_tail.find("completing") == std::string::npos) {
      break;  // down, drained or no controller: waiting will not help
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  std::printf("SKIPPED: no SLURM node takes jobs (scripts/slurm.sh start): %s\n", states.output_tail.c_str());
  std::fflush(stdout);
  std::_Exit(77);
}

// The node names sinfo lists.
std::string cluster_nodes() { return run_shell("sinfo -h -N -o '%N'", ".", 10).output_tail; }

// ccbisect's jobs still known to the cluster (pending or running), one name per line.
std::string ccbisect_jobs() {
  return run_shell("squeue -h -t PENDING,RUNNING -o '%j' | grep '^ccbisect-' || true", ".", 10).output_tail;
}

// examples/gen200's project with `n` TUs (its latent strict-aliasing bug in tu{n*137/200}).
void generate(Scenario& s, int n) {
  ProcessSpec spec;
  spec.argv = {std::string(CCBISECT_SOURCE_DIR) + "/examples/gen200/generate.sh", s.dir().string(),
               std::to_string(n)};
  ProcessResult made = run_process(spec);
  INFO(made.output_tail);
  REQUIRE(made.exit_status == 0);
}

void append(Scenario& s, const std::string& relative, const std::string& text) {
  std::ofstream(s.dir() / relative, std::ios::app) << text;
}

std::string read(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The object store's files (their names are their content hashes).
std::set<std::string> stored_objects(const Scenario& s) {
  std::set<std::string> names;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(s.dir() / ".ccbisect/objects")) {
    if (entry.is_regular_file() && entry.path().parent_path().filename() != "tmp") {
      names.insert(entry.path().filename().string());
    }
  }
  return names;
}

// `ccbisect log --json`: one array of trials.
nlohmann::json trial_log(const Scenario& s) {
  CcbisectRun log = s.run({"log", "--json"});
  INFO(log.output);
  REQUIRE(log.exit_status == 0);
  nlohmann::json trials = nlohmann::json::parse(log.output, nullptr, false);
  REQUIRE(trials.is_array());
  return trials;
}

const char* const k_slurm = "\n[executor]\ntype = \"slurm\"\njobs = 2\n";

}  // namespace

TEST_CASE("a search through srun on the cluster finds the local answer, and every trial names its node",
          "[slurm][e2e]") {
  require_cluster();
  constexpr int k_units = 200;
  Scenario local("slurm-local");
  generate(local, k_units);
  Scenario cluster("slurm-cluster");
  generate(cluster, k_units);
  append(cluster, "ccbisect.toml", k_slurm);

  // capture + objects, then flags (with its probes): locally at -j 2, then through srun, 2 jobs.
  CcbisectRun local_objects = local.run({"objects", "--json", "-j", "2"});
  INFO(local_objects.output);
  REQUIRE(local_objects.exit_status == 0);
  CcbisectRun cluster_objects = cluster.run({"objects", "--json", "-j", "2"});
  INFO(cluster_objects.output);
  REQUIRE(cluster_objects.exit_status == 0);
  CHECK(cluster_objects.json["culprits"] == local_objects.json["culprits"]);
  CHECK(cluster_objects.json["culprits"] == nlohmann::json::array({"obj/tu137.o"}));
  // The capture's 400 compiles went out as a job array and landed in the same content-addressed
  // store: the very objects the local capture made.
  CHECK(cluster_objects.output.find("[capture] 400 compiles ran on the SLURM cluster as 8 array tasks\n") !=
        std::string::npos);
  CHECK(stored_objects(cluster) == stored_objects(local));
  CHECK(stored_objects(cluster).size() == 400);
  // The trials ran in slots under the shared directory (the workdir by default), never in the
  // project, which ends holding the minimal failing mix as after a local search.
  CHECK(std::filesystem::exists(cluster.dir() / ".ccbisect/slots/0/Makefile"));
  CHECK(std::filesystem::exists(cluster.dir() / ".ccbisect/slots/1/Makefile"));
  CHECK(run_shell("./test.sh", cluster.dir()).exit_status == 1);

  CcbisectRun local_flags = local.run({"flags", "--json"});
  INFO(local_flags.output);
  REQUIRE(local_flags.exit_status == 0);
  CcbisectRun cluster_flags = cluster.run({"flags", "--json"});
  INFO(cluster_flags.output);
  REQUIRE(cluster_flags.exit_status == 0);
  CHECK(cluster_flags.json["culprits"] == local_flags.json["culprits"]);
  CHECK(cluster_flags.json["culprits"] == nlohmann::json::array({"-fno-strict-aliasing"}));
  CHECK(cluster_flags.json["probes"] == local_flags.json["probes"]);

  // Every trial of the cluster's search was linked and judged on a node that sinfo lists; none of
  // the local search's was.
  nlohmann::json log = trial_log(cluster);
  REQUIRE(log.size() >= 10);
  std::string nodes = cluster_nodes();
  std::size_t objects = 0;
  std::size_t flags = 0;
  for (const auto& trial : log) {
    INFO(trial.dump());
    std::string node = trial["node"].get<std::string>();
    CHECK_FALSE(node.empty());
    CHECK(nodes.find(node) != std::string::npos);
    objects += trial["level"] == "objects" ? 1 : 0;
    flags += trial["level"] == "flags" ? 1 : 0;
  }
  CHECK(objects >= 8);  // log2(200) and the sanity checks at least
  CHECK(flags >= 2);
  nlohmann::json local_log = trial_log(local);
  CHECK(local_log.size() >= 10);
  for (const auto& trial : local_log) {
    CHECK(trial["node"] == "");
  }
  CHECK(ccbisect_jobs().empty());
}

TEST_CASE("a job cancelled under a running trial is unresolved (executor-lost) and run once more",
          "[slurm][e2e]") {
  require_cluster();
  Scenario s("slurm-cancel");
  generate(s, 20);
  append(s, "ccbisect.toml", k_slurm);
  // The first trial's oracle says which job runs it, then waits to be cancelled, and says "fail"
  // if its sleep is killed (as a test whose program was killed would); every later trial (the
  // retry included) judges at once. The marker lives in the project, outside the slots.
  std::string marker = (s.dir() / "job-to-cancel").string();
  s.write("slow-once.sh",
          "#!/bin/sh\nif mkdir '" + marker + ".lock' 2>/dev/null; then echo \"$SLURM_JOB_ID\" > '" + marker +
              ".tmp'; mv '" + marker + ".tmp' '" + marker + "'; sleep 120 || exit 3; fi\nexec ./test.sh\n",
          true);
  std::string config = read(s.dir() / "ccbisect.toml");
  config.replace(config.find("command = \"./test.sh\""), std::string("command = \"./test.sh\"").size(),
                 "command = \"./slow-once.sh\"");
  config.replace(config.find("timeout = 20"), std::string("timeout = 20").size(), "timeout = 200");
  s.write("ccbisect.toml", config);

  CcbisectRun run;
  std::thread search([&] { run = s.run({"objects", "--json", "-j", "2"}, 300); });
  std::string job;
  for (int i = 0; i < 1200 && job.empty(); ++i) {  // the capture comes first: up to 2 minutes
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    job = read(marker);
  }
  while (!job.empty() && (job.back() == '\n')) {
    job.pop_back();
  }
  CHECK_FALSE(job.empty());
  if (!job.empty()) {
    CHECK(run_shell("scancel " + job, ".", 30).exit_status == 0);
  }
  search.join();
  INFO(run.output);
  REQUIRE(run.exit_status == 0);
  CHECK(run.json["culprits"] == nlohmann::json::array({"obj/tu013.o"}));
  // The cancelled trial's answer never counted: no contradiction was seen (its oracle, killed
  // mid-way, would have said "fail" for whatever mix it held).
  CHECK(run.output.find("looks flaky") == std::string::npos);
  CHECK(run.json["unresolved"] == 0);

  nlohmann::json log = trial_log(s);
  std::string lost_subset;
  std::size_t lost = 0;
  for (const auto& trial : log) {
    if (trial["reason"] == "executor-lost") {
      ++lost;
      lost_subset = trial["subset"].get<std::string>();
      CHECK(trial["outcome"] == "unresolved");
      CHECK(trial["log_tail"].get<std::string>().find("ended without a result") != std::string::npos);
    }
  }
  CHECK(lost == 1);
  // The same configuration ran again and was judged.
  bool retried = false;
  bool after = false;
  for (const auto& trial : log) {
    if (trial["reason"] == "executor-lost") {
      after = true;
    } else if (after && trial["subset"] == lost_subset && trial["outcome"] != "unresolved") {
      retried = true;
    }
  }
  CHECK(retried);
  CHECK(ccbisect_jobs().empty());
}

TEST_CASE("Ctrl-C during a search on the cluster cancels every job in flight", "[slurm][e2e]") {
  require_cluster();
  Scenario s("slurm-interrupt");
  generate(s, 20);
  append(s, "ccbisect.toml", k_slurm);
  std::string config = read(s.dir() / "ccbisect.toml");
  config.replace(config.find("command = \"./test.sh\""), std::string("command = \"./test.sh\"").size(),
                 "command = \"touch '" + (s.dir() / "started").string() + "'; sleep 100; ./test.sh\"");
  config.replace(config.find("timeout = 20"), std::string("timeout = 20").size(), "timeout = 200");
  s.write("ccbisect.toml", config);
  // Capture first, so that the interrupt below lands while both trials' jobs run.
  REQUIRE(s.run({"capture"}).exit_status == 0);

  // The shell records ccbisect's pid, so that the interrupt goes to that process alone.
  ProcessResult shell;
  std::thread search([&] {
    shell = run_shell(
        "'" + ccbisect_binary().string() + "' objects -j 2 >search.log 2>&1 & echo $! >pid; wait $!", s.dir(),
        120);
  });
  bool started = false;
  for (int i = 0; i < 600 && !started; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    started = std::filesystem::exists(s.dir() / "started");
  }
  REQUIRE(started);
  CHECK_FALSE(ccbisect_jobs().empty());
  pid_t pid = std::stoi(read(s.dir() / "pid"));
  CHECK(::kill(pid, SIGINT) == 0);
  search.join();
  INFO(read(s.dir() / "search.log"));
  CHECK(shell.exit_status == 130);
  CHECK_FALSE(shell.timed_out);
  CHECK(ccbisect_jobs().empty());
}

TEST_CASE("a capture task cancelled on the cluster leaves its compiles to be run here, and none is lost",
          "[slurm][e2e]") {
  require_cluster();
  Scenario s("slurm-capture-cancel");
  generate(s, 40);
  append(s, "ccbisect.toml", k_slurm);
  // The good side's compiler: gcc-12, except that the first compile that runs in an array task
  // says which array it is in and waits to be cancelled.
  std::string marker = (s.dir() / "array-to-cancel").string();
  s.write("slowcc",
          "#!/bin/sh\nif [ -n \"$SLURM_ARRAY_JOB_ID\" ] && mkdir '" + marker +
              ".lock' 2>/dev/null; then echo \"$SLURM_ARRAY_JOB_ID\" > '" + marker + ".tmp'; mv '" + marker +
              ".tmp' '" + marker + "'; sleep 120; fi\nexec gcc-12 \"$@\"\n",
          true);
  std::string config = read(s.dir() / "ccbisect.toml");
  config.replace(config.find("cc = \"gcc-12\""), std::string("cc = \"gcc-12\"").size(), "cc = \"./slowcc\"");
  s.write("ccbisect.toml", config);

  CcbisectRun capture;
  std::thread running([&] { capture = s.run({"capture", "-j", "2"}, 300); });
  std::string array;
  for (int i = 0; i < 1200 && array.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    array = read(marker);
  }
  while (!array.empty() && array.back() == '\n') {
    array.pop_back();
  }
  CHECK_FALSE(array.empty());
  if (!array.empty()) {
    CHECK(run_shell("scancel " + array, ".", 30).exit_status == 0);
  }
  running.join();
  INFO(capture.output);
  REQUIRE(capture.exit_status == 0);
  CHECK(capture.output.find("[capture] 80 compiles ran on the SLURM cluster as 4 array tasks (") !=
        std::string::npos);
  CHECK(capture.output.find("lost with their task, compiled here)") != std::string::npos);
  CHECK(capture.output.find("80 compiles run, 0 reused") != std::string::npos);
  // Every unit was compiled on both sides, and the search finds the bug as usual.
  CcbisectRun objects = s.run({"objects", "--json", "-j", "2"});
  INFO(objects.output);
  REQUIRE(objects.exit_status == 0);
  CHECK(objects.json["items"] == 40);
  CHECK(objects.json["failed_to_compile"].empty());
  CHECK(objects.json["culprits"] == nlohmann::json::array({"obj/tu027.o"}));
  CHECK(ccbisect_jobs().empty());
}
