// fpstats: the statistics. Each public function reaches a NaN test through a different kind of C++
// definition: a function template, an inline function of a header, a class member defined in its class
// body, and a lambda. The tests are written in the functions themselves (`x != x`, the builtins):
// std::isnan is an inline function of <cmath>, compiled as its caller's TU is, so under -ffast-math the
// latent bug would sit in the system header rather than in any function of this library.
#include "fpstats/stats.hpp"

#include <algorithm>
#include <cmath>

#include "fpstats/guard.hpp"

namespace fpstats {

// Function template, instantiated here for double and float.
template <typename T>
[[gnu::noinline]] T checked_mean(const std::vector<T>& samples) {
  T sum = 0;
  for (T x : samples) {
    if (x != x) {  // NaN
      return T(-1);
    }
    sum += x;
  }
  return samples.empty() ? T(0) : sum / static_cast<T>(samples.size());
}

double mean(const std::vector<double>& samples) { return checked_mean(samples); }
float mean(const std::vector<float>& samples) { return checked_mean(samples); }

double finite_sum(const std::vector<double>& samples) {
  double sum = 0;
  for (double x : samples) {
    sum += finite_or(x, 0.0);
  }
  return sum;
}

// A class whose members are defined in its body (inline, hence COMDAT when not inlined).
class Histogram {
 public:
  explicit Histogram(int bins) : m_counts(static_cast<std::size_t>(bins), 0) {}
  [[gnu::noinline]] void add(double x) {
    if (x != x) {  // NaN
      ++m_invalid;
      return;
    }
    std::size_t bin = static_cast<std::size_t>(std::fabs(x)) % m_counts.size();
    ++m_counts[bin];
  }
  int invalid() const { return m_invalid; }

 private:
  std::vector<int> m_counts;
  int m_invalid = 0;
};

int invalid_in_histogram(const std::vector<double>& samples) {
  Histogram histogram(8);
  for (double x : samples) {
    histogram.add(x);
  }
  return histogram.invalid();
}

long count_missing(const std::vector<double>& samples) {
  return std::count_if(samples.begin(), samples.end(), [](double x) { return __builtin_isnan(x); });
}

long checksum(const std::vector<int>& values) {
  long sum = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    sum = sum * 31 + values[i] * static_cast<long>(i + 1);
  }
  return sum;
}

int median(std::vector<int> values) {
  std::sort(values.begin(), values.end());
  return values.empty() ? 0 : values[values.size() / 2];
}

}  // namespace fpstats
