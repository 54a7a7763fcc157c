// Kill -9 a real ccbisect process in the middle of a (simulated, slow) search, run it again, and
// check that it resumes from the database: same answer, no finished trial run twice.
#include <catch2/catch.hpp>

#include "db/store.hpp"
#include "tests/support/scenario.hpp"

using namespace ccbisect::testing;

TEST_CASE("a search killed with SIGKILL resumes from its database and redoes no finished trial", "[resume]") {
  Scenario s("resume");
  auto db = (s.dir() / "sim.db").string();
  std::vector<std::string> args{"simulate", "--items", "600", "--culprits", "123,470", "--trial-delay",
                                "0.1",      "--db",    db};
  auto killed = s.run_and_kill_after(args, 8);
  INFO(killed.output);
  CHECK(killed.exit_status == 128 + 9);
  std::size_t finished;
  finished = ccbisect::Store::open(db)->trial_counts().total;
  REQUIRE(finished >= 8);

  args.push_back("--json");
  auto resumed = s.run(args);
  INFO(resumed.output);
  REQUIRE(resumed.exit_status == 0);
  CHECK(resumed.json["culprits"] == nlohmann::json::array({"item123", "item470"}));
  CHECK(resumed.json["cached"].get<std::size_t>() == finished);

  // the same search, uninterrupted, in a fresh database: same answer, same number of trials
  auto fresh_db = (s.dir() / "fresh.db").string();
  args[8] = fresh_db;
  args[6] = "0";
  auto fresh = s.run(args);
  CHECK(fresh.json["culprits"] == resumed.json["culprits"]);
  CHECK(fresh.json["trials"] == resumed.json["trials"]);

  ccbisect::TrialCounts counts = ccbisect::Store::open(db)->trial_counts();
  // Every configuration once, except the deliberate confirming re-run of the answer (its weakest
  // culprit alone, asked once already by the certification).
  CHECK(counts.total == counts.distinct_configurations + 1);
  CHECK(counts.total == resumed.json["trials"].get<std::size_t>());
}
