// SQLite store; see store.hpp for what is kept and why.
//
// Durability: WAL with synchronous=NORMAL survives the process being killed at any point (the case
// that matters for resuming); only an OS crash may lose the last trials, which are then redone.
// A foreign file is recognised by PRAGMA application_id, stamped on every database we create.
#include "db/store.hpp"

#include <chrono>
#include <map>
#include <system_error>

#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/format.h>
#include <sqlite3.h>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"

namespace ccbisect {
namespace {

// A row (trial or finding) of the current configuration (?2, "" for any): recorded in one of its
// sessions, or outside any session.
constexpr const char* k_in_configuration =
    "(?2 = '' OR session_id IS NULL OR session_id = 0 OR session_id IN (SELECT id FROM sessions "
    "WHERE config = ?2))";

// A configuration's id: FNV-1a (64 bits) of its config JSON in hex, first 12 digits. Stable across
// runs and machines; only names a configuration to the user, so collisions cost nothing.
std::string configuration_hash(const std::string& config) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : config) {
    hash = (hash ^ c) * 0x100000001b3ULL;
  }
  return fmt::format("{:016x}", hash).substr(0, 12);
}

}  // namespace

namespace {

constexpr int k_application_id = 0x63636273;  // "ccbs"

// Each entry moves the schema one version up; never edit a released entry, append a new one.
const char* const k_migrations[] = {
    R"sql(
CREATE TABLE sessions(
  id INTEGER PRIMARY KEY,
  started_at TEXT NOT NULL,
  command TEXT NOT NULL,
  config TEXT NOT NULL,
  good_toolchain TEXT NOT NULL, good_version TEXT NOT NULL,
  bad_toolchain TEXT NOT NULL, bad_version TEXT NOT NULL);
CREATE TABLE items(
  level TEXT NOT NULL, idx INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY(level, idx));
CREATE TABLE trials(
  id INTEGER PRIMARY KEY,
  session_id INTEGER REFERENCES sessions(id),
  level TEXT NOT NULL,
  cache_key TEXT NOT NULL,
  subset TEXT NOT NULL, subset_size INTEGER NOT NULL,
  outcome TEXT NOT NULL CHECK(outcome IN ('pass','fail','unresolved')),
  exit_status INTEGER NOT NULL,
  duration_ms REAL NOT NULL,
  log_tail TEXT NOT NULL,
  started_at TEXT NOT NULL, ended_at TEXT NOT NULL);
CREATE INDEX trials_by_level ON trials(level, id);
CREATE TABLE cache(
  key TEXT PRIMARY KEY,
  trial_id INTEGER NOT NULL REFERENCES trials(id),
  outcome TEXT NOT NULL);
CREATE TABLE findings(
  id INTEGER PRIMARY KEY,
  session_id INTEGER NOT NULL,
  level TEXT NOT NULL, kind TEXT NOT NULL, payload TEXT NOT NULL,
  created_at TEXT NOT NULL);
CREATE TABLE compiles(
  key TEXT PRIMARY KEY,
  side TEXT NOT NULL, output TEXT NOT NULL, object_hash TEXT NOT NULL,
  status INTEGER NOT NULL, log TEXT NOT NULL, seconds REAL NOT NULL,
  created_at TEXT NOT NULL);
)sql",
    // 2: the exact command of each compile, for the report's reproducer.
    R"sql(
ALTER TABLE compiles ADD COLUMN directory TEXT NOT NULL DEFAULT '';
ALTER TABLE compiles ADD COLUMN command TEXT NOT NULL DEFAULT '';
)sql",
    // 3: the headers each compile read, with their hashes, so an edited header means a new compile.
    R"sql(
ALTER TABLE compiles ADD COLUMN depends TEXT NOT NULL DEFAULT '';
)sql",
    // 4: why a trial is unresolved, by value (bisector/outcome.hpp). Older rows get the reason their
    // log told, in the words the code of that time wrote it in (a ccbisect line first, or one the
    // oracle's output ends with), else "unknown". The one place a reason is read from a log.
    R"sql(
ALTER TABLE trials ADD COLUMN unresolved_reason TEXT NOT NULL DEFAULT 'none';
UPDATE trials SET unresolved_reason = CASE
  WHEN outcome != 'unresolved' THEN 'none'
  WHEN substr(log_tail, 1, length('[ccbisect] compile failed: ')) = '[ccbisect] compile failed: '
    OR (substr(log_tail, 1, length('[ccbisect] ')) = '[ccbisect] '
        AND instr(substr(log_tail, 1, instr(log_tail || char(10), char(10))), ' does not compile with ') > 0)
    THEN 'compile-failed'
  WHEN substr(log_tail, 1, length('[ccbisect] link failed: ')) = '[ccbisect] link failed: '
    OR substr(log_tail, 1, length('[ccbisect] link `')) = '[ccbisect] link `'
    THEN 'link-failed'
  WHEN substr(log_tail, 1, length('[ccbisect] the link command `')) = '[ccbisect] the link command `'
    THEN 'objects-rebuilt'
  WHEN substr(log_tail, 1, length('[ccbisect] splice failed: ')) = '[ccbisect] splice failed: '
    THEN 'splice-failed'
  WHEN instr(log_tail, '[ccbisect] oracle timed out after ') > 0 OR instr(log_tail, '([oracle] on_timeout)') > 0
    THEN 'oracle-timeout'
  WHEN substr(log_tail, 1, length('oracle could not start: ')) = 'oracle could not start: '
    OR instr(log_tail, '[ccbisect] the oracle''s shell was killed by signal ') > 0
    OR instr(log_tail, '[ccbisect] the oracle command `') > 0
    OR instr(log_tail, '[ccbisect] qemu: ') > 0
    THEN 'oracle-error'
  WHEN exit_status = 125 OR instr(log_tail, '([oracle] on_error)') > 0 THEN 'oracle-said-unresolved'
  ELSE 'unknown' END;
)sql",
    // 5: the cluster node that linked and judged each trial ([executor] type = "slurm"); '' for a
    // trial run on the submitting machine, as every older one was.
    R"sql(
ALTER TABLE trials ADD COLUMN node TEXT NOT NULL DEFAULT '';
)sql",
};

[[noreturn]] void fail_open(const std::filesystem::path& path, const std::string& why) {
  throw UserError(fmt::format("database {}: {}", path.string(), why));
}

}  // namespace

Store::Store(std::unique_ptr<SQLite::Database> db, std::filesystem::path path)
    : m_db(std::move(db)), m_path(std::move(path)) {}

Store::~Store() = default;

namespace {
// Process-wide state of the command line's store options (one command per process).
struct ProcessStores {
  std::mutex mutex;
  bool replay_only_new = false;
  std::map<std::string, std::int64_t> first_new_trial;  // per database, fixed when first opened
  std::filesystem::path last_opened;
};

ProcessStores& process_stores() {
  static ProcessStores state;
  return state;
}
}  // namespace

void Store::replay_only_new_trials() {
  std::lock_guard lock(process_stores().mutex);
  process_stores().replay_only_new = true;
}

std::filesystem::path Store::last_opened() {
  std::lock_guard lock(process_stores().mutex);
  return process_stores().last_opened;
}

std::unique_ptr<Store> Store::open(const std::filesystem::path& path) {
  {
    std::lock_guard lock(process_stores().mutex);
    process_stores().last_opened = path;
  }
  std::error_code error;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) {
      fail_open(path, fmt::format("cannot create its directory ({}); choose a writable [build] workdir",
                                  error.message()));
    }
  }
  std::unique_ptr<Store> store;
  try {
    auto db = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    db->setBusyTimeout(5000);
    store.reset(new Store(std::move(db), path));
    store->migrate();
    ProcessStores& state = process_stores();
    std::lock_guard lock(state.mutex);
    if (state.replay_only_new) {
      auto [first, inserted] = state.first_new_trial.try_emplace(std::filesystem::absolute(path).string(), 0);
      if (inserted) {
        first->second = store->m_db->execAndGet("SELECT COALESCE(MAX(id), 0) + 1 FROM trials").getInt64();
      }
      store->m_replay_from_trial = first->second;
    }
  } catch (const SQLite::Exception& e) {
    std::string why = e.what();
    if (why.find("not a database") != std::string::npos || why.find("malformed") != std::string::npos) {
      fail_open(path, "is corrupt or not an SQLite file (" + why +
                          "); move it away and run again to start a new search");
    }
    fail_open(path, "cannot be opened for writing (" + why +
                        "); check the permissions of the file and its directory");
  }
  return store;
}

std::unique_ptr<Store> Store::open_in_memory() {
  auto db = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  std::unique_ptr<Store> store(new Store(std::move(db), ":memory:"));
  store->migrate();
  return store;
}

void Store::migrate() {
  int application_id = m_db->execAndGet("PRAGMA application_id").getInt();
  int table_count = m_db->execAndGet("SELECT count(*) FROM sqlite_master").getInt();
  if (application_id != k_application_id && (application_id != 0 || table_count != 0)) {
    fail_open(m_path,
              "is an SQLite database of another program, not a ccbisect store; point "
              "[build] workdir elsewhere or move the file away");
  }
  if (m_path != ":memory:") {
    m_db->exec("PRAGMA journal_mode=WAL");
  }
  m_db->exec("PRAGMA synchronous=NORMAL");
  m_db->exec("PRAGMA foreign_keys=ON");
  if (table_count == 0) {
    SQLite::Transaction transaction(*m_db);
    m_db->exec(fmt::format("PRAGMA application_id={}", k_application_id));
    m_db->exec("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
    transaction.commit();
  }
  int current = read_schema_version();
  constexpr int known = static_cast<int>(std::size(k_migrations));
  if (current > known) {
    fail_open(m_path, fmt::format("has schema version {} but this ccbisect knows only up to {}; "
                                  "use a newer ccbisect",
                                  current, known));
  }
  for (int version = current + 1; version <= known; ++version) {
    SQLite::Transaction transaction(*m_db);
    m_db->exec(k_migrations[version - 1]);
    SQLite::Statement insert(*m_db, "INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)");
    insert.bind(1, version);
    insert.bind(2, utc_timestamp());
    insert.exec();
    transaction.commit();
  }
}

int Store::schema_version() {
  std::lock_guard lock(m_mutex);
  return read_schema_version();
}

int Store::read_schema_version() {
  return m_db->execAndGet("SELECT coalesce(max(version), 0) FROM schema_migrations").getInt();
}

std::int64_t Store::begin_session(const SessionInfo& info) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement insert(*m_db,
                           "INSERT INTO sessions(started_at, command, config, good_toolchain, "
                           "good_version, bad_toolchain, bad_version) VALUES(?,?,?,?,?,?,?)");
  insert.bind(1, utc_timestamp());
  insert.bind(2, info.command);
  insert.bind(3, info.config_json);
  insert.bind(4, info.good_toolchain);
  insert.bind(5, info.good_version);
  insert.bind(6, info.bad_toolchain);
  insert.bind(7, info.bad_version);
  insert.exec();
  m_session_id = m_db->getLastInsertRowid();
  m_configuration = info.config_json;
  m_configuration_chosen = true;
  return m_session_id;
}

void Store::select_configuration(const std::string& config_json) {
  std::lock_guard lock(m_mutex);
  m_configuration = config_json;
  m_configuration_chosen = true;
}

const std::string& Store::current_configuration() {
  if (!m_configuration_chosen) {
    SQLite::Statement newest(
        *m_db, "SELECT config FROM sessions WHERE command != 'simulate' ORDER BY id DESC LIMIT 1");
    m_configuration = newest.executeStep() ? newest.getColumn(0).getString() : std::string();
    m_configuration_chosen = true;
  }
  return m_configuration;
}

std::string Store::configuration_id() {
  std::lock_guard lock(m_mutex);
  const std::string& config = current_configuration();
  return config.empty() ? std::string() : configuration_hash(config);
}

std::vector<ConfigurationRow> Store::configurations() {
  std::lock_guard lock(m_mutex);
  const std::string& current = current_configuration();
  std::vector<ConfigurationRow> rows;
  SQLite::Statement query(*m_db,
                          "SELECT config, min(started_at), max(started_at), count(*), "
                          "(SELECT count(*) FROM trials WHERE session_id IN "
                          "(SELECT id FROM sessions AS inner_sessions WHERE inner_sessions.config = "
                          "sessions.config)) FROM sessions GROUP BY config ORDER BY min(id)");
  while (query.executeStep()) {
    ConfigurationRow row;
    std::string config = query.getColumn(0).getString();
    row.id = configuration_hash(config);
    row.first_started = query.getColumn(1).getString();
    row.last_started = query.getColumn(2).getString();
    row.sessions = static_cast<std::size_t>(query.getColumn(3).getInt64());
    row.trials = static_cast<std::size_t>(query.getColumn(4).getInt64());
    row.current = config == current;
    rows.push_back(std::move(row));
  }
  return rows;
}

std::vector<SessionRow> Store::sessions() {
  std::lock_guard lock(m_mutex);
  std::vector<SessionRow> rows;
  SQLite::Statement query(
      *m_db,
      "SELECT id, started_at, command, config, good_toolchain, good_version, "
      "bad_toolchain, bad_version FROM sessions WHERE ?1 = '' OR config = ?1 ORDER BY id");
  query.bind(1, current_configuration());
  while (query.executeStep()) {
    SessionRow row;
    row.id = query.getColumn(0).getInt64();
    row.started_at = query.getColumn(1).getString();
    row.command = query.getColumn(2).getString();
    row.config_json = query.getColumn(3).getString();
    row.good_toolchain = query.getColumn(4).getString();
    row.good_version = query.getColumn(5).getString();
    row.bad_toolchain = query.getColumn(6).getString();
    row.bad_version = query.getColumn(7).getString();
    rows.push_back(std::move(row));
  }
  return rows;
}

void Store::record_items(const std::string& level, const std::vector<std::string>& names) {
  std::lock_guard lock(m_mutex);
  SQLite::Transaction transaction(*m_db);
  SQLite::Statement erase(*m_db, "DELETE FROM items WHERE level = ?");
  erase.bind(1, level);
  erase.exec();
  SQLite::Statement insert(*m_db, "INSERT INTO items(level, idx, name) VALUES(?,?,?)");
  for (std::size_t i = 0; i < names.size(); ++i) {
    insert.bind(1, level);
    insert.bind(2, static_cast<std::int64_t>(i));
    insert.bind(3, names[i]);
    insert.exec();
    insert.reset();
  }
  transaction.commit();
}

std::vector<std::string> Store::items(const std::string& level) {
  std::lock_guard lock(m_mutex);
  std::vector<std::string> names;
  SQLite::Statement query(*m_db, "SELECT name FROM items WHERE level = ? ORDER BY idx");
  query.bind(1, level);
  while (query.executeStep()) {
    names.push_back(query.getColumn(0).getString());
  }
  return names;
}

namespace {
// A judged trial has no reason; an unresolved one whose producer did not say is "unknown", never
// "none", so that a reader can trust `none` to mean "judged".
UnresolvedReason stored_reason(const TrialResult& result) {
  if (result.outcome != Outcome::unresolved) {
    return UnresolvedReason::none;
  }
  return result.reason == UnresolvedReason::none ? UnresolvedReason::unknown : result.reason;
}

TrialResult read_result(SQLite::Statement& query, int first) {
  TrialResult result;
  result.outcome = parse_outcome(query.getColumn(first).getString()).value_or(Outcome::unresolved);
  result.exit_status = query.getColumn(first + 1).getInt();
  result.seconds = query.getColumn(first + 2).getDouble() / 1000.0;
  result.log_tail = query.getColumn(first + 3).getString();
  result.started_at = query.getColumn(first + 4).getString();
  result.ended_at = query.getColumn(first + 5).getString();
  result.reason = parse_unresolved_reason(query.getColumn(first + 6).getString());
  result.node = query.getColumn(first + 7).getString();
  return result;
}

// The rows of `sql` (its first three columns id, session_id, level; ?1 a level, '' for every
// level; ?2 the configuration), each read by `read` past those three.
template <typename Row, typename Read>
std::vector<Row> rows_of_level(SQLite::Database& db, const std::string& sql, const std::string& level,
                               const std::string& configuration, Read read) {
  std::vector<Row> rows;
  SQLite::Statement query(db, sql);
  query.bind(1, level);
  query.bind(2, configuration);
  while (query.executeStep()) {
    Row row;
    row.id = query.getColumn(0).getInt64();
    row.session_id = query.getColumn(1).getInt64();
    row.level = query.getColumn(2).getString();
    read(query, row);
    rows.push_back(std::move(row));
  }
  return rows;
}
}  // namespace

std::optional<TrialResult> Store::lookup(const std::string& key) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement query(
      *m_db,
      "SELECT t.outcome, t.exit_status, t.duration_ms, t.log_tail, t.started_at, "
      "t.ended_at, t.unresolved_reason, t.node FROM cache c JOIN trials t ON t.id = c.trial_id "
      "WHERE c.key = ? AND t.id >= ?");
  query.bind(1, key);
  query.bind(2, m_replay_from_trial);
  if (!query.executeStep()) {
    return std::nullopt;
  }
  return read_result(query, 0);
}

void Store::record(const std::string& key, const std::string& level, const Subset& subset,
                   const TrialResult& result) {
  std::lock_guard lock(m_mutex);
  SQLite::Transaction transaction(*m_db);
  SQLite::Statement insert(*m_db,
                           "INSERT INTO trials(session_id, level, cache_key, subset, subset_size, "
                           "outcome, exit_status, duration_ms, log_tail, started_at, ended_at, "
                           "unresolved_reason, node) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
  if (m_session_id != 0) {
    insert.bind(1, m_session_id);
  } else {
    insert.bind(1);  // NULL: a trial recorded outside any session (tests, the benchmark)
  }
  insert.bind(2, level);
  insert.bind(3, key);
  insert.bind(4, encode_ranges(subset));
  insert.bind(5, static_cast<std::int64_t>(subset.size()));
  insert.bind(6, std::string(to_string(result.outcome)));
  insert.bind(7, result.exit_status);
  insert.bind(8, result.seconds * 1000.0);
  insert.bind(9, result.log_tail);
  insert.bind(10, result.started_at.empty() ? utc_timestamp() : result.started_at);
  insert.bind(11, result.ended_at.empty() ? utc_timestamp() : result.ended_at);
  insert.bind(12, std::string(to_string(stored_reason(result))));
  insert.bind(13, result.node);
  insert.exec();
  SQLite::Statement cache(*m_db, "INSERT OR REPLACE INTO cache(key, trial_id, outcome) VALUES(?,?,?)");
  cache.bind(1, key);
  cache.bind(2, m_db->getLastInsertRowid());
  cache.bind(3, std::string(to_string(result.outcome)));
  cache.exec();
  transaction.commit();
}

std::vector<TrialRow> Store::trials(const std::string& level) {
  std::lock_guard lock(m_mutex);
  return rows_of_level<TrialRow>(
      *m_db,
      std::string("SELECT id, session_id, level, cache_key, subset, subset_size, outcome, exit_status, "
                  "duration_ms, log_tail, started_at, ended_at, unresolved_reason, node FROM trials "
                  "WHERE (?1 = '' OR level = ?1) AND ") +
          k_in_configuration + " ORDER BY id",
      level, current_configuration(), [](SQLite::Statement& query, TrialRow& row) {
        row.cache_key = query.getColumn(3).getString();
        row.subset = query.getColumn(4).getString();
        row.subset_size = static_cast<std::size_t>(query.getColumn(5).getInt64());
        row.result = read_result(query, 6);
      });
}

TrialCounts Store::trial_counts(const std::string& level) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement query(
      *m_db,
      std::string(
          "SELECT count(*), count(DISTINCT cache_key) FROM trials WHERE (?1 = '' OR level = ?1) AND ") +
          k_in_configuration);
  query.bind(1, level);
  query.bind(2, current_configuration());
  query.executeStep();
  return {static_cast<std::size_t>(query.getColumn(0).getInt64()),
          static_cast<std::size_t>(query.getColumn(1).getInt64())};
}

void Store::record_finding(const std::string& level, const std::string& kind, const std::string& payload) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement insert(*m_db,
                           "INSERT INTO findings(session_id, level, kind, payload, created_at) "
                           "VALUES(?,?,?,?,?)");
  insert.bind(1, m_session_id);
  insert.bind(2, level);
  insert.bind(3, kind);
  insert.bind(4, payload);
  insert.bind(5, utc_timestamp());
  insert.exec();
}

std::vector<FindingRow> Store::findings(const std::string& level) {
  std::lock_guard lock(m_mutex);
  return rows_of_level<FindingRow>(
      *m_db,
      std::string("SELECT id, session_id, level, kind, payload, created_at FROM findings "
                  "WHERE (?1 = '' OR level = ?1) AND ") +
          k_in_configuration + " ORDER BY id",
      level, current_configuration(), [](SQLite::Statement& query, FindingRow& row) {
        row.kind = query.getColumn(3).getString();
        row.payload = query.getColumn(4).getString();
        row.created_at = query.getColumn(5).getString();
      });
}

namespace {
// One compiles row, from "SELECT key, side, output, object_hash, status, log, seconds, directory,
// command, depends".
constexpr const char* k_compile_columns =
    "SELECT key, side, output, object_hash, status, log, seconds, directory, command, depends FROM compiles";

CompileRow read_compile_row(SQLite::Statement& query) {
  CompileRow row;
  row.key = query.getColumn(0).getString();
  row.side = query.getColumn(1).getString();
  row.output = query.getColumn(2).getString();
  row.object_hash = query.getColumn(3).getString();
  row.status = query.getColumn(4).getInt();
  row.log = query.getColumn(5).getString();
  row.seconds = query.getColumn(6).getDouble();
  row.directory = query.getColumn(7).getString();
  row.command = query.getColumn(8).getString();
  row.depends = query.getColumn(9).getString();
  return row;
}
}  // namespace

std::optional<CompileRow> Store::compiled(const std::string& key) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement query(*m_db, std::string(k_compile_columns) + " WHERE key = ?");
  query.bind(1, key);
  if (!query.executeStep()) {
    return std::nullopt;
  }
  return read_compile_row(query);
}

std::vector<CompileRow> Store::compiles() {
  std::lock_guard lock(m_mutex);
  std::vector<CompileRow> rows;
  SQLite::Statement query(*m_db, std::string(k_compile_columns) + " ORDER BY rowid");
  while (query.executeStep()) {
    rows.push_back(read_compile_row(query));
  }
  return rows;
}

void Store::record_compile(const CompileRow& row) {
  std::lock_guard lock(m_mutex);
  SQLite::Statement insert(
      *m_db,
      "INSERT OR REPLACE INTO compiles(key, side, output, object_hash, status, "
      "log, seconds, created_at, directory, command, depends) VALUES(?,?,?,?,?,?,?,?,?,?,?)");
  insert.bind(1, row.key);
  insert.bind(2, row.side);
  insert.bind(3, row.output);
  insert.bind(4, row.object_hash);
  insert.bind(5, row.status);
  insert.bind(6, row.log);
  insert.bind(7, row.seconds);
  insert.bind(8, utc_timestamp());
  insert.bind(9, row.directory);
  insert.bind(10, row.command);
  insert.bind(11, row.depends);
  insert.exec();
}

std::optional<std::string> store_failure_message(const std::exception& error) {
  const auto* sqlite = dynamic_cast<const SQLite::Exception*>(&error);
  if (sqlite == nullptr) {
    return std::nullopt;
  }
  std::filesystem::path path = Store::last_opened();
  std::string where = path.empty() ? std::string("the database") : "the database " + path.string();
  std::string cause = sqlite->what();
  switch (sqlite->getErrorCode()) {
    case SQLITE_FULL:
      return fmt::format(
          "{} could not be written: the disk is full ({}). Free space on its file system (or point "
          "[build] workdir elsewhere) and run the command again; the trials finished so far are kept "
          "and will not run again",
          where, cause);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return fmt::format(
          "{} is damaged ({}). Move it aside (e.g. `mv {} {}.damaged`) and run the command again: "
          "the objects already compiled are kept in the object store, the trials run again",
          where, cause, path.string(), path.string());
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return fmt::format(
          "{} cannot be written ({}). `status`, `log` and `report` work on a read-only workdir; a "
          "search needs write access to the file and its directory",
          where, cause);
    case SQLITE_IOERR:
      return fmt::format("{}: the file system reported an I/O error ({}); check the disk, then run again",
                         where, cause);
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return fmt::format(
          "{} is locked by another process ({}); wait for it to finish (or stop it) and run again", where,
          cause);
    default:
      return fmt::format("{}: {} (SQLite error {})", where, cause, sqlite->getErrorCode());
  }
}

}  // namespace ccbisect
