// fpstats' test program: `stats_test CASE` feeds a NaN to one function (template, header, member,
// lambda) and finite samples to the others; exit 0 when every answer is right.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "fpstats/stats.hpp"

std::string format_count(long value);

// Compares the bits: under -ffinite-math-only, `nan == -1.0` may come out true (the unordered flag is
// not looked at), and this program must judge the library, not be fooled by its own build.
bool same(double a, double b) {
  std::uint64_t x = 0;
  std::uint64_t y = 0;
  std::memcpy(&x, &a, sizeof x);
  std::memcpy(&y, &b, sizeof y);
  return x == y;
}

int main(int argc, char** argv) {
  std::string which = argc > 1 ? argv[1] : "all";
  double nan = std::strtod("nan", nullptr);  // at run time: no compiler may fold it
  auto samples = [&](const char* name) {
    std::vector<double> v{1, 2, 3, 4};
    if (which == name || which == "all") {
      v.push_back(nan);
    }
    return v;
  };
  int failures = 0;
  auto check = [&](const char* name, bool ok) {
    if (!ok) {
      std::printf("FAIL %s\n", name);
      ++failures;
    }
  };
  bool nan_in = which == "template" || which == "all";
  check("template", same(fpstats::mean(samples("template")), nan_in ? -1.0 : 2.5));
  check("template<float>", same(fpstats::mean(std::vector<float>{1, 2, 3}), 2.0));
  check("header", same(fpstats::finite_sum(samples("header")), 10.0));
  nan_in = which == "member" || which == "all";
  check("member", fpstats::invalid_in_histogram(samples("member")) == (nan_in ? 1 : 0));
  nan_in = which == "lambda" || which == "all";
  check("lambda", fpstats::count_missing(samples("lambda")) == (nan_in ? 1 : 0));
  check("checksum", fpstats::checksum({1, 2, 3}) == 1 * 31 * 31 + 4 * 31 + 9);
  check("median", fpstats::median({5, 1, 3}) == 3);
  check("format", format_count(1234) == "1234");
  std::printf("%s: %d failures\n", which.c_str(), failures);
  return failures == 0 ? 0 : 1;
}
