// The capture's progress line: compiles done per side and an estimate from the pace so far.
#include "capture/capture.hpp"

#include <catch2/catch.hpp>

using ccbisect::capture_progress;

TEST_CASE("capture progress counts each side and estimates what is left from the pace so far", "[capture]") {
  // 20 of 106 compiles in 40 s: 2 s each, 86 left -> 172 s
  CHECK(capture_progress(12, 8, 53, 40) ==
        "[capture] good 12/53, bad 8/53 compiles (40 s so far, about 2.9 min left)");
  CHECK(capture_progress(50, 50, 53, 100) ==
        "[capture] good 50/53, bad 50/53 compiles (100 s so far, about 6 s left)");
  CHECK(capture_progress(0, 0, 53, 6) == "[capture] good 0/53, bad 0/53 compiles (6 s so far)");
}
