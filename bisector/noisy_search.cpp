// Probabilistic bisection over prefixes for independent culprits; see noisy_search.hpp.
#include "bisector/noisy_search.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <unordered_map>

namespace ccbisect {
namespace {

using Items = std::vector<std::size_t>;

constexpr std::size_t k_found = std::numeric_limits<std::size_t>::max();
// Resolved votes after which a configuration holding a found culprit that still does not fail by
// majority ends the search.
constexpr std::size_t k_most_asks = 15;
// Unresolved answers (and no resolved one) after which a configuration is not asked again.
constexpr std::size_t k_unresolved_asks = 3;

std::size_t ceil_log2(std::size_t n) {
  std::size_t bits = 0;
  while ((std::size_t{1} << bits) < n) {
    ++bits;
  }
  return bits;
}

// The items still searched, in order (u_0 .. u_{m-1}), and where each item sits among them.
struct Order {
  Items items;
  std::vector<std::size_t> position;  // item -> its index in `items`, or k_found for a found culprit

  Subset prefix(std::size_t length) const {
    return Subset(items.begin(), items.begin() + static_cast<long>(length));
  }
};

Order order_without(std::size_t count, const Items& found) {
  Order order;
  order.position.assign(count, k_found);
  for (std::size_t item = 0; item < count; ++item) {
    if (!std::binary_search(found.begin(), found.end(), item)) {
      order.position[item] = order.items.size();
      order.items.push_back(item);
    }
  }
  return order;
}

// The flip rate: minority votes over resolved votes of the configurations asked more than once,
// with the prior worth 20 votes, within [min_flip_rate, 0.3].
double estimate_flip_rate(const Prober& prober, const NoisyOptions& options) {
  constexpr double prior_weight = 20.0;
  double minority = 0.0;
  double resolved = 0.0;
  prober.for_each_consulted([&](const Subset&, const Votes& votes) {
    std::size_t asked = votes.pass + votes.fail;
    if (asked >= 2) {
      minority += static_cast<double>(std::min(votes.pass, votes.fail));
      resolved += static_cast<double>(asked);
    }
  });
  double rate = (options.prior_flip_rate * prior_weight + minority) / (prior_weight + resolved);
  return std::clamp(rate, options.min_flip_rate, 0.3);
}

double log_add(double a, double b) {
  double high = std::max(a, b);
  return high + std::log(std::exp(a - high) + std::exp(b - high));
}

// The runs of consecutive items of the configurations in the memo, computed once per
// configuration: the posterior is rebuilt at every step from every configuration consulted, and a
// configuration is a few runs even when it holds most of 30,000 items. Keyed by the address of the
// memo's key, which a std::map keeps for the Prober's lifetime.
class Runs {
 public:
  using Run = std::pair<std::size_t, std::size_t>;  // first and last item, inclusive

  const std::vector<Run>& of(const Subset& subset) {
    auto [found, inserted] = m_runs.try_emplace(&subset);
    if (inserted) {
      for (std::size_t item : subset) {
        if (!found->second.empty() && found->second.back().second + 1 == item) {
          found->second.back().second = item;
        } else {
          found->second.emplace_back(item, item);
        }
      }
    }
    return found->second;
  }

 private:
  std::unordered_map<const Subset*, std::vector<Run>> m_runs;
};

// Whether one of the sorted `items` lies in one of `runs`.
bool holds_any(const std::vector<Runs::Run>& runs, const Items& items) {
  return std::any_of(runs.begin(), runs.end(), [&](const Runs::Run& run) {
    auto at = std::lower_bound(items.begin(), items.end(), run.first);
    return at != items.end() && *at <= run.second;
  });
}

// The posterior of X over positions 0..m (m: no culprit left), normalized. `density` is the chance
// that an item after u_X is a culprit too: a subset with n items after u_X and not u_X itself fails
// with probability 1 - (1 - density)^n.
std::vector<double> posterior(const Prober& prober, Runs& runs, const Order& order, const Items& found,
                              double flip_rate, double density) {
  const std::size_t m = order.items.size();
  std::vector<double> ranged(m + 2, 0.0);  // differences of range additions
  const double log_right = std::log(1.0 - flip_rate);
  const double log_wrong = std::log(flip_rate);
  const double log_half = std::log(0.5);
  const double log_kept = std::log1p(-density);  // log P(an item is not a culprit)
  prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
    if (votes.pass + votes.fail == 0) {
      return;
    }
    const std::vector<Runs::Run>& shape = runs.of(subset);
    if (holds_any(shape, found)) {
      return;  // it fails whatever X is: no evidence
    }
    double fails = static_cast<double>(votes.fail);
    double passes = static_cast<double>(votes.pass);
    double if_fails = fails * log_right + passes * log_wrong;
    double if_passes = fails * log_wrong + passes * log_right;
    std::size_t from = 0;
    std::size_t after = subset.size();  // items of the subset from this run on
    for (const auto& [first, last] : shape) {
      std::size_t begin = order.position[first];
      std::size_t end = order.position[last] + 1;  // no found culprit inside: positions are consecutive
      if (from < begin) {
        // X between the previous run and this one, `after` items of the subset after it: the
        // subset fails with probability 1 - (1 - density)^after.
        double log_clean = static_cast<double>(after) * log_kept;
        double between = log_add(std::log(-std::expm1(log_clean)) + if_fails, log_clean + if_passes);
        ranged[from] += between;
        ranged[begin] -= between;
      }
      ranged[begin] += if_fails;  // u_X is in the subset
      ranged[end] -= if_fails;
      after -= last - first + 1;
      from = end;
    }
    ranged[from] += if_passes;  // X after every item of the subset
    ranged[m + 1] -= if_passes;
  });
  std::vector<double> weight(m + 1);
  const double log_each = m == 0 ? 0.0 : std::log(0.5 / static_cast<double>(m));
  double running = 0.0;
  double highest = -std::numeric_limits<double>::infinity();
  for (std::size_t x = 0; x <= m; ++x) {
    running += ranged[x];
    weight[x] = running + (x == m ? (m == 0 ? 0.0 : log_half) : log_each);
    highest = std::max(highest, weight[x]);
  }
  double total = 0.0;
  for (double& w : weight) {
    w = std::exp(w - highest);
    total += w;
  }
  for (double& w : weight) {
    w /= total;
  }
  return weight;
}

// Agreeing minus disagreeing votes of a certificate expected to give `expected`.
long lead_of(const Votes& votes, Outcome expected) {
  long fails = static_cast<long>(votes.fail);
  long passes = static_cast<long>(votes.pass);
  return expected == Outcome::fail ? fails - passes : passes - fails;
}

// Asks `subset` once more: its first ask (honouring the Prober's repeat) or another vote.
void ask(Prober& prober, const Subset& subset) {
  if (prober.consulted(subset)) {
    prober.ask_again(subset);
  } else {
    prober.outcome(subset);
  }
}

// The prefix length i in [1, m] whose P(X < i) is nearest 1/2, skipping prefixes that only ever
// came back unresolved; nothing when every one did.
std::optional<std::size_t> median_query(const Prober& prober, const Order& order,
                                        const std::vector<double>& weight) {
  const std::size_t m = order.items.size();
  std::vector<bool> blocked(m + 1, false);
  for (;;) {
    std::optional<std::size_t> best;
    double best_distance = 2.0;
    double below = 0.0;
    for (std::size_t i = 1; i <= m; ++i) {
      below += weight[i - 1];
      double distance = std::abs(below - 0.5);
      if (!blocked[i] && distance < best_distance) {
        best = i;
        best_distance = distance;
      }
    }
    if (!best) {
      return std::nullopt;
    }
    Subset subset = order.prefix(*best);
    Votes votes = prober.consulted(subset) ? prober.votes(subset) : Votes{};
    if (votes.unresolved < k_unresolved_asks || votes.pass + votes.fail > 0) {
      return best;
    }
    blocked[*best] = true;
  }
}

}  // namespace

NoisyResult noisy_group_testing(Prober& prober, const NoisyOptions& options) {
  NoisyResult result;
  const std::size_t count = prober.item_count();
  const std::size_t start_runs = prober.counters().run;
  const std::size_t per_culprit =
      options.budget_per_culprit > 0 ? options.budget_per_culprit : 4 * ceil_log2(count + 1) + 24;
  const long lead_needed = static_cast<long>(options.certificate_lead);
  Items found;
  Order order = order_without(count, found);
  Runs runs;
  for (;;) {
    result.asks = prober.counters().run - start_runs;
    result.flip_rate = estimate_flip_rate(prober, options);
    if (result.asks > per_culprit * (found.size() + 1)) {
      result.message = "noisy bisection spent its budget of " + std::to_string(per_culprit) +
                       " runs per culprit without settling: the oracle is too noisy, or the culprits "
                       "interact";
      result.culprits = found;
      return result;
    }
    const std::size_t m = order.items.size();
    double density = std::min(0.5, static_cast<double>(found.size() + options.density_culprits) /
                                       static_cast<double>(std::max<std::size_t>(1, order.items.size())));
    std::vector<double> weight = posterior(prober, runs, order, found, result.flip_rate, density);
    std::size_t x = static_cast<std::size_t>(std::max_element(weight.begin(), weight.end()) - weight.begin());
    if (weight[x] >= options.locate_mass) {
      Subset certificate = x == m ? order.prefix(m) : Subset{order.items[x]};
      Outcome expected = x == m ? Outcome::pass : Outcome::fail;
      if (!prober.consulted(certificate)) {
        ask(prober, certificate);
        continue;
      }
      Votes votes = prober.votes(certificate);
      if (votes.pass + votes.fail == 0 && votes.unresolved >= k_unresolved_asks) {
        result.culprits = found;
        result.message = "the trial that would certify the answer stays unresolved";
        return result;
      }
      long lead = lead_of(votes, expected);
      if (lead >= lead_needed && weight[x] >= options.accept_mass) {
        if (x < m) {
          found.insert(std::upper_bound(found.begin(), found.end(), order.items[x]), order.items[x]);
          order = order_without(count, found);
          continue;
        }
        // Before answering, every configuration consulted must agree with the answer by majority:
        // those that do not (or tie) are asked again, one at a time, the posterior following.
        std::optional<Subset> against;
        bool stuck = false;
        prober.for_each_consulted([&](const Subset& subset, const Votes& votes) {
          std::size_t resolved = votes.pass + votes.fail;
          if (resolved == 0 || against) {
            return;
          }
          bool holds_culprit = holds_any(runs.of(subset), found);
          long agreeing = lead_of(votes, holds_culprit ? Outcome::fail : Outcome::pass);
          if (agreeing <= 0) {
            against = subset;
            // One without a found culprit weighs on the posterior, which decides; one with a found
            // culprit that keeps passing says that culprit is wrong.
            stuck = holds_culprit && (agreeing <= -(lead_needed + 2) || resolved >= k_most_asks);
          }
        });
        if (stuck) {
          result.culprits = found;
          result.message =
              "a configuration holding a culprit keeps passing after asking again: the oracle is too "
              "noisy, or the culprits do not behave as the search assumes";
          return result;
        }
        if (against) {
          ask(prober, *against);
          continue;
        }
        result.culprits = found;
        if (found.empty()) {
          result.message =
              "after asking again, nothing fails: the answers that made the difference look "
              "reproducible were flips";
          return result;
        }
        result.status = SearchStatus::found;
        result.message = "each of these fails on its own; without them it passes";
        return result;
      }
      if (lead <= -(lead_needed + 1) && votes.pass + votes.fail >= 2 * options.certificate_lead + 1) {
        result.culprits = found;
        result.message =
            x < m ? "the configurations point at one item, but it does not fail on its own even after "
                    "asking again: the culprits interact, or the oracle is too noisy"
                  : "the configurations say no culprit is left, but the rest still fails after asking "
                    "again: the culprits interact, or the oracle is too noisy";
        return result;
      }
      if (lead < lead_needed) {
        ask(prober, certificate);
        continue;
      }
    }
    std::optional<std::size_t> query = median_query(prober, order, weight);
    if (!query) {
      result.culprits = found;
      result.message = "every configuration the noisy bisection needs is unresolved";
      return result;
    }
    ask(prober, order.prefix(*query));
  }
}

}  // namespace ccbisect
