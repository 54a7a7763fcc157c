// The evidence for the verdict, read from the findings in the store (so `ccbisect report` can decide
// it again from a copied database, with no project at hand).
#pragma once

#include "bisector/verdict.hpp"
#include "db/store.hpp"

namespace ccbisect {

Evidence gather_evidence(Store& store);

}  // namespace ccbisect
