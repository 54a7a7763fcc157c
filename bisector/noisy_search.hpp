// Noisy group testing: a search for independent culprits over an oracle that flips its answers at
// random, by probabilistic bisection (Horstein 1963; Waeber, Frazier & Henderson 2013).
//
// The engine switches to it once the oracle has contradicted itself (engine.hpp, step 5). Model:
// each answer is flipped pass <-> fail with probability `eps`, independently of every other ask;
// a mix fails iff it holds a culprit. Found culprits stay on the good side; the other items, in
// order, are u_0 .. u_{m-1}, and X is the position of the first culprit among them (X = m: none
// left). The prefix "u_0 .. u_{i-1} from bad" fails iff X < i, so finding X is a binary search
// whose answers lie with probability eps.
//
// The search keeps a posterior over X (prior: half the mass on "none", the rest uniform) built
// from every vote the search has consulted, not only its own prefixes: a configuration S holding a
// found culprit says nothing about X; otherwise S fails under X = x when u_x is in S, passes when
// every item of S comes before u_x, and else fails with probability 1 - (1 - d)^n, n being its
// items after u_x and d = (culprits found + `density_culprits`) / m the chance that one of them is
// a culprit too. Each step asks the prefix at the posterior median. Once one position holds
// `locate_mass` of the posterior, its certificate is asked: u_x alone must fail (x < m), or
// everything but the found culprits must pass (x = m). A position is accepted when its posterior
// reaches `accept_mass` and its certificate's agreeing votes outnumber the disagreeing ones by at
// least `certificate_lead`; u_x then joins the found culprits and the search goes on for the
// next. Accepting "none" ends it once every configuration consulted agrees with the answer by
// majority: one that does not (or ties) is asked again first, the posterior following its votes.
// Answers already in the memo (the first pass, the re-asks) count as evidence, so the search
// starts where they leave it. The flip rate is estimated from the configurations asked more than
// once (minority votes over resolved votes; re-asked configurations are the suspicious ones, so it
// errs high), with a prior of `prior_flip_rate` worth 20 votes, kept within [min_flip_rate, 0.3].
//
// Cost: about log2(N) / (1 - H(eps)) asks per culprit (about 19 at N = 1000, eps = 0.1) plus its
// certificate (2 or 3 asks) and the re-asks of configurations that contradict the answer. A
// certificate that goes the wrong way moves the posterior, and the search goes on. It ends
// inconclusive, never with a guess, when its budget is spent, when a position the prefixes insist
// on does not fail alone after 5 asks (the culprits interact), when a configuration holding a
// found culprit keeps passing, or when the prefixes say nothing fails at all. Engine work per step
// is linear in N plus the runs of consecutive items of the configurations asked (about 1 ms at
// N = 30,000).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "bisector/engine.hpp"
#include "bisector/prober.hpp"

namespace ccbisect {

struct NoisyOptions {
  double prior_flip_rate = 0.10;
  double min_flip_rate = 0.05;
  double locate_mass = 0.8;            // posterior mass on one position before its certificate is asked
  double accept_mass = 0.995;          // posterior mass to accept a position
  std::size_t certificate_lead = 2;    // agreeing minus disagreeing votes a certificate needs
  std::size_t budget_per_culprit = 0;  // asks per culprit found (plus one); 0: 4 ceil(log2 N) + 24
  double density_culprits = 3.0;       // culprits expected among the items, besides those found
};

struct NoisyResult {
  SearchStatus status = SearchStatus::inconclusive;  // found or inconclusive
  std::vector<std::size_t> culprits;                 // ascending
  double flip_rate = 0.0;                            // the estimate the search ended with
  std::size_t asks = 0;                              // oracle runs this search made
  std::string message;
};

// Searches every independent culprit among `prober.item_count()` items; the sanity answers are
// expected to be in the memo already (all-bad failing).
NoisyResult noisy_group_testing(Prober& prober, const NoisyOptions& options = {});

}  // namespace ccbisect
