// The one place that turns `[oracle] type` into an Oracle. Adding an oracle type = one new file
// implementing Oracle + one branch here + its keys in config.cpp's table + one test.
#pragma once

#include <memory>

#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

// Throws UserError naming the type when it is unknown.
std::unique_ptr<Oracle> make_oracle(const Config& config);

}  // namespace ccbisect
