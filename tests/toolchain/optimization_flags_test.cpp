// The flag level's items with real GCC: what differs between -O1 and -O2, and the screen that
// leaves out ABI/contract options and turned-back forms the compiler rejects (issue 13, point 6).
#include "toolchain/optimization_flags.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/skip.hpp"

using namespace ccbisect;

namespace {

bool has_option(const std::vector<FlagItem>& items, const std::string& option) {
  return std::any_of(items.begin(), items.end(), [&](const FlagItem& item) { return item.option == option; });
}

}  // namespace

TEST_CASE("options that change the ABI or the code's contract are named as such, in either polarity",
          "[flags]") {
  for (const char* option : {"-fstack-protector-strong", "-fno-stack-protector", "-fshort-enums",
                             "-fshort-wchar", "-fPIC", "-fno-pie", "-fcommon", "-fcf-protection=full",
                             "-ftrivial-auto-var-init=zero", "-fno-asynchronous-unwind-tables"}) {
    INFO(option);
    CHECK(changes_abi_or_contract(option));
  }
  for (const char* option : {"-finline-functions", "-fno-strict-aliasing", "-ftree-vectorize",
                             "-ffinite-math-only", "-fno-signed-zeros", "-fwrapv", "-fpeel-loops"}) {
    INFO(option);
    CHECK_FALSE(changes_abi_or_contract(option));
  }
}

TEST_CASE("the screen keeps what gcc accepts and leaves out contract options and rejected forms", "[flags]") {
  ccbisect::testing::require_tools({"gcc-12"});
  std::vector<FlagItem> items = {
      {"-ftree-vectorize", "-fno-tree-vectorize"},
      {"-fstack-protector-strong", "-fno-stack-protector-strong"},  // GCC rejects this form, too
      {"-fshort-enums", "-fno-short-enums"},
      {"-fipa-bogus-pass", "-fno-ipa-bogus-pass"},  // no such option: rejected
      {"-finline-functions", "-fno-inline-functions"},
  };
  FlagScreen screen = screen_flags("gcc-12", items, false);
  CHECK(screen.items.size() == 2);
  CHECK(has_option(screen.items, "-ftree-vectorize"));
  CHECK(has_option(screen.items, "-finline-functions"));
  CHECK(screen.contract == std::vector<std::string>{"-fstack-protector-strong", "-fshort-enums"});
  CHECK(screen.rejected == std::vector<std::string>{"-fno-ipa-bogus-pass"});

  // -O1 vs -O2 on the same gcc: every item's turned-back form compiles.
  std::vector<FlagItem> differing = differing_flags("gcc-12", {"-O1"}, "gcc-12", {"-O2"});
  CHECK(has_option(differing, "-finline-small-functions"));
  FlagScreen o2 = screen_flags("gcc-12", differing, false);
  CHECK(o2.rejected.empty());
  CHECK(o2.items.size() + o2.contract.size() == differing.size());
}
