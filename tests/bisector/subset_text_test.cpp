// Tests of the range text for subsets (bisector/subset_text.cpp). The store keys its cache on this
// text and reads it back for reports, so it must round-trip exactly and refuse anything it did not
// write rather than guess.
#include <catch2/catch.hpp>

#include <numeric>

#include "bisector/subset_text.hpp"

using ccbisect::decode_ranges;
using ccbisect::encode_ranges;
using ccbisect::Subset;

TEST_CASE("the empty subset is the empty string and back", "[subset_text]") {
  CHECK(encode_ranges({}).empty());
  auto decoded = decode_ranges("");
  REQUIRE(decoded);
  CHECK(decoded->empty());
}

TEST_CASE("runs of consecutive items are written as ranges", "[subset_text]") {
  CHECK(encode_ranges({7}) == "7");
  CHECK(encode_ranges({0, 1}) == "0-1");
  CHECK(encode_ranges({0, 1, 2, 3, 750, 800, 801, 802}) == "0-3,750,800-802");
  Subset half(500);
  std::iota(half.begin(), half.end(), 0);
  CHECK(encode_ranges(half) == "0-499");
}

TEST_CASE("a subset survives encoding and decoding unchanged", "[subset_text]") {
  std::vector<Subset> samples = {
      {0}, {5}, {0, 2, 4, 6}, {1, 2, 3, 10, 11, 29999}, {4294967296ULL, 4294967297ULL},  // beyond 32 bits
  };
  Subset large(30000);
  std::iota(large.begin(), large.end(), 0);
  samples.push_back(large);
  Subset strided;
  for (std::size_t i = 0; i < 30000; i += 3) {
    strided.push_back(i);
  }
  samples.push_back(strided);
  for (const Subset& subset : samples) {
    INFO("subset of " << subset.size() << " items: " << encode_ranges(subset).substr(0, 60));
    auto decoded = decode_ranges(encode_ranges(subset));
    REQUIRE(decoded);
    CHECK(*decoded == subset);
  }
}

TEST_CASE("a single-item range and overlong digits decode like the canonical form", "[subset_text]") {
  // Not what encode_ranges writes, but unambiguous, so accepting it loses nothing.
  CHECK(decode_ranges("4-4") == Subset{4});
  CHECK(decode_ranges("007") == Subset{7});
}

TEST_CASE("text that is not an ascending range list is rejected", "[subset_text]") {
  const char* malformed[] = {
      ",",                        // empty piece
      ",1",                       // leading comma
      "1,,2",                     // empty piece in the middle
      "a",                        // not a number
      "1a",                       // trailing garbage
      " 1",                       // whitespace
      "-1",                       // negative / missing start
      "1-",                       // missing end
      "5-3",                      // descending range
      "3,2",                      // descending items
      "2,2",                      // duplicate item
      "0-5,5",                    // overlapping ranges
      "1-2-3",                    // two dashes
      "+1",                       // sign
      "99999999999999999999999",  // overflows size_t
  };
  for (const char* text : malformed) {
    INFO("text: \"" << text << "\"");
    CHECK_FALSE(decode_ranges(text));
  }
}

TEST_CASE("an index too large to be an item is rejected, not expanded", "[subset_text]") {
  CHECK_FALSE(decode_ranges("18446744073709551615"));
  CHECK_FALSE(decode_ranges("0-18446744073709551614"));
}

TEST_CASE("a trailing comma is rejected", "[subset_text]") {
  CHECK_FALSE(decode_ranges("1,"));
  CHECK_FALSE(decode_ranges("0-3,"));
}
