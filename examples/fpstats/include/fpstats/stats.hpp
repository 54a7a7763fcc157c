// fpstats: small statistics over samples that may hold NaN (a missing measurement).
#pragma once

#include <vector>

namespace fpstats {

double mean(const std::vector<double>& samples);  // -1 when a sample is NaN
float mean(const std::vector<float>& samples);
double finite_sum(const std::vector<double>& samples);  // NaN and infinities count as 0
int invalid_in_histogram(const std::vector<double>& samples);
long count_missing(const std::vector<double>& samples);  // how many samples are NaN
long checksum(const std::vector<int>& values);
int median(std::vector<int> values);

}  // namespace fpstats
