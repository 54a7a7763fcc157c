// Where a trial's program is linked and judged: the executor.
//
// A level's TrialExecutor decides *what* a trial is (which objects go where, which culprits are
// rebuilt) and places it; the Executor decides *where* the link and the oracle run: on this machine
// (trials/local_executor.cpp) or as one job on a cluster (trials/slurm_executor.cpp). A boot farm
// (LAVA, KernelCI) would be one more implementation: it gets a directory holding the placed mix and
// returns the same record. Executors are chosen by [executor] type from one table
// (trials/executors.cpp).
//
// The engine's guarantee is unchanged: an executor only decides where a trial runs, never what it
// answers, so `-j N` over J jobs reaches the answer of `-j 1`. A job that the executor loses
// (cancelled, preempted, its node gone) says nothing about the mix: it comes back unresolved with
// reason `executor_lost`, and the Prober records it and runs the trial once more.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "bisector/outcome.hpp"
#include "bisector/trial.hpp"

namespace ccbisect {

// Why a mix cannot be judged, as the step that found out says it.
struct Unfit {
  UnresolvedReason reason = UnresolvedReason::unknown;
  std::string log;  // what went wrong, for the trial's log
};

// A step of a trial that may find the mix unfit to judge: returns nothing when all is well, or why
// not (the trial is then unresolved with that reason and log, and goes no further).
using TrialStep = std::function<std::optional<Unfit>()>;

// One execution: the trial's result (outcome, reason, the oracle's exit status, log tail, the node
// that ran it) and where its time went.
struct Execution {
  TrialResult result;
  double link_seconds = 0.0;
  double oracle_seconds = 0.0;
  std::string job;  // the cluster's id of the job that ran it; empty on this machine
};

class Executor {
 public:
  virtual ~Executor() = default;
  // Links the mix placed in `directory` ([build] link) with `environment` added, runs `check` (did
  // the link really link this mix? it reads the directory from this machine) and, if both went
  // well, the oracle there. Returns the result: a failed link is unresolved (link_failed), an unfit
  // check unresolved with its reason, else the oracle's verdict; a job the executor lost is
  // unresolved (executor_lost) with what it knows in the log. `started_at`/`ended_at`/`seconds`
  // are the caller's. Never throws for a failing tool or a lost job; throws UserError when no trial
  // can run (e.g. the cluster's client programs are missing). Thread-safe: up to jobs() calls at once.
  // `seen_at`, if not empty: the path the link must see `directory` at, because the build recorded
  // absolute paths there (Kbuild's `make M=/abs/module`): a copy of the project links as if it
  // were the project itself. An executor that cannot do that says so (UserError).
  virtual Execution link_and_judge(const std::filesystem::path& directory,
                                   const std::map<std::string, std::string>& environment,
                                   const TrialStep& check, const std::filesystem::path& seen_at = {}) = 0;
  // How many trials may run at once (the engine hands out up to this many); 0: as many as -j.
  virtual std::size_t jobs() const = 0;
  // A directory every node that runs trials sees, for copies of the project (trial slots); empty:
  // this machine's workdir.
  virtual std::filesystem::path shared_dir() const { return {}; }
};

}  // namespace ccbisect
