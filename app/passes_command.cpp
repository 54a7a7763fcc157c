// `ccbisect passes`: inside one culprit object, the first optimization step that makes it fail.
// * Clang: -mllvm -opt-bisect-limit=N runs only the first N passes; the passes are listed once
//   with N=-1 ("BISECT: running pass (N) <Pass> on <unit>") and N is binary-searched.
// * GCC: -fdbg-cnt=counter:N lets only the first N transformations of one kind happen. The counters
//   the bad compile uses are listed with -fdbg-cnt-list; each is screened with counter:0, and N is
//   binary-searched for the first counter whose zero makes it pass.
// Both searches are prefix searches (bisector/prefix_search.hpp) through the Prober, so trials are
// cached, recorded and resumable like every other level.
#include <regex>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/culprit_context.hpp"
#include "app/level_runner.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/prefix_search.hpp"
#include "db/findings_store.hpp"
#include "sys/hashing.hpp"
#include "sys/process.hpp"
#include "toolchain/compiler.hpp"
#include "toolchain/optimization_flags.hpp"

namespace ccbisect {
namespace {

struct Step {
  std::size_t index = 0;  // 1-based
  std::string name;       // the pass, or the debug counter
  std::string unit;       // the function (or loop, module) it ran on; empty for counters
};

// Compiles the culprit with the bad side plus `extra`, discarding the object, and returns everything
// the compiler printed.
std::string compile_output(const CulpritContext& context, const std::vector<std::string>& extra) {
  const Config& config = context.level.config;
  const RebuildTarget& target = context.rebuild->targets().front();
  std::vector<std::string> flags = split_command_line(config.bad.flags);
  flags.insert(flags.end(), extra.begin(), extra.end());
  std::filesystem::path scratch = context.level.objects->scratch_path("passes");
  ProcessSpec spec;
  spec.argv =
      retarget_compile(target.bad_entry, compiler_for(config.bad, target.bad_entry.is_cxx), flags, scratch);
  spec.cwd = target.bad_entry.directory;
  spec.timeout_seconds = 600;
  spec.tail_bytes = 64 << 20;
  ProcessResult run = run_process(spec);
  std::error_code ignored;
  std::filesystem::remove(scratch, ignored);
  if (!run.started || run.exit_status != 0) {
    throw UserError(
        fmt::format("`{}` failed:\n{}", fmt::join(spec.argv, " "), last_lines(run.output_tail, 10)));
  }
  return run.output_tail;
}

std::vector<Step> clang_passes(const CulpritContext& context) {
  std::string output = compile_output(context, {"-mllvm", "-opt-bisect-limit=-1"});
  // "BISECT: running pass (14) InstCombinePass on store_both" (IR passes) and
  // "BISECT: running pass (124) X86 LEA Fixup on function (store_both)" (codegen passes, whose
  // names have spaces): the unit follows the last " on ".
  static const std::regex line(R"(BISECT: running pass \((\d+)\) (.+) on (.+)$)");
  std::vector<Step> steps;
  std::istringstream lines(output);
  for (std::string text; std::getline(lines, text);) {
    std::smatch match;
    if (std::regex_search(text, match, line)) {
      std::string unit = match[3];
      if (unit.rfind("function (", 0) == 0 && unit.back() == ')') {
        unit = unit.substr(10, unit.size() - 11);
      }
      steps.push_back({std::stoul(match[1]), match[2], unit});
    }
  }
  return steps;
}

// Counters the bad compile queried at least once, in the order GCC lists them.
std::vector<Step> gcc_counters(const CulpritContext& context) {
  std::string output = compile_output(context, {"-fdbg-cnt-list"});
  std::vector<Step> counters;
  std::istringstream lines(output);
  for (std::string text; std::getline(lines, text);) {
    std::istringstream words(text);
    std::string name;
    std::string value;
    words >> name >> value;
    if (!name.empty() && std::all_of(value.begin(), value.end(), ::isdigit) && !value.empty() &&
        value != "0") {
      counters.push_back({std::stoul(value), name, ""});
    }
  }
  return counters;
}

// The cache key prefix of a step search: the object level's configuration, the culprit, and what is
// being limited (the pass pipeline, or one counter).
std::string hash_prefix(const CulpritContext& context, const std::string& level, const std::string& key) {
  return level + ":" +
         hash_text(fmt::format("{}|{}|{}", context.level.configuration_key,
                               context.rebuild->targets().front().name, key));
}

// A trial that allows the first k steps: subset = prefix(k).
class LimitExecutor : public TrialExecutor {
 public:
  LimitExecutor(CulpritRebuild& rebuild, std::function<std::vector<std::string>(std::size_t)> flags_for)
      : m_rebuild(rebuild), m_flags_for(std::move(flags_for)) {}
  TrialResult run(const Subset& subset, std::size_t /*slot*/) override {
    RebuildRequest request;
    request.extra_flags = m_flags_for(subset.size());
    return m_rebuild.run(request).trial;
  }

 private:
  CulpritRebuild& m_rebuild;
  std::function<std::vector<std::string>(std::size_t)> m_flags_for;
};

struct PassSearch {
  PrefixResult result;
  ProbeCounters counters;
};

PassSearch search_steps(CulpritContext& context, const std::string& level, const std::string& key,
                        std::size_t count, std::function<std::vector<std::string>(std::size_t)> flags_for,
                        std::size_t jobs) {
  LimitExecutor executor(*context.rebuild, std::move(flags_for));
  std::vector<std::string> names;
  for (std::size_t k = 1; k <= count; ++k) {
    names.push_back(fmt::format("step {}", k));
  }
  Store& store = *context.level.store;
  store.record_items(level, names);
  std::string prefix_key = hash_prefix(context, level, key);
  Prober prober(
      level, count, executor, &store,
      [prefix_key](const Subset& subset) { return prefix_key + ":" + std::to_string(subset.size()); }, jobs,
      console().progress_sink());
  PassSearch search;
  search.result = search_prefix(prober);
  search.counters = prober.counters();
  return search;
}

}  // namespace

LevelReport passes_level(const CommonOptions& options, const std::string& object) {
  auto start = std::chrono::steady_clock::now();
  // 1. One culprit object: the one named, or the object level's first.
  CulpritContext context = prepare_culprits(options.config, "passes", options.jobs, object, true);
  const Config& config = context.level.config;
  const RebuildTarget& target = context.rebuild->targets().front();
  std::string compiler = compiler_for(config.bad, target.bad_entry.is_cxx);
  CompilerFamily family = compiler_family(compiler);

  PassFinding finding;
  finding.object = target.name;
  LevelConclusion conclusion;
  conclusion.level = "passes";
  ProbeCounters& counters = conclusion.counters;
  if (family == CompilerFamily::clang) {
    // 2a. Clang: list the passes once, then binary-search the limit.
    std::vector<Step> passes = clang_passes(context);
    note(fmt::format("[passes] {} runs {} optional passes on {}", compiler, passes.size(), target.name));
    if (passes.empty()) {
      throw UserError(fmt::format("{} printed no BISECT lines for {}; is it an optimizing compile?", compiler,
                                  target.name));
    }
    PassSearch search = search_steps(
        context, "passes", "opt-bisect", passes.size(),
        [](std::size_t k) {
          return std::vector<std::string>{"-mllvm", fmt::format("-opt-bisect-limit={}", k)};
        },
        options.jobs);
    counters = search.counters;
    conclusion.method = "opt-bisect-limit";
    conclusion.status = search.result.status;
    if (search.result.status == SearchStatus::found) {
      const Step& step = passes[search.result.first_failing - 1];
      finding.pass = PassStep{step.name, step.unit, step.index};
      conclusion.message =
          fmt::format("pass {} ({}) on {} is the first that makes it fail", step.index, step.name, step.unit);
    } else {
      conclusion.message = search.result.message;
    }
  } else if (family == CompilerFamily::gcc) {
    // 2b. GCC: screen each debug counter with counter:0, then binary-search the first that helps.
    std::vector<Step> counter_list = gcc_counters(context);
    note(fmt::format("[passes] {} queries {} debug counters on {}", compiler, counter_list.size(),
                     target.name));
    conclusion.method = "dbg-cnt";
    conclusion.message =
        "no debug counter changes the outcome: the failure is not in a transformation GCC can count";
    conclusion.status = SearchStatus::inconclusive;
    for (std::size_t i = 0; i < counter_list.size(); ++i) {
      const Step& counter = counter_list[i];
      RebuildRequest request;
      request.extra_flags = {fmt::format("-fdbg-cnt={}:0", counter.name)};
      bool cached = false;
      TrialResult zero = cached_rebuild(context, "passes-screen",
                                        fmt::format("{}|{}", target.name, counter.name), i, request, cached);
      note(fmt::format("[passes] -fdbg-cnt={}:0 \u2192 {}{}", counter.name, to_string(zero.outcome),
                       cached ? " (recorded)" : ""));
      finding.counters.push_back({counter.name, zero.outcome});
      ++(cached ? counters.cached : counters.run);
      if (zero.outcome != Outcome::pass) {
        continue;
      }
      PassSearch search = search_steps(
          context, "passes", "dbg-cnt|" + counter.name, counter.index,
          [name = counter.name](std::size_t k) {
            return std::vector<std::string>{fmt::format("-fdbg-cnt={}:{}", name, k)};
          },
          options.jobs);
      counters.run += search.counters.run;
      counters.cached += search.counters.cached;
      counters.unresolved += search.counters.unresolved;
      if (search.result.status == SearchStatus::found) {
        finding.pass = PassStep{counter.name, std::nullopt, search.result.first_failing};
        conclusion.status = SearchStatus::found;
        conclusion.message = fmt::format(
            "debug counter {}: transformation {} of {} is the first that makes it fail "
            "(-fdbg-cnt={}:{} passes)",
            counter.name, search.result.first_failing, counter.index, counter.name,
            search.result.last_passing);
        break;
      }
    }
  } else {
    throw UserError(
        fmt::format("[bad] {} is neither GCC nor Clang; the pass level knows only those two", compiler));
  }
  context.rebuild->restore();
  finding.status = conclusion.status;
  finding.method = conclusion.method;
  record_finding(*context.level.store, "passes", finding);
  conclusion.seconds = seconds_since(start);
  LevelReport report = conclude_level(conclusion, finding);  // the finding's fields join the summary's
  report.lines.clear();
  if (finding.pass) {
    report.lines.push_back(nlohmann::json(*finding.pass).dump());
  }
  return report;
}

}  // namespace ccbisect
