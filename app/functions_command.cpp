// `ccbisect functions`: inside one culprit object, the function(s) whose bad compile makes it fail.
// Three mechanisms, chosen by what differs between good and bad (or --mechanism):
// * attr (same GCC, a level or flag difference): the culprit TU is rebuilt by bad from a copy of its
//   source in which every function NOT in the subset carries __attribute__((optimize(...))) with
//   the good level or the options the flag level found (GCC's own per-function switch, as in the
//   bcache report's Comment 27);
// * optnone (same Clang): the same, with __attribute__((optnone, noinline));
// * splice (two different compilers): functions are moved from the bad object into the good one
//   by ELF rewriting (elf/elf_splice), in groups that keep statics and clones with their callers.
// Function definitions are found with libclang; a TU it cannot parse falls back to splicing.
#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/console.hpp"
#include "app/culprit_context.hpp"
#include "app/level_runner.hpp"
#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "capture/object_store.hpp"
#include "db/findings_store.hpp"
#include "elf/elf_splice.hpp"
#include "elf/symbol_graph.hpp"
#include "source/function_finder.hpp"
#include "sys/hashing.hpp"
#include "sys/process.hpp"
#include "toolchain/compiler.hpp"
#include "toolchain/optimization_flags.hpp"

namespace ccbisect {

// How the functions level applies a subset (--mechanism).
enum class FunctionMechanism { attr, optnone, splice };
template <>
struct EnumNames<FunctionMechanism> {
  static constexpr std::array k_names{std::pair{FunctionMechanism::attr, std::string_view{"attr"}},
                                      std::pair{FunctionMechanism::optnone, std::string_view{"optnone"}},
                                      std::pair{FunctionMechanism::splice, std::string_view{"splice"}}};
};

namespace {

// A trial of the attribute mechanisms: functions in the subset stay as bad compiles them, every other
// function gets the annotation, in a copy of the source and, for functions defined in the project's
// headers, in copies of those headers. The header copies go into a folder searched before any other
// (`-iquote DIR -I DIR` right after the compiler), mirrored under every search directory that holds
// the original, so `#include "fp.h"` and `#include <lib/fp.h>` both find the copy; the original's
// folder is searched last for the quote includes of the copy.
class AttributeExecutor : public TrialExecutor {
 public:
  AttributeExecutor(CulpritRebuild& rebuild, std::string target, CompileEntry entry,
                    std::vector<FunctionDefinition> functions, Annotation annotation,
                    std::filesystem::path scratch)
      : m_rebuild(rebuild),
        m_target(std::move(target)),
        m_entry(std::move(entry)),
        m_functions(std::move(functions)),
        m_annotation(std::move(annotation)),
        m_scratch(std::move(scratch)),
        m_search(include_search_order(m_entry)) {}

  TrialResult run(const Subset& subset, std::size_t /*slot*/) override {
    std::map<std::filesystem::path, std::vector<FunctionDefinition>> good;
    std::size_t next = 0;
    for (std::size_t i = 0; i < m_functions.size(); ++i) {
      if (next < subset.size() && subset[next] == i) {
        ++next;
      } else {
        good[m_functions[i].file].push_back(m_functions[i]);
      }
    }
    std::filesystem::create_directories(m_scratch);
    RebuildRequest request;
    std::string source_text =
        annotate_source(text_of(m_entry.source), good[m_entry.source.lexically_normal()], m_annotation);
    // The copy keeps the original's file name, in a folder named by its content: __FILE__ keeps its
    // basename (double-conversion's cctest names its tests after it, and the oracle selects them so).
    std::filesystem::path copy =
        m_scratch / ("source-" + hash_text(source_text).substr(0, 16)) / m_entry.source.filename();
    std::filesystem::create_directories(copy.parent_path());
    std::ofstream(copy) << source_text;
    request.sources[m_target] = copy;
    std::map<std::filesystem::path, std::string> headers;
    std::string all;
    for (const auto& [file, functions] : good) {
      if (file != m_entry.source.lexically_normal()) {
        headers[file] = annotate_source(text_of(file), functions, m_annotation);
        all += file.string() + '\0' + headers[file];
      }
    }
    if (!headers.empty()) {
      // Named by content, so a compile's cache key (its command line) changes with the headers.
      std::filesystem::path overlay = m_scratch / ("headers-" + hash_text(all).substr(0, 16));
      for (const auto& [file, text] : headers) {
        for (const std::filesystem::path& dir : m_search) {
          std::filesystem::path relative = file.lexically_relative(dir);
          if (relative.empty() || *relative.begin() == "..") {
            continue;
          }
          std::filesystem::create_directories((overlay / relative).parent_path());
          std::ofstream(overlay / relative) << text;
        }
        request.arguments_last.insert(request.arguments_last.end(), {"-iquote", file.parent_path().string()});
      }
      request.arguments_first = {"-iquote", overlay.string(), "-I", overlay.string()};
    }
    return m_rebuild.run(request).trial;
  }

 private:
  std::string text_of(const std::filesystem::path& path) {
    auto cached = m_texts.find(path);
    if (cached == m_texts.end()) {
      std::ifstream in(path);
      cached = m_texts
                   .emplace(path, std::string((std::istreambuf_iterator<char>(in)),
                                              std::istreambuf_iterator<char>()))
                   .first;
    }
    return cached->second;
  }

  CulpritRebuild& m_rebuild;
  std::string m_target;
  CompileEntry m_entry;
  std::vector<FunctionDefinition> m_functions;
  Annotation m_annotation;
  std::filesystem::path m_scratch;
  std::vector<std::filesystem::path> m_search;
  std::map<std::filesystem::path, std::string> m_texts;
};

// What makes a function "good" under GCC's optimize attribute: the options the flag level found
// (-fno-strict-aliasing -> "no-strict-aliasing"), else the good side's -O level and the turned-back
// -f options that only bad has. Also as a push/pop pragma pair, for definitions whose head a macro
// writes (gtest's TEST).
Annotation gcc_annotation(const CulpritContext& context, const RebuildTarget& target, bool use_flags = true) {
  std::vector<std::string> options;
  auto flags = latest_finding<SearchFinding>(*context.level.store, "flags", "found");
  if (flags && use_flags) {
    options = flags->culprits;
  }
  std::vector<std::string> quoted;
  for (const std::string& option : options) {
    if (option.rfind("-f", 0) == 0) {
      quoted.push_back("\"" + option.substr(2) + "\"");
    }
  }
  if (quoted.empty()) {
    const Config& config = context.level.config;
    std::vector<std::string> good = optimization_options(
        retarget_compile(target.good_entry, config.good.cc, split_command_line(config.good.flags), "x.o"));
    std::string level = "O0";
    for (const std::string& option : good) {
      if (option.rfind("-O", 0) == 0) {
        level = option.substr(1);
      }
    }
    quoted.push_back("\"" + level + "\"");
    // The -f options bad adds, turned back (-ffast-math -> "no-fast-math"): a level alone does not
    // undo them, since the attribute's options are added to the command line's.
    std::vector<std::string> bad = optimization_options(
        retarget_compile(target.bad_entry, config.bad.cc, split_command_line(config.bad.flags), "x.o"));
    for (const std::string& option : bad) {
      if (option.rfind("-f", 0) != 0 || option.find('=') != std::string::npos ||
          std::find(good.begin(), good.end(), option) != good.end()) {
        continue;
      }
      std::string name = option.substr(2);
      quoted.push_back("\"" + (name.rfind("no-", 0) == 0 ? name.substr(3) : "no-" + name) + "\"");
    }
  }
  Annotation annotation;
  annotation.attribute = fmt::format("__attribute__((optimize({})))", fmt::join(quoted, ", "));
  std::string escaped = fmt::format("{}", fmt::join(quoted, ", "));
  for (std::size_t at = escaped.find('"'); at != std::string::npos; at = escaped.find('"', at + 2)) {
    escaped.insert(at, "\\");
  }
  annotation.pragma_begin =
      fmt::format("_Pragma(\"GCC push_options\") _Pragma(\"GCC optimize({})\")", escaped);
  annotation.pragma_end = "_Pragma(\"GCC pop_options\")";
  return annotation;
}

// The function level's search, through the driver; `extras` holds what the mechanism adds to the JSON.
LevelReport search_functions(CulpritContext& context, const CommonOptions& options,
                             std::chrono::steady_clock::time_point start, std::vector<std::string> names,
                             TrialExecutor& executor, std::string key,
                             const std::function<void(const LevelRun&, nlohmann::json&)>& extras) {
  LevelPlan plan;
  plan.level = "functions";
  plan.items = std::move(names);
  plan.executor = &executor;
  plan.configuration_key = std::move(key);
  plan.jobs = options.jobs;
  plan.repeat = context.level.config.oracle.repeat;
  plan.strategy = options.strategy;
  plan.start = start;
  LevelRun run = search_level(*context.level.store, plan);
  context.rebuild->restore();
  nlohmann::json fields = nlohmann::json::object();
  fields["items"] = plan.items.size();
  extras(run, fields);
  return conclude_level(conclusion_of(run, plan), fields);
}

// A splice trial: the units in the subset come from the bad object, everything else from the good one.
class SpliceExecutor : public TrialExecutor {
 public:
  SpliceExecutor(CulpritRebuild& rebuild, std::string target, std::filesystem::path good,
                 std::filesystem::path bad, std::vector<SpliceUnit> units, std::filesystem::path scratch)
      : m_rebuild(rebuild),
        m_target(std::move(target)),
        m_good(std::move(good)),
        m_bad(std::move(bad)),
        m_units(std::move(units)),
        m_scratch(std::move(scratch)) {}

  TrialResult run(const Subset& subset, std::size_t /*slot*/) override {
    std::vector<SpliceUnit> chosen;
    for (std::size_t index : subset) {
      chosen.push_back(m_units[index]);
    }
    std::filesystem::create_directories(m_scratch);
    std::filesystem::path spliced = m_scratch / "spliced.o";
    SpliceResult splice = splice_objects(m_good, m_bad, chosen, spliced);
    if (!splice.ok) {
      // A splice that cannot be made says nothing about the code: unresolved, never fail.
      TrialResult result;
      result.outcome = Outcome::unresolved;
      result.reason = UnresolvedReason::splice_failed;
      result.log_tail = "[ccbisect] splice failed: " + splice.error;
      return result;
    }
    return m_rebuild.run_prebuilt({{m_target, spliced}});
  }

 private:
  CulpritRebuild& m_rebuild;
  std::string m_target;
  std::filesystem::path m_good;
  std::filesystem::path m_bad;
  std::vector<SpliceUnit> m_units;
  std::filesystem::path m_scratch;
};

// Splicing across two compilers (elf/elf_splice): both sides rebuild the culprit with
// -ffunction-sections -fdata-sections (and, for GCC, -fno-ipa-ra) cached like any compile; the units
// are the connected groups of the symbol reference graph, and each trial splices the chosen units from
// bad into good. The sanity check then verifies that good still passes and bad still fails with them.
LevelReport splice_functions(CulpritContext& context, const CommonOptions& options, nlohmann::json& out,
                             std::chrono::steady_clock::time_point start) {
  const Config& config = context.level.config;
  const RebuildTarget& target = context.rebuild->targets().front();
  auto build = [&](bool good) {
    const ToolchainSide& side = good ? config.good : config.bad;
    const CompileEntry& entry = good ? target.good_entry : target.bad_entry;
    std::vector<std::string> flags = split_command_line(side.flags);
    flags.insert(flags.end(), {"-ffunction-sections", "-fdata-sections"});
    if (compiler_family(compiler_for(side, entry.is_cxx)) == CompilerFamily::gcc) {
      // GCC's IPA register allocation lets a caller keep values in call-clobbered registers across a
      // call to a same-TU function it knows leaves them alone; a spliced-in callee from the other
      // build does not honour that, and the program fails for a reason that is not in either build.
      flags.push_back("-fno-ipa-ra");
    }
    CompileOutcome compiled =
        compile_into_store(entry, good ? "good-sections" : "bad-sections", compiler_for(side, entry.is_cxx),
                           flags, *context.level.objects, *context.level.store);
    if (compiled.row.object_hash.empty()) {
      throw UserError(
          fmt::format("{} does not compile with the {} toolchain and -ffunction-sections "
                      "-fdata-sections, which splicing needs:\n{}",
                      target.name, good ? "good" : "bad", compiled.row.log));
    }
    return context.level.objects->path_of(compiled.row.object_hash);
  };
  std::filesystem::path good_object = build(true);
  std::filesystem::path bad_object = build(false);
  std::vector<SpliceUnit> units = splice_units(good_object, bad_object);
  if (units.empty()) {
    throw UserError(
        fmt::format("{}: no function is defined in both builds, so there is nothing to splice", target.name));
  }
  std::vector<std::string> names;
  std::size_t grouped = 0;
  for (const SpliceUnit& unit : units) {
    names.push_back(unit.name);
    grouped += unit.symbols.size() > 1 ? 1 : 0;
  }
  note(fmt::format("[functions] {} units in {} ({} of them groups of functions that move together)",
                   units.size(), target.name, grouped));
  SpliceExecutor executor(*context.rebuild, target.name, good_object, bad_object, units,
                          config.workdir_path() / "functions");
  std::string key = fmt::format("{}|functions|{}|splice|{}|{}", context.level.configuration_key, target.name,
                                good_object.string(), bad_object.string());
  return search_functions(
      context, options, start, names, executor, key, [&](const LevelRun& run, nlohmann::json& fields) {
        fields.update(out);
        nlohmann::json groups = nlohmann::json::object();
        for (std::size_t index : run.result.culprits) {
          groups[units[index].name] = units[index].symbols;
        }
        fields["units"] = groups;  // for each culprit unit, every symbol that moved with it
      });
}

}  // namespace

LevelReport functions_level(const CommonOptions& options, const std::string& object,
                            const std::string& mechanism_option) {
  auto start = std::chrono::steady_clock::now();
  // 1. One culprit object: the one named, or the object level's first.
  CulpritContext context = prepare_culprits(options.config, "functions", options.jobs, object, true);
  const Config& config = context.level.config;
  const RebuildTarget& target = context.rebuild->targets().front();
  std::string good_compiler = compiler_for(config.good, target.good_entry.is_cxx);
  std::string bad_compiler = compiler_for(config.bad, target.bad_entry.is_cxx);
  CompilerFamily family = compiler_family(bad_compiler);

  // 2. The mechanism: attributes for one compiler at two settings, splicing across compilers.
  using enum FunctionMechanism;
  FunctionMechanism mechanism = splice;
  if (!mechanism_option.empty()) {
    mechanism = parse_enum<FunctionMechanism>(mechanism_option, "--mechanism");
  } else {
    bool same = compiler_identity(good_compiler) == compiler_identity(bad_compiler);
    mechanism = !same ? splice : family == CompilerFamily::clang ? optnone : attr;
  }
  FunctionScan scan;
  if (mechanism != splice) {
    scan = find_function_definitions(target.bad_entry);
    if (!scan.error.empty()) {
      note(fmt::format("[functions] {}; falling back to splicing", scan.error));
      mechanism = splice;
    }
  }
  nlohmann::json out = {
      {"level", "functions"}, {"object", target.name}, {"mechanism", std::string(name_of(mechanism))}};
  if (mechanism == splice) {
    return splice_functions(context, options, out, start);
  }
  if (mechanism == attr && family != CompilerFamily::gcc) {
    throw UserError(fmt::format(
        "--mechanism attr needs GCC (its optimize attribute); {} is not GCC: use optnone", bad_compiler));
  }
  if (mechanism == optnone && family != CompilerFamily::clang) {
    throw UserError(fmt::format("--mechanism optnone needs Clang; {} is not Clang: use attr", bad_compiler));
  }
  if (scan.functions.empty()) {
    throw UserError(fmt::format("{}: libclang found no function definitions in {}", target.name,
                                target.bad_entry.source.string()));
  }

  // 3. Search over the functions: C by name, C++ by qualified signature and where it is written.
  Annotation annotation;
  if (mechanism == attr) {
    annotation = gcc_annotation(context, target);
  } else {
    annotation.attribute = "__attribute__((optnone, noinline))";
    annotation.pragma_begin = "_Pragma(\"clang optimize off\")";
    annotation.pragma_end = "_Pragma(\"clang optimize on\")";
    annotation.clang = true;
  }
  std::vector<std::string> names;
  for (const FunctionDefinition& function : scan.functions) {
    if (!target.bad_entry.is_cxx) {
      names.push_back(function.name);
      continue;
    }
    std::filesystem::path where = function.file.lexically_relative(target.bad_entry.directory);
    if (where.empty() || *where.begin() == "..") {
      where = function.file;
    }
    names.push_back(fmt::format("{} at {}:{}", function.name, where.string(), function.line));
  }
  std::size_t in_headers = static_cast<std::size_t>(
      std::count_if(scan.functions.begin(), scan.functions.end(), [&](const FunctionDefinition& function) {
        return function.file != target.bad_entry.source.lexically_normal();
      }));
  note(fmt::format("[functions] {} functions in {} ({} of them in its headers); the others get {}",
                   names.size(), target.name, in_headers, annotation.attribute));
  if (!scan.skipped.empty()) {
    note(
        fmt::format("[functions] {} definitions written entirely inside a macro expansion are not items "
                    "(no attribute can reach them alone): {}",
                    scan.skipped.size(), fmt::join(scan.skipped, ", ")));
  }
  auto executor =
      std::make_unique<AttributeExecutor>(*context.rebuild, target.name, target.bad_entry, scan.functions,
                                          annotation, config.workdir_path() / "functions");
  if (mechanism == attr && annotation.attribute != gcc_annotation(context, target, false).attribute &&
      executor->run({}, 0).outcome == Outcome::fail) {
    // The flag level found its options with every culprit object from bad; inside this object alone
    // they may not be what makes it fail (double-conversion's strtod.cc needs -fno-associative-math
    // where the pair needed -fno-finite-math-only). Every function carrying them still fails, so the
    // search could only say "does not reproduce": use the good level and every option only bad has.
    annotation = gcc_annotation(context, target, false);
    note(
        fmt::format("[functions] with the flag level's options on every function it still fails; "
                    "the others get {} instead",
                    annotation.attribute));
    executor =
        std::make_unique<AttributeExecutor>(*context.rebuild, target.name, target.bad_entry, scan.functions,
                                            annotation, config.workdir_path() / "functions");
  }
  const std::string& attribute = annotation.attribute;
  // The items are part of the key: a different finder (or an edited source) must not replay trials
  // whose subsets meant other functions.
  std::string key = fmt::format("{}|functions|{}|{}|{}|{}|copy-keeps-file-name",
                                context.level.configuration_key, target.name, name_of(mechanism), attribute,
                                hash_text(fmt::format("{}", fmt::join(names, "\n"))));
  return search_functions(context, options, start, names, *executor, key,
                          [&](const LevelRun&, nlohmann::json& fields) {
                            fields.update(out);
                            fields["attribute"] = attribute;
                          });
}

}  // namespace ccbisect
