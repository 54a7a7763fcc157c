// Querying GCC for the options a command line enables, and the curated Clang list; see
// optimization_flags.hpp.
#include "toolchain/optimization_flags.hpp"

#include <map>
#include <sstream>

#include <fmt/format.h>

#include "bisector/errors.hpp"
#include "sys/process.hpp"

namespace ccbisect {
namespace {

// Option name -> state: "[enabled]", "[disabled]", or a value ("16:11:8", "very-cheap", "").
using OptionStates = std::map<std::string, std::string>;

OptionStates query_gcc(const std::string& compiler, const std::vector<std::string>& flags, const char* what) {
  ProcessSpec spec;
  spec.argv = {compiler, "-Q", std::string("--help=") + what};
  spec.argv.insert(spec.argv.end(), flags.begin(), flags.end());
  spec.timeout_seconds = 60;
  spec.tail_bytes = 1 << 20;
  ProcessResult run = run_process(spec);
  if (!run.started || run.exit_status != 0) {
    throw UserError(fmt::format("`{}` failed; cannot list the optimization options of {}:\n{}",
                                fmt::join(spec.argv, " "), compiler, last_lines(run.output_tail, 5)));
  }
  OptionStates states;
  std::istringstream lines(run.output_tail);
  for (std::string line; std::getline(lines, line);) {
    std::istringstream words(line);
    std::string name;
    words >> name;
    if (name.rfind("-f", 0) != 0 && name.rfind("--param=", 0) != 0) {
      continue;
    }
    std::string state;
    std::getline(words, state);
    state.erase(0, state.find_first_not_of(" \t"));
    state.erase(state.find_last_not_of(" \t") + 1);
    // "-fvect-cost-model=[unlimited|dynamic|cheap|very-cheap]" -> "-fvect-cost-model="
    std::size_t bracket = name.find("=[");
    if (bracket != std::string::npos) {
      name.erase(bracket + 1);
    }
    states[name] = state;
  }
  return states;
}

// Clang's code-generation switches worth bisecting, each with its off form. Curated from the
// Clang command-line reference: the optimizations whose misuse or bugs show up as wrong code.
const std::vector<FlagItem>& clang_flags() {
  static const std::vector<FlagItem> flags = {
      {"-fvectorize", "-fno-vectorize"},          // loop vectorizer
      {"-fslp-vectorize", "-fno-slp-vectorize"},  // straight-line vectorizer
      {"-funroll-loops", "-fno-unroll-loops"},
      {"-fstrict-aliasing", "-fno-strict-aliasing"},  // type-based alias analysis
      {"-fno-wrapv", "-fwrapv"},                      // signed overflow is UB
      {"-finline-functions", "-fno-inline-functions"},
      {"-fdelete-null-pointer-checks", "-fno-delete-null-pointer-checks"},
      {"-ffinite-loops", "-fno-finite-loops"},  // loops without side effects terminate
      {"-fjump-tables", "-fno-jump-tables"},
      {"-fstrict-enums", "-fno-strict-enums"},
      {"-fstrict-vtable-pointers", "-fno-strict-vtable-pointers"},
      {"-fmerge-all-constants", "-fno-merge-all-constants"},
      {"-fomit-frame-pointer", "-fno-omit-frame-pointer"},
      {"-fzero-initialized-in-bss", "-fno-zero-initialized-in-bss"},
      {"-fstrict-float-cast-overflow", "-fno-strict-float-cast-overflow"},
      {"-fassume-sane-operator-new", "-fno-assume-sane-operator-new"},
  };
  return flags;
}

}  // namespace

CompilerFamily compiler_family(const std::string& compiler) {
  ProcessSpec spec;
  spec.argv = {compiler, "--version"};
  spec.timeout_seconds = 30;
  ProcessResult run = run_process(spec);
  if (!run.started) {
    return CompilerFamily::unknown;
  }
  if (run.output_tail.find("clang") != std::string::npos) {
    return CompilerFamily::clang;
  }
  if (run.output_tail.find("Free Software Foundation") != std::string::npos ||
      run.output_tail.find("gcc") != std::string::npos) {
    return CompilerFamily::gcc;
  }
  return CompilerFamily::unknown;
}

std::vector<std::string> optimization_options(const std::vector<std::string>& argv) {
  std::vector<std::string> options;
  for (std::size_t i = 1; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg.rfind("-O", 0) == 0 || arg.rfind("-f", 0) == 0 || arg.rfind("--param", 0) == 0 ||
        arg.rfind("-m", 0) == 0 || arg.rfind("-std=", 0) == 0) {
      options.push_back(arg);
    }
  }
  return options;
}

std::vector<FlagItem> differing_flags(const std::string& good_compiler,
                                      const std::vector<std::string>& good_flags,
                                      const std::string& bad_compiler,
                                      const std::vector<std::string>& bad_flags) {
  CompilerFamily family = compiler_family(bad_compiler);
  if (family == CompilerFamily::clang) {
    return clang_flags();
  }
  if (family != CompilerFamily::gcc) {
    throw UserError(
        fmt::format("[bad] cc = \"{}\" is neither GCC nor Clang (by its --version); the flag "
                    "level knows only those two",
                    bad_compiler));
  }
  bool same_compiler = good_compiler == bad_compiler;
  OptionStates bad = query_gcc(bad_compiler, bad_flags, "optimizers");
  OptionStates good = same_compiler ? query_gcc(good_compiler, good_flags, "optimizers") : OptionStates{};
  std::vector<FlagItem> items;
  for (const auto& [name, state] : bad) {
    bool value_option = name.back() == '=';
    if (!value_option) {
      if (state == "[enabled]" && !(same_compiler && good[name] == "[enabled]")) {
        items.push_back({name, "-fno-" + name.substr(2)});
      } else if (same_compiler && state == "[disabled]" && good[name] == "[enabled]") {
        // Turned off by the bad side (e.g. -ffast-math turns off -fsigned-zeros): turning it back on.
        items.push_back({"-fno-" + name.substr(2), name});
      }
      continue;
    }
    // A value option: only where good has a value of its own to go back to. (The "=" forms that
    // only hold a boolean option's parameters, like -falign-functions=, have none at -O1.)
    if (!same_compiler) {
      continue;
    }
    const std::string& good_value = good[name];
    if (good_value.empty() || good_value == state || good_value.front() == '[') {
      continue;
    }
    items.push_back({name + state, name + good_value});
  }
  if (same_compiler) {
    OptionStates bad_params = query_gcc(bad_compiler, bad_flags, "params");
    OptionStates good_params = query_gcc(good_compiler, good_flags, "params");
    for (const auto& [name, value] : bad_params) {
      auto good_value = good_params.find(name);
      if (good_value != good_params.end() && good_value->second != value && !good_value->second.empty()) {
        items.push_back({name + value, name + good_value->second});
      }
    }
  }
  return items;
}

bool changes_abi_or_contract(const std::string& option) {
  // The option's name without "-f", "no-" and any "=value".
  std::string name = option.rfind("-f", 0) == 0 ? option.substr(2) : option;
  if (name.rfind("no-", 0) == 0) {
    name = name.substr(3);
  }
  name = name.substr(0, name.find('='));
  static const char* const k_contract[] = {"stack-protector",
                                           "short-enums",
                                           "short-wchar",
                                           "short-double",
                                           "pic",
                                           "PIC",
                                           "pie",
                                           "PIE",
                                           "common",
                                           "pack-struct",
                                           "cf-protection",
                                           "stack-clash-protection",
                                           "exceptions",
                                           "non-call-exceptions",
                                           "asynchronous-unwind-tables",
                                           "unwind-tables",
                                           "leading-underscore",
                                           "pcc-struct-return",
                                           "reg-struct-return",
                                           "signed-char",
                                           "unsigned-char",
                                           "signed-bitfields",
                                           "unsigned-bitfields",
                                           "trivial-auto-var-init",
                                           "zero-call-used-regs",
                                           "split-stack",
                                           "plt",
                                           "semantic-interposition",
                                           "sanitize",
                                           "instrument-functions",
                                           "patchable-function-entry",
                                           "strict-volatile-bitfields",
                                           "fixed",
                                           "call-used",
                                           "call-saved",
                                           "stack-check",
                                           "tls-model",
                                           "visibility",
                                           "abi-version",
                                           "ms-extensions"};
  for (const char* prefix : k_contract) {
    if (name.rfind(prefix, 0) == 0) {
      return true;
    }
  }
  return false;
}

namespace {

// Whether `compiler` accepts `options` on an empty translation unit.
bool compiler_accepts(const std::string& compiler, const std::vector<std::string>& options, bool is_cxx) {
  ProcessSpec spec;
  spec.argv = {compiler, "-x", is_cxx ? "c++" : "c", "-c", "/dev/null", "-o", "/dev/null", "-Werror"};
  spec.argv.insert(spec.argv.end(), options.begin(), options.end());
  spec.timeout_seconds = 60;
  ProcessResult run = run_process(spec);
  return run.started && !run.timed_out && run.exit_status == 0;
}

}  // namespace

FlagScreen screen_flags(const std::string& compiler, const std::vector<FlagItem>& items, bool is_cxx) {
  FlagScreen screen;
  std::vector<FlagItem> candidates;
  for (const FlagItem& item : items) {
    if (changes_abi_or_contract(item.option)) {
      screen.contract.push_back(item.option);
    } else {
      candidates.push_back(item);
    }
  }
  std::vector<std::string> all;
  for (const FlagItem& item : candidates) {
    all.push_back(item.disable);
  }
  // One compile for the usual case where the compiler takes every form; one per item otherwise.
  bool all_accepted = compiler_accepts(compiler, all, is_cxx);
  for (const FlagItem& item : candidates) {
    if (all_accepted || compiler_accepts(compiler, {item.disable}, is_cxx)) {
      screen.items.push_back(item);
    } else {
      screen.rejected.push_back(item.disable);
    }
  }
  return screen;
}

std::vector<Probe> latent_bug_probes() {
  return {
      {"-fno-strict-aliasing", {"-fno-strict-aliasing"}},
      {"-fwrapv", {"-fwrapv"}},
      {"-fno-strict-overflow", {"-fno-strict-overflow"}},
      {"-fno-delete-null-pointer-checks", {"-fno-delete-null-pointer-checks"}},
      {"-fstack-reuse=none", {"-fstack-reuse=none"}},
      {"-fno-aggressive-loop-optimizations", {"-fno-aggressive-loop-optimizations"}},
      {"-ftrivial-auto-var-init=zero", {"-ftrivial-auto-var-init=zero"}},
      {"-fno-lifetime-dse", {"-fno-lifetime-dse"}, false, false, true},
      // Not a UB-tolerance option: the bad compiler without optimization. If that passes, the
      // failure is tied to optimization even when no single -f option is (several passes together).
      {"-O0 (bad compiler)", {"-O0"}},
      // UBSan's trap form: no runtime and nothing asked of the link (a kernel, a module, a Makefile
      // that sets LDFLAGS itself); a check that fires executes ud2 (SIGILL, or an "invalid opcode"
      // Oops in a kernel). Alignment is left out: kernels access unaligned data on purpose.
      {"-fsanitize=undefined (trap form)",
       {"-fsanitize=undefined", "-fsanitize-undefined-trap-on-error", "-fno-sanitize=alignment"},
       true,
       false,
       false},
      {"-fsanitize=undefined,address",
       {"-fsanitize=undefined,address", "-fno-omit-frame-pointer", "-fno-sanitize-recover=all"},
       true,
       true,
       false},
  };
}

}  // namespace ccbisect
