// The SQLite store: one file per search workspace (default .ccbisect/ccbisect.db), WAL mode.
//
// It records the sessions (config, toolchains with versions), the items of each level, every trial
// (with why it is unresolved, when it is; committed in its own transaction the moment it ends), the
// cache that maps a configuration to its trial, compiled objects, and findings. A killed search resumes by
// replaying the same deterministic search: every configuration that finished is answered from here without
// running again.
//
// This is the only code that includes SQLiteCpp (STYLE.md).
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bisector/trial.hpp"

namespace SQLite {
class Database;
}

namespace ccbisect {

struct SessionInfo {
  std::string command;         // e.g. "objects"
  std::string config_json;     // the effective configuration
  std::string good_toolchain;  // e.g. "gcc-12 -O1"
  std::string good_version;    // first line of `cc --version`
  std::string bad_toolchain;
  std::string bad_version;
};

struct SessionRow : SessionInfo {
  std::int64_t id = 0;
  std::string started_at;
};

struct ConfigurationRow {
  std::string id;  // Store::configuration_id's form
  std::string first_started;
  std::string last_started;
  std::size_t sessions = 0;
  std::size_t trials = 0;
  bool current = false;
};

struct TrialRow {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string level;
  std::string cache_key;
  std::string subset;  // range text (bisector/subset_text.hpp)
  std::size_t subset_size = 0;
  TrialResult result;
};

struct TrialCounts {
  std::size_t total = 0;
  std::size_t distinct_configurations = 0;
};

struct FindingRow {
  std::int64_t id = 0;
  std::int64_t session_id = 0;
  std::string level;
  std::string kind;     // e.g. "culprits", "not-reproducible", "inconclusive"
  std::string payload;  // JSON
  std::string created_at;
};

struct CompileRow {
  std::string key;          // hash of command line + compiler identity + source
  std::string side;         // "good" or "bad"
  std::string output;       // the object's path in the project
  std::string object_hash;  // content hash in the object store; empty when the compile failed
  int status = 0;           // compiler exit status
  std::string log;          // compiler output (tail)
  double seconds = 0.0;
  std::string directory;  // where it ran
  std::string command;    // the exact command, shell-quoted, writing `output`
  std::string depends;    // JSON {path: content hash} of the headers it read; "" if unknown
};

// Every method may be called from several threads at once: each takes the store's own lock, so
// callers never pass a mutex around (the compiles of `-j N`, parallel trials).
class Store : public TrialCache {
 public:
  static constexpr int k_schema_version = 5;

  // Opens (or creates, with its directory) the database at `path`. Throws UserError naming the path
  // when the file is corrupt, belongs to another program, comes from a newer ccbisect, or the
  // directory cannot be written.
  static std::unique_ptr<Store> open(const std::filesystem::path& path);
  // An in-memory store, for tests and benchmarks where durability is not the point.
  static std::unique_ptr<Store> open_in_memory();
  ~Store() override;

  int schema_version();
  const std::filesystem::path& path() const { return m_path; }

  // `--fresh`: from now on in this process, `lookup` replays no trial recorded before the process
  // first opened each database (they stay in the history for `log`, `status` and `report`); the
  // trials this process runs are replayed as usual. Set once, by the command line.
  static void replay_only_new_trials();
  // The database this process opened last (empty if none), for messages about a failure in it.
  static std::filesystem::path last_opened();

  // Starts a session (one command invocation); later trials and findings belong to it, and its
  // configuration (info.config_json) becomes the current one.
  std::int64_t begin_session(const SessionInfo& info);
  // The sessions of the current configuration, oldest first (all of them when there is none).
  std::vector<SessionRow> sessions();

  // One configuration per workdir at a time: trials, trial counts, findings and sessions are those of
  // the current configuration (the outcome-relevant config, `config_json` of the sessions). It is the
  // one begin_session or select_configuration named, else the newest session's. Rows recorded
  // outside any session (tests, the benchmark) belong to every configuration.
  void select_configuration(const std::string& config_json);
  // The current configuration's id: the first 12 hex digits of its hash ("" before any session).
  std::string configuration_id();
  // Every configuration recorded here, the current one included, oldest first.
  std::vector<ConfigurationRow> configurations();

  // Replaces the item list of `level`.
  void record_items(const std::string& level, const std::vector<std::string>& names);
  std::vector<std::string> items(const std::string& level);

  // TrialCache
  std::optional<TrialResult> lookup(const std::string& key) override;
  void record(const std::string& key, const std::string& level, const Subset& subset,
              const TrialResult& result) override;

  // Every trial, oldest first; `level` empty means all levels.
  std::vector<TrialRow> trials(const std::string& level = "");
  // How many trials were run and how many distinct configurations (cache keys) they tried; equal
  // unless a configuration was run twice. `level` empty means all levels.
  TrialCounts trial_counts(const std::string& level = "");

  void record_finding(const std::string& level, const std::string& kind, const std::string& payload);
  std::vector<FindingRow> findings(const std::string& level = "");

  std::optional<CompileRow> compiled(const std::string& key);
  std::vector<CompileRow> compiles();  // every compile, oldest first
  void record_compile(const CompileRow& row);

 private:
  Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path path);
  void migrate();
  int read_schema_version();  // without the lock: migrate() runs before the store is shared

  std::unique_ptr<SQLite::Database> m_db;
  std::filesystem::path m_path;
  std::int64_t m_session_id = 0;
  std::string m_configuration;  // current configuration's config_json ("" before any session)
  bool m_configuration_chosen = false;
  const std::string& current_configuration();  // without the lock
  std::int64_t m_replay_from_trial = 0;        // --fresh: lookups ignore trials with a smaller id
  std::mutex m_mutex;                          // guards m_db and m_session_id
};

// What to tell the user when `error` is an SQLite error raised while a command used the store (the
// disk is full, the file is damaged or read-only, ...): the database's path, the cause and what to
// do. nullopt when `error` did not come from SQLite.
std::optional<std::string> store_failure_message(const std::exception& error);

}  // namespace ccbisect
