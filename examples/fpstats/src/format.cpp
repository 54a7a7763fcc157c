// fpstats: formatting results for the test program (integer work only).
#include <string>

std::string format_count(long value) {
  std::string out;
  do {
    out.insert(out.begin(), static_cast<char>('0' + value % 10));
    value /= 10;
  } while (value > 0);
  return out;
}
