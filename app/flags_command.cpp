// `ccbisect flags`: which optimization options of the bad compile make the culprit objects fail,
// then the latent-bug probes. Reads top to bottom: the object level's answer → the options that
// differ → search (a subset = the options left on; the others are turned back) → probes → report.
#include <algorithm>
#include <fstream>
#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/culprit_context.hpp"
#include "app/level_runner.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "bisector/subset_text.hpp"
#include "bisector/verdict.hpp"
#include "capture/compdb.hpp"
#include "db/findings_store.hpp"
#include "source/function_finder.hpp"
#include "sys/process.hpp"
#include "toolchain/compiler.hpp"
#include "toolchain/optimization_flags.hpp"

namespace ccbisect {
namespace {

// A flag-level trial: the options in the subset stay as the bad side has them, every other one is
// turned back (-fno-X, or good's value).
class FlagTrialExecutor : public TrialExecutor {
 public:
  FlagTrialExecutor(CulpritRebuild& rebuild, const std::vector<FlagItem>& items)
      : m_rebuild(rebuild), m_items(items) {}
  TrialResult run(const Subset& subset, std::size_t /*slot*/) override {
    RebuildRequest request;
    std::size_t next = 0;
    for (std::size_t i = 0; i < m_items.size(); ++i) {
      if (next < subset.size() && subset[next] == i) {
        ++next;
        continue;
      }
      for (std::string& word : split_command_line(m_items[i].disable)) {
        request.extra_flags.push_back(word);
      }
    }
    return m_rebuild.run(request).trial;
  }

 private:
  CulpritRebuild& m_rebuild;
  const std::vector<FlagItem>& m_items;
};

// The side's optimization options as the culprit's compile has them: its own, then the side's.
std::vector<std::string> effective_options(const CompileEntry& entry, const ToolchainSide& side) {
  std::vector<std::string> argv =
      retarget_compile(entry, compiler_for(side, entry.is_cxx), split_command_line(side.flags), "x.o");
  return optimization_options(argv);
}

struct ProbeOutcome {
  ProbeResult result;  // what the finding records
  bool cached = false;
};

// What an unresolved probe's reason means for the user.
std::string probe_note(UnresolvedReason reason) {
  switch (reason) {
    case UnresolvedReason::compile_failed:
      return "not supported by this compiler";
    case UnresolvedReason::link_failed:
      return "did not link: the sanitizer runtimes come through $LDFLAGS, which the link command must pass "
             "(a kernel or module has no userspace sanitizer runtime at all)";
    default:
      return "unresolved";
  }
}

// The first clang on PATH, newest first, for its static analyzer; "" if none.
std::string any_clang() {
  for (int version = 19; version >= 13; --version) {
    std::string name = fmt::format("clang-{}", version);
    if (find_program(name)) {
      return name;
    }
  }
  return find_program("clang") ? "clang" : "";
}

// The diagnostics probe: each culprit compiled as each side compiles it with the UB-related
// warnings on (-Wclobbered, -Wmaybe-uninitialized, ...: they need the optimizers, so real
// compiles), then through GCC's -fanalyzer and Clang's static analyzer; only diagnostics located in
// the culprits' own sources are kept.
std::vector<Diagnostic> culprit_diagnostics(const CulpritContext& context,
                                            const std::vector<std::string>& culprit_sources) {
  const Config& config = context.level.config;
  std::vector<std::string> found;
  auto compile = [&](const CompileEntry& entry, const std::string& compiler,
                     const std::vector<std::string>& flags) {
    ProcessSpec spec;
    spec.argv = retarget_compile(entry, compiler, flags, "/dev/null");
    spec.cwd = entry.directory;
    spec.timeout_seconds = 300;
    spec.tail_bytes = 256 * 1024;
    spec.environment = {{"LC_ALL", "C"}};
    for (const std::string& line : ub_diagnostics(run_process(spec).output_tail, culprit_sources)) {
      if (std::find(found.begin(), found.end(), line) == found.end()) {
        found.push_back(line);
      }
    }
  };
  std::string clang = any_clang();
  for (const RebuildTarget& target : context.rebuild->targets()) {
    for (const ToolchainSide* side : {&config.bad, &config.good}) {
      const CompileEntry& entry = side == &config.bad ? target.bad_entry : target.good_entry;
      const std::string& compiler = compiler_for(*side, entry.is_cxx);
      bool is_clang = compiler_family(compiler) == CompilerFamily::clang;
      std::vector<std::string> flags = split_command_line(side->flags);
      std::vector<std::string> warnings = ub_warning_flags(is_clang);
      flags.insert(flags.end(), warnings.begin(), warnings.end());
      compile(entry, compiler, flags);
      if (!is_clang && !entry.is_cxx) {
        std::vector<std::string> analyzer = split_command_line(side->flags);
        analyzer.push_back("-fanalyzer");
        compile(entry, compiler, analyzer);
      }
    }
    if (!clang.empty()) {
      compile(target.bad_entry, clang, {"--analyze"});
    }
  }
  // Each diagnostic with the function it lies in (the last definition that starts at or before its
  // line; "" when libclang cannot parse the source) and its source line. Each culprit source is
  // parsed and read once, however many diagnostics it has.
  struct Source {
    std::vector<FunctionDefinition> functions;
    std::vector<std::string> lines;
  };
  std::map<std::string, Source> sources;  // by file name, as the diagnostics name them
  for (const RebuildTarget& target : context.rebuild->targets()) {
    Source& source = sources[target.bad_entry.source.filename().string()];
    source.functions = find_function_definitions(target.bad_entry).functions;
    std::ifstream in(target.bad_entry.source);
    for (std::string line; std::getline(in, line);) {
      source.lines.push_back(line);
    }
  }
  std::vector<Diagnostic> out;
  for (const std::string& text : found) {
    Diagnostic diagnostic{"", text};
    std::size_t colon = text.find(':');
    auto source = sources.find(text.substr(0, colon));
    if (colon != std::string::npos && source != sources.end()) {
      unsigned line = static_cast<unsigned>(std::strtoul(text.c_str() + colon + 1, nullptr, 10));
      for (const FunctionDefinition& function : source->second.functions) {
        if (function.line <= line) {
          diagnostic.function = function.name;
        }
      }
      if (line >= 1 && line <= source->second.lines.size()) {
        diagnostic.code = source->second.lines[line - 1];
      }
    }
    out.push_back(diagnostic);
  }
  return out;
}

// Runs every latent-bug probe on the culprits; each is a recorded, cached trial of level "probes".
std::vector<ProbeOutcome> run_probes(CulpritContext& context, std::string& sanitizer_report) {
  std::vector<ProbeOutcome> outcomes;
  std::vector<Probe> probes = latent_bug_probes();
  std::vector<std::string> names;
  for (const Probe& probe : probes) {
    names.push_back(probe.name);
  }
  context.level.store->record_items("probes", names);
  std::filesystem::path reports = context.level.config.workdir_path() / "probes";
  for (std::size_t i = 0; i < probes.size(); ++i) {
    const Probe& probe = probes[i];
    if (probe.cxx_only && !context.any_cxx) {
      continue;
    }
    RebuildRequest request;
    request.good_side = probe.good_side;
    request.extra_flags = probe.flags;
    if (probe.sanitizer) {
      // Reports go to files, whatever the oracle does with the program's stderr; the link gets the
      // runtimes through LDFLAGS, which make and most build scripts read from the environment.
      std::filesystem::remove_all(reports);
      std::filesystem::create_directories(reports);
      request.environment = {
          {"LDFLAGS", "-fsanitize=undefined,address"},
          // An allocator limit is not undefined behaviour: a program that asks for a huge block on
          // purpose gets NULL, as without ASan, instead of an abort.
          {"ASAN_OPTIONS",
           "detect_leaks=0:allocator_may_return_null=1:detect_stack_use_after_return=0:log_path=" +
               (reports / "asan").string()},
          {"UBSAN_OPTIONS", "print_stacktrace=1:log_path=" + (reports / "ubsan").string()}};
    }
    bool cached = false;
    std::string key = fmt::format("{}|{}|{}", probe.good_side, fmt::join(probe.flags, " "), probe.sanitizer);
    TrialResult result = cached_rebuild(context, "probes", key, i, request, cached);
    ProbeOutcome outcome{{probe.name, result.outcome, UnresolvedReason::none, ""}, cached};
    if (result.outcome == Outcome::unresolved) {
      outcome.result.reason = result.reason;
      outcome.result.note = probe_note(result.reason);
    }
    if (probe.sanitizer && !cached) {
      // The report lands in the log files, or (UBSan inside the ASan runtime ignores UBSAN_OPTIONS'
      // log_path) on the program's stderr, which the oracle's output may hold.
      if (std::filesystem::exists(reports)) {
        for (const auto& file : std::filesystem::directory_iterator(reports)) {
          std::ifstream in(file.path());
          std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
          sanitizer_report += last_lines(text, 40);
        }
      }
      if (result.log_tail.find("runtime error:") != std::string::npos ||
          result.log_tail.find("Sanitizer") != std::string::npos) {
        sanitizer_report += result.log_tail;
      }
      record_finding(*context.level.store, "probes", SanitizerReport{sanitizer_report});
    }
    outcomes.push_back(outcome);
  }
  if (sanitizer_report.empty()) {
    // A resumed run: the report of the earlier sanitizer trial is in the store.
    if (auto recorded = latest_finding<SanitizerReport>(*context.level.store, "probes", "sanitizer-report")) {
      sanitizer_report = recorded->text;
    }
  }
  return outcomes;
}

// The flag level's answer in its own words.
std::string flags_verdict(const LevelRun& run, const std::vector<FlagItem>& items) {
  if (run.result.status == SearchStatus::found) {
    // Options are named as bad has them (the cause); their turned-back forms are the fix.
    std::vector<std::string> needed;
    for (std::size_t index : run.result.culprits) {
      needed.push_back(items[index].option);
    }
    if (needed.size() == 1) {
      return fmt::format("the failure needs {} from the bad compile: {} makes it pass", needed.front(),
                         run.culprit_names.front());
    }
    if (run.result.method == "ddmin") {
      return fmt::format(
          "the failure needs {} together from the bad compile: turning back any one of them ({}) makes it "
          "pass",
          fmt::join(needed, " and "), fmt::join(run.culprit_names, " or "));
    }
    return fmt::format(
        "each of {} makes it fail on its own: only turning back all of them ({}) makes it pass",
        fmt::join(needed, ", "), fmt::join(run.culprit_names, " "));
  }
  if (run.result.status == SearchStatus::not_reproducible && run.result.all_good == Outcome::fail) {
    return "no -f option set changes the outcome: with every differing option turned back it still fails";
  }
  if (run.result.status == SearchStatus::not_reproducible && run.result.all_bad == Outcome::pass) {
    return "the bad compile of the culprits does not fail here; run `ccbisect objects` again";
  }
  return run.result.message;
}

}  // namespace

LevelReport flags_level(const CommonOptions& options, const std::string& object) {
  auto start = std::chrono::steady_clock::now();
  // 1. The object level's answer, and the culprits' compiles.
  CulpritContext context = prepare_culprits(options.config, "flags", options.jobs, object);
  const Config& config = context.level.config;
  const RebuildTarget& first = context.rebuild->targets().front();

  // 2. The options that differ between the good and the bad compile.
  std::vector<std::string> good_options = effective_options(first.good_entry, config.good);
  std::vector<std::string> bad_options = effective_options(first.bad_entry, config.bad);
  std::string good_compiler = compiler_for(config.good, first.good_entry.is_cxx);
  std::string bad_compiler = compiler_for(config.bad, first.bad_entry.is_cxx);
  FlagScreen screen =
      screen_flags(bad_compiler, differing_flags(good_compiler, good_options, bad_compiler, bad_options),
                   first.bad_entry.is_cxx);
  if (!screen.contract.empty()) {
    note(fmt::format("[flags] left out, they change the ABI or the code's contract: {}",
                     fmt::join(screen.contract, " ")));
  }
  if (!screen.rejected.empty()) {
    note(fmt::format("[flags] left out, {} rejects the turned-back form: {}", bad_compiler,
                     fmt::join(screen.rejected, " ")));
  }
  std::vector<FlagItem> items = std::move(screen.items);
  std::vector<std::string> names;
  for (const FlagItem& item : items) {
    names.push_back(item.disable);
  }
  note(fmt::format("[flags] {} options differ for {} ({} {} vs {} {})", items.size(), first.name,
                   good_compiler, fmt::join(good_options, " "), bad_compiler, fmt::join(bad_options, " ")));

  // 3. Search: which options must stay on for the failure (a subset = the options left on).
  FlagTrialExecutor executor(*context.rebuild, items);
  LevelPlan plan;
  plan.level = "flags";
  plan.items = names;
  plan.executor = &executor;
  plan.configuration_key =
      fmt::format("{}|flags|{}", context.level.configuration_key, encode_ranges(context.culprits));
  plan.jobs = options.jobs;
  plan.repeat = context.level.config.oracle.repeat;
  plan.strategy = options.strategy;
  plan.start = start;
  plan.message = [&items](const LevelRun& run) { return flags_verdict(run, items); };
  LevelConclusion conclusion;
  if (items.empty()) {
    conclusion.level = "flags";
    conclusion.status = SearchStatus::not_reproducible;
    conclusion.message = "no -f option differs between the good and the bad compile";
  } else {
    conclusion = conclusion_of(search_level(*context.level.store, plan), plan);
  }

  // 4. Latent-bug probes: options that make undefined behaviour harmless, and sanitizers.
  std::string sanitizer_report;
  std::vector<ProbeOutcome> probes = run_probes(context, sanitizer_report);
  context.rebuild->restore();
  ProbesFinding finding;
  for (const ProbeOutcome& probe : probes) {
    finding.probes.push_back(probe.result);
    if (probe.result.outcome == Outcome::pass && probe.result.probe.rfind("-f", 0) == 0 &&
        probe.result.probe.rfind("-fsanitize", 0) != 0) {
      finding.ub_tolerance_fixes.push_back(probe.result.probe);
    }
  }
  // Evidence is what lies in the culprits' sources; the rest of the program's reports are a note.
  std::vector<std::string> culprit_sources;
  for (const RebuildTarget& target : context.rebuild->targets()) {
    culprit_sources.push_back(target.bad_entry.source.string());
  }
  SanitizerAttribution attribution = attribute_sanitizer_report(sanitizer_report, culprit_sources);
  finding.sanitizer_in_culprit = attribution.in_culprit;
  finding.sanitizer_elsewhere = attribution.elsewhere;
  finding.sanitizer_reported = !attribution.in_culprit.empty();
  finding.sanitizer_report = sanitizer_report;
  finding.diagnostics = culprit_diagnostics(context, culprit_sources);
  record_finding(*context.level.store, "probes", finding);
  const std::vector<std::string>& fixes = finding.ub_tolerance_fixes;
  bool sanitizer_found = finding.sanitizer_reported;

  // 5. Report: the driver's summary with the probes, then what the probes say.
  conclusion.seconds = seconds_since(start);
  nlohmann::json objects = nlohmann::json::array();
  for (const RebuildTarget& target : context.rebuild->targets()) {
    objects.push_back(target.name);
  }
  LevelReport report = conclude_level(conclusion, {{"objects", objects},
                                                   {"items", names.size()},
                                                   {"probes", finding.probes},
                                                   {"ub_sensitive", !fixes.empty() || sanitizer_found},
                                                   {"sanitizer_report", sanitizer_report},
                                                   // Each probe is a trial too (a rebuild, a link, the
                                                   // oracle): `run` counts them in its total.
                                                   {"probe_trials", probes.size()}});
  for (const ProbeOutcome& probe : probes) {
    const ProbeResult& result = probe.result;
    note(fmt::format("[probes] {:<36} {}{}{}", result.probe, to_string(result.outcome),
                     result.note.empty() ? "" : ": " + result.note, probe.cached ? " (recorded)" : ""));
  }
  if (!fixes.empty()) {
    note(
        fmt::format("[probes] UB-sensitive: {} make(s) it pass, which points at undefined behaviour in the "
                    "source that the bad compiler exploits",
                    fmt::join(fixes, ", ")));
  }
  if (sanitizer_found) {
    note(fmt::format("[probes] the sanitizers report undefined behaviour in the culprits: {}",
                     fmt::join(finding.sanitizer_in_culprit, "; ")));
  }
  for (const std::string& elsewhere : finding.sanitizer_elsewhere) {
    note("[probes] UB elsewhere in the program (not in a culprit object, not evidence): " + elsewhere);
  }
  for (const Diagnostic& diagnostic : finding.diagnostics) {
    note(fmt::format("[probes] diagnostics: {}{}", diagnostic.text,
                     diagnostic.function.empty() ? "" : " (in " + diagnostic.function + ")"));
  }
  return report;
}

}  // namespace ccbisect
