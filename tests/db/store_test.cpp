// Store tests on real SQLite files in temp dirs: round trips, durability across reopen, and clear
// errors (naming the path) for corrupt, foreign, newer and unwritable databases.
#include "db/store.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include "bisector/errors.hpp"
#include "tests/support/temp_dir.hpp"

using namespace ccbisect;
using ccbisect::testing::TempDir;

namespace {
TrialResult make_result(Outcome outcome, int exit_status) {
  TrialResult result;
  result.outcome = outcome;
  result.exit_status = exit_status;
  result.seconds = 0.25;
  result.log_tail = "last line";
  return result;
}

std::string error_of(const std::filesystem::path& path) {
  try {
    Store::open(path);
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("a new store is created with its directory, in WAL mode, at the current schema", "[store]") {
  TempDir dir("store");
  auto path = dir / "deep/nested/ccbisect.db";
  auto store = Store::open(path);
  CHECK(std::filesystem::exists(path));
  CHECK(store->schema_version() == Store::k_schema_version);
  SQLite::Database raw(path.string());
  CHECK(raw.execAndGet("PRAGMA journal_mode").getString() == "wal");
}

TEST_CASE("a recorded trial is found again after the store is closed and reopened", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  {
    auto store = Store::open(path);
    store->begin_session({"objects", "{}", "gcc-12 -O1", "v12", "gcc-12 -O2", "v12"});
    store->record_items("objects", {"a.o", "b.o", "c.o"});
    store->record("objects:k1", "objects", Subset{0, 2}, make_result(Outcome::fail, 1));
    store->record("objects:k2", "objects", Subset{}, make_result(Outcome::pass, 0));
  }
  auto store = Store::open(path);
  auto hit = store->lookup("objects:k1");
  REQUIRE(hit);
  CHECK(hit->outcome == Outcome::fail);
  CHECK(hit->exit_status == 1);
  CHECK(hit->log_tail == "last line");
  CHECK(hit->seconds == Approx(0.25));
  CHECK_FALSE(store->lookup("objects:never"));
  auto trials = store->trials("objects");
  REQUIRE(trials.size() == 2);
  CHECK(trials[0].subset == "0,2");
  CHECK(trials[0].subset_size == 2);
  CHECK(store->items("objects") == std::vector<std::string>{"a.o", "b.o", "c.o"});
  auto sessions = store->sessions();
  REQUIRE(sessions.size() == 1);
  CHECK(sessions[0].bad_toolchain == "gcc-12 -O2");
}

TEST_CASE("findings and compiles round-trip", "[store]") {
  auto store = Store::open_in_memory();
  store->begin_session({"objects", "{}", "g", "", "b", ""});
  store->record_finding("objects", "found", R"({"culprits":["x.o"]})");
  auto findings = store->findings("objects");
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].payload == R"({"culprits":["x.o"]})");
  CHECK(store->findings("flags").empty());
  CompileRow row{"key1", "bad", "/p/x.o", "abcd", 0, "", 0.5};
  store->record_compile(row);
  auto back = store->compiled("key1");
  REQUIRE(back);
  CHECK(back->object_hash == "abcd");
  CHECK_FALSE(store->compiled("key2"));
}

TEST_CASE("a corrupt database file is refused with its path and what to do", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  std::ofstream(path) << std::string(4096, 'x');
  std::string error = error_of(path);
  CHECK_THAT(error, Catch::Contains(path.string()));
  CHECK_THAT(error, Catch::Contains("corrupt"));
  CHECK_THAT(error, Catch::Contains("move it away"));
}

TEST_CASE("another program's SQLite database is refused, not modified", "[store]") {
  TempDir dir("store");
  auto path = dir / "other.db";
  {
    SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    other.exec("CREATE TABLE photos(id INTEGER PRIMARY KEY, name TEXT)");
  }
  std::string error = error_of(path);
  CHECK_THAT(error, Catch::Contains(path.string()));
  CHECK_THAT(error, Catch::Contains("another program"));
  SQLite::Database other(path.string());
  CHECK(other.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'trials'").getInt() == 0);
}

TEST_CASE("a database from a newer ccbisect is refused", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  Store::open(path);
  {
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO schema_migrations(version, applied_at) VALUES(99, 'future')");
  }
  CHECK_THAT(error_of(path), Catch::Contains("schema version 99"));
}

TEST_CASE("an unwritable directory gives a clear error naming the path", "[store]") {
  if (::geteuid() == 0) {
    // root ignores directory permissions; a path under a regular file is unwritable for anyone
    TempDir dir("store");
    std::ofstream(dir / "file") << "x";
    auto path = dir / "file/sub/ccbisect.db";
    std::string error = error_of(path);
    CHECK_THAT(error, Catch::Contains(path.string()));
    CHECK_THAT(error, Catch::Contains("writable"));
    return;
  }
  TempDir dir("store");
  std::filesystem::permissions(dir.path(),
                               std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
  auto path = dir / "sub/ccbisect.db";
  std::string error = error_of(path);
  CHECK_THAT(error, Catch::Contains(path.string()));
}

TEST_CASE("a version-1 database is migrated to the current schema, keeping its rows", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  {
    auto store = Store::open(path);
    store->begin_session({"objects", "{}", "g", "", "b", ""});
    store->record("objects:k1", "objects", Subset{1}, make_result(Outcome::fail, 1));
  }
  {
    // make it look like version 1: the compiles table as it was, and no record of migration 2
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    raw.exec("DROP TABLE compiles");
    raw.exec(
        "CREATE TABLE compiles(key TEXT PRIMARY KEY, side TEXT NOT NULL, output TEXT NOT NULL, "
        "object_hash TEXT NOT NULL, status INTEGER NOT NULL, log TEXT NOT NULL, seconds REAL NOT NULL, "
        "created_at TEXT NOT NULL)");
    raw.exec("ALTER TABLE trials DROP COLUMN unresolved_reason");  // added by migration 4
    raw.exec("ALTER TABLE trials DROP COLUMN node");               // added by migration 5
    raw.exec("DELETE FROM schema_migrations WHERE version >= 2");
  }
  auto store = Store::open(path);
  CHECK(store->schema_version() == Store::k_schema_version);
  CHECK(store->lookup("objects:k1"));
  CompileRow row{"k", "bad", "/p/x.o", "ab", 0, "", 0.1, "/p", "gcc -c x.c -o x.o"};
  store->record_compile(row);
  REQUIRE(store->compiled("k"));
  CHECK(store->compiled("k")->command == "gcc -c x.c -o x.o");
}

TEST_CASE("threads share one store without a lock of their own", "[store]") {
  TempDir dir("store-threads");
  auto store = Store::open(dir / "ccbisect.db");
  store->begin_session({"objects", "{}", "good", "v", "bad", "v"});
  constexpr int k_threads = 4;
  constexpr int k_each = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      try {
        for (int i = 0; i < k_each; ++i) {
          std::string key = "key-" + std::to_string(t) + "-" + std::to_string(i);
          store->record(key, "objects", {static_cast<std::size_t>(i)}, make_result(Outcome::fail, t));
          CompileRow row;
          row.key = key;
          row.object_hash = "h" + key;
          store->record_compile(row);
          if (!store->lookup(key) || !store->compiled(key)) {
            ++failures;
          }
        }
      } catch (...) {
        ++failures;
      }
    });
  }
  for (std::thread& thread : threads) {
    thread.join();
  }
  CHECK(failures == 0);
  TrialCounts counts = store->trial_counts();
  CHECK(counts.total == k_threads * k_each);
  CHECK(counts.distinct_configurations == k_threads * k_each);
  CHECK(store->compiles().size() == k_threads * k_each);
  // Each cache entry points at its own trial (the row id read inside the same locked transaction).
  for (const TrialRow& row : store->trials()) {
    std::optional<TrialResult> cached = store->lookup(row.cache_key);
    REQUIRE(cached);
    CHECK(cached->exit_status == row.result.exit_status);
  }
}

TEST_CASE("trial_counts tells repeated configurations apart, per level", "[store]") {
  auto store = Store::open_in_memory();
  store->record("a", "objects", {0}, make_result(Outcome::fail, 1));
  store->record("a", "objects", {0}, make_result(Outcome::fail, 1));
  store->record("b", "flags", {1}, make_result(Outcome::pass, 0));
  TrialCounts all = store->trial_counts();
  CHECK(all.total == 3);
  CHECK(all.distinct_configurations == 2);
  CHECK(store->trial_counts("flags").total == 1);
  CHECK(store->trial_counts("passes").total == 0);
}

TEST_CASE("a full disk or a read-only database is named with the path and what to do", "[store]") {
  TempDir dir;
  auto store = Store::open(dir.path() / "ccbisect.db");
  std::string path = (dir.path() / "ccbisect.db").string();
  auto full = store_failure_message(SQLite::Exception("database or disk is full", SQLITE_FULL));
  REQUIRE(full);
  CHECK(full->find(path) != std::string::npos);
  CHECK(full->find("Free space") != std::string::npos);
  CHECK(full->find("will not run again") != std::string::npos);
  auto readonly =
      store_failure_message(SQLite::Exception("attempt to write a readonly database", SQLITE_READONLY));
  REQUIRE(readonly);
  CHECK(readonly->find("write access") != std::string::npos);
  CHECK_FALSE(store_failure_message(std::runtime_error("not from SQLite")));
}

TEST_CASE("an unresolved trial's reason is stored by value and read back", "[store]") {
  auto store = Store::open_in_memory();
  TrialResult link = make_result(Outcome::unresolved, -1);
  link.reason = UnresolvedReason::link_failed;
  store->record("objects:k1", "objects", Subset{0}, link);
  TrialResult silent = make_result(Outcome::unresolved, -1);  // a producer that did not say why
  store->record("objects:k2", "objects", Subset{1}, silent);
  TrialResult judged = make_result(Outcome::fail, 1);
  judged.reason = UnresolvedReason::oracle_timeout;  // meaningless on a judged trial
  store->record("objects:k3", "objects", Subset{2}, judged);
  TrialResult interrupted = make_result(Outcome::unresolved, 130);
  interrupted.reason = UnresolvedReason::interrupted;
  store->record("objects:k4", "objects", Subset{3}, interrupted);
  CHECK(store->lookup("objects:k1")->reason == UnresolvedReason::link_failed);
  CHECK(store->lookup("objects:k2")->reason == UnresolvedReason::unknown);
  CHECK(store->lookup("objects:k3")->reason == UnresolvedReason::none);
  CHECK(store->lookup("objects:k4")->reason == UnresolvedReason::interrupted);
  auto trials = store->trials("objects");
  REQUIRE(trials.size() == 4);
  CHECK(trials[0].result.reason == UnresolvedReason::link_failed);
  CHECK(trials[3].result.reason == UnresolvedReason::interrupted);
}

TEST_CASE("every unresolved reason has a name that reads back; unknown names read as unknown", "[store]") {
  for (UnresolvedReason reason :
       {UnresolvedReason::none, UnresolvedReason::compile_failed, UnresolvedReason::link_failed,
        UnresolvedReason::objects_rebuilt, UnresolvedReason::splice_failed, UnresolvedReason::oracle_timeout,
        UnresolvedReason::oracle_said_unresolved, UnresolvedReason::oracle_error,
        UnresolvedReason::executor_lost, UnresolvedReason::interrupted, UnresolvedReason::unknown}) {
    INFO(to_string(reason));
    CHECK(parse_unresolved_reason(to_string(reason)) == reason);
  }
  CHECK(to_string(UnresolvedReason::oracle_said_unresolved) == "oracle-said-unresolved");
  CHECK(parse_unresolved_reason("struck-by-lightning") == UnresolvedReason::unknown);
}

TEST_CASE("each trial records the node that ran it; older rows and local trials have none", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  Store::open(path);
  {
    // A database as schema 4 left it, with one trial.
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    raw.exec("ALTER TABLE trials DROP COLUMN node");
    raw.exec("DELETE FROM schema_migrations WHERE version >= 5");
    raw.exec(
        "INSERT INTO trials(level, cache_key, subset, subset_size, outcome, exit_status, duration_ms, "
        "log_tail, started_at, ended_at) VALUES('objects', 'objects:old', '0', 1, 'pass', 0, 1.0, '', 't', "
        "'t')");
  }
  auto store = Store::open(path);
  CHECK(store->schema_version() == 5);
  TrialResult remote = make_result(Outcome::fail, 1);
  remote.node = "node07";
  store->record("objects:k1", "objects", Subset{1}, remote);
  store->record("objects:k2", "objects", Subset{2}, make_result(Outcome::pass, 0));
  auto trials = store->trials("objects");
  REQUIRE(trials.size() == 3);
  CHECK(trials[0].result.node.empty());
  CHECK(trials[1].result.node == "node07");
  CHECK(trials[2].result.node.empty());
  CHECK(store->lookup("objects:k1")->node == "node07");
}

TEST_CASE("a version-3 database gains the unresolved reasons its logs told", "[store]") {
  TempDir dir("store");
  auto path = dir / "ccbisect.db";
  Store::open(path);
  // Rows as the code of schema 3 wrote them: no reason column, the reason in the log's words.
  struct OldRow {
    const char* outcome;
    int exit_status;
    const char* log;
    UnresolvedReason expected;
  };
  const std::vector<OldRow> rows = {
      {"pass", 0, "ok", UnresolvedReason::none},
      {"fail", 1, "[ccbisect] link failed: but judged", UnresolvedReason::none},
      {"unresolved", -1, "[ccbisect] link failed: `make prog` (exit 2):\nundefined reference",
       UnresolvedReason::link_failed},
      {"unresolved", -1, "[ccbisect] link `make prog` failed (exit 2):\n", UnresolvedReason::link_failed},
      {"unresolved", -1, "[ccbisect] compile failed: obj/x.o does not compile with -fwrapv:\n",
       UnresolvedReason::compile_failed},
      {"unresolved", -1, "[ccbisect] obj/x.o does not compile with -fwrapv:\nerror",
       UnresolvedReason::compile_failed},
      {"unresolved", -1,
       "[ccbisect] the link command `make` (make build) rebuilt 1 placed object(s) instead of relinking "
       "them: "
       "obj/a.o; this trial did not test the mix",
       UnresolvedReason::objects_rebuilt},
      {"unresolved", -1, "[ccbisect] splice failed: no symbol table", UnresolvedReason::splice_failed},
      {"unresolved", 137, "still running\n[ccbisect] oracle timed out after 5 s; process group killed",
       UnresolvedReason::oracle_timeout},
      {"unresolved", 137,
       "[ccbisect] qemu (tcg, 9.0 s): unresolved: no verdict line in 9 s; QEMU's process group killed "
       "([oracle] on_timeout)",
       UnresolvedReason::oracle_timeout},
      {"unresolved", 125, "skip", UnresolvedReason::oracle_said_unresolved},
      {"unresolved", 0,
       "[ccbisect] qemu (tcg, 1.0 s): unresolved: QEMU exited (status 0) without a verdict line ([oracle] "
       "on_error)",
       UnresolvedReason::oracle_said_unresolved},
      {"unresolved", -1, "oracle could not start: no such file", UnresolvedReason::oracle_error},
      {"unresolved", 127,
       "sh: ./check.sh: not found\n[ccbisect] the oracle command `./check.sh` could not run",
       UnresolvedReason::oracle_error},
      {"unresolved", 137,
       "\n[ccbisect] the oracle's shell was killed by signal 9 (from outside, or out of memory)",
       UnresolvedReason::oracle_error},
      {"unresolved", -1, "[ccbisect] qemu: the kernel vmlinuz does not exist",
       UnresolvedReason::oracle_error},
      {"unresolved", 3, "something else", UnresolvedReason::unknown},
  };
  {
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE);
    raw.exec("ALTER TABLE trials DROP COLUMN unresolved_reason");
    raw.exec("ALTER TABLE trials DROP COLUMN node");
    raw.exec("DELETE FROM schema_migrations WHERE version >= 4");
    for (std::size_t i = 0; i < rows.size(); ++i) {
      SQLite::Statement insert(
          raw,
          "INSERT INTO trials(level, cache_key, subset, subset_size, outcome, exit_status, "
          "duration_ms, log_tail, started_at, ended_at) VALUES('objects', ?, '0', 1, ?, ?, "
          "1.0, ?, 't', 't')");
      insert.bind(1, "objects:k" + std::to_string(i));
      insert.bind(2, rows[i].outcome);
      insert.bind(3, rows[i].exit_status);
      insert.bind(4, rows[i].log);
      insert.exec();
      raw.exec("INSERT INTO cache(key, trial_id, outcome) VALUES('objects:k" + std::to_string(i) +
               "', last_insert_rowid(), '" + rows[i].outcome + "')");
    }
  }
  auto store = Store::open(path);
  CHECK(store->schema_version() == 5);
  auto trials = store->trials("objects");
  REQUIRE(trials.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    INFO(rows[i].log);
    CHECK(trials[i].result.reason == rows[i].expected);
    CHECK(store->lookup("objects:k" + std::to_string(i))->reason == rows[i].expected);
  }
  // and a new trial records its own
  TrialResult result = make_result(Outcome::unresolved, -1);
  result.reason = UnresolvedReason::oracle_error;
  store->record("objects:new", "objects", Subset{3}, result);
  CHECK(store->lookup("objects:new")->reason == UnresolvedReason::oracle_error);
}
