// The command oracle's verdicts and, for each way it can be unresolved, the reason it gives.
#include "oracle/command_oracle.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace ccbisect;

namespace {
OracleVerdict judge(const std::string& command, double timeout = 10.0,
                    Outcome on_timeout = Outcome::unresolved) {
  return CommandOracle(command, timeout, on_timeout).judge(std::filesystem::temp_directory_path());
}
}  // namespace

TEST_CASE("the command oracle says why it is unresolved, and nothing when it judged", "[oracle]") {
  CHECK(judge("exit 0").outcome == Outcome::pass);
  CHECK(judge("exit 0").reason == UnresolvedReason::none);
  CHECK(judge("exit 1").outcome == Outcome::fail);
  CHECK(judge("exit 1").reason == UnresolvedReason::none);

  OracleVerdict skipped = judge("exit 125");
  CHECK(skipped.outcome == Outcome::unresolved);
  CHECK(skipped.reason == UnresolvedReason::oracle_said_unresolved);

  for (const char* broken : {"exit 126", "./no-such-oracle-script", "kill -9 $$"}) {
    INFO(broken);
    OracleVerdict verdict = judge(broken);
    CHECK(verdict.outcome == Outcome::unresolved);
    CHECK(verdict.reason == UnresolvedReason::oracle_error);
  }

  OracleVerdict slow = judge("sleep 5", 0.2);
  CHECK(slow.outcome == Outcome::unresolved);
  CHECK(slow.reason == UnresolvedReason::oracle_timeout);
  // A timeout that counts as a failure is a verdict: no reason.
  OracleVerdict failed = judge("sleep 5", 0.2, Outcome::fail);
  CHECK(failed.outcome == Outcome::fail);
  CHECK(failed.reason == UnresolvedReason::none);
}
