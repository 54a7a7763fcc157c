// The Kbuild build kind; see kbuild.hpp.
#include "capture/kbuild.hpp"

#include <fstream>
#include <regex>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "sys/process.hpp"

namespace ccbisect {
namespace {

std::string read_first_line(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  return line;
}

std::filesystem::path in_project(const Config& config, const std::string& path) {
  std::filesystem::path p(path);
  return (p.is_absolute() ? p : config.project_dir / p).lexically_normal();
}

// The wrapper's environment for `side`: the wrapper first in PATH, the side's real compilers and
// flags, and the words [build] drop_flags removes from every compile.
std::map<std::string, std::string> wrapper_environment(const Config& config, const ToolchainSide& side,
                                                       const std::string& log) {
  const char* path = std::getenv("PATH");
  return {
      {"PATH", (config.workdir_path() / "bin").string() + ":" + (path != nullptr ? path : "/usr/bin:/bin")},
      {"CCBISECT_WRAP_CC", side.cc},
      {"CCBISECT_WRAP_CXX", side.cxx},
      {"CCBISECT_WRAP_FLAGS", side.flags},
      {"CCBISECT_WRAP_LOG", log},
      {"CCBISECT_WRAP_DROP", wrapper_drop_list(config)}};
}

// The targets of a build: a module's `modules`; the kernel's default goal (vmlinux, bzImage).
std::vector<std::string> targets(const KbuildTree& tree) {
  return tree.module.empty() ? std::vector<std::string>{} : std::vector<std::string>{"modules"};
}

// Whether the last capture still stands for the tree: Kbuild's `.X.o.cmd` is beside each captured
// object (without it Kbuild recompiles every placed object, and no trial would test its mix), and
// no captured source was edited after the capture (`captured_at`: its key file was written last).
bool capture_still_current(const CaptureSummary& summary, std::filesystem::file_time_type captured_at) {
  for (const TranslationUnit& unit : summary.units) {
    std::error_code error;
    std::filesystem::path cmd = unit.output.parent_path() / ("." + unit.output.filename().string() + ".cmd");
    if (!std::filesystem::exists(cmd, error) ||
        (!unit.source.empty() && std::filesystem::last_write_time(unit.source, error) > captured_at)) {
      return false;
    }
  }
  return !summary.units.empty();
}

std::string capture_key(const Config& config, const KbuildTree& tree) {
  // The first line changes when what a capture records changes (2: derived objects found by relinking
  // the good side's objects too), so that an older capture is taken again.
  return fmt::format("kbuild capture 2\n{}\n{}\n{}\n{}\n{}\n{}", outcome_key(config),
                     compiler_identity(config.good.cc), compiler_identity(config.bad.cc), tree.kdir.string(),
                     tree.module.string(), fmt::join(tree.make_args, " "));
}

// The options a side's compiler rejected, from its build log ("unrecognized command-line option
// '-fX'" from GCC, with typographic quotes in a UTF-8 locale; "unknown argument: '-fX'" from Clang).
std::vector<std::string> rejected_options(const std::filesystem::path& log) {
  std::ifstream in(log);
  static const std::regex gcc(
      "unrecognized command[- ]line option (?:'|\xe2\x80\x98)(.+?)(?:'|\xe2\x80\x99)");
  static const std::regex clang("unknown argument: '(.+?)'");
  std::vector<std::string> options;
  for (std::string line; std::getline(in, line);) {
    std::smatch match;
    if ((std::regex_search(line, match, gcc) || std::regex_search(line, match, clang)) &&
        std::find(options.begin(), options.end(), match[1].str()) == options.end()) {
      options.push_back(match[1]);
    }
  }
  return options;
}

void run_make(const Config& config, const KbuildTree& tree, const std::vector<std::string>& goals,
              const std::string& what) {
  ProcessSpec spec;
  spec.argv = kbuild_make(tree, goals);
  spec.cwd = config.project_dir;
  ProcessResult run = run_process(spec);
  if (!run.started || run.exit_status != 0) {
    throw UserError(fmt::format("kbuild: {} (`{}`) failed (exit {}):\n{}", what, shell_join(spec.argv),
                                run.exit_status, last_lines(run.started ? run.output_tail : run.error, 15)));
  }
}

// Captures one side; a compile error caused by an option the kernel's flags carry and this side's
// compiler does not know is named with the fix.
void capture_side(const Config& config, const KbuildTree& tree, const std::string& side, ObjectStore& objects,
                  std::size_t jobs, const NoteSink& note) {
  std::vector<std::string> build = kbuild_make(tree, targets(tree));
  build.insert(build.begin() + 1, fmt::format("-j{}", jobs));
  try {
    capture_with_wrapper(config, side, build, objects, note);
  } catch (const UserError& error) {
    std::vector<std::string> options = rejected_options(capture_dir(config) / (side + ".build.log"));
    if (options.empty()) {
      throw;
    }
    const ToolchainSide& toolchain = side == "good" ? config.good : config.bad;
    throw UserError(fmt::format(
        "kbuild: the {} compiler ({}) rejects {}, which the kernel's configuration puts on every compile "
        "(the tree was configured with another compiler). Either configure the tree with this compiler "
        "(`make olddefconfig CC={}`), or leave the option out of both sides' compiles with\n"
        "  [build]\n  drop_flags = [\"{}\"]\n{}",
        side, toolchain.cc, fmt::join(options, " "), toolchain.cc, fmt::join(options, "\", \""),
        error.what()));
  }
}

using FileStamp = std::pair<std::uintmax_t, std::filesystem::file_time_type>;

std::map<std::string, FileStamp> stamps(const CaptureSummary& summary) {
  std::map<std::string, FileStamp> now;
  for (const TranslationUnit& unit : summary.units) {
    std::error_code error;
    now[unit.name] = {std::filesystem::file_size(unit.output, error),
                      std::filesystem::last_write_time(unit.output, error)};
  }
  return now;
}

void relink(const Config& config, const std::string& what) {
  ProcessResult link = run_shell(config.link, config.project_dir, config.link_timeout);
  if (!link.started || link.exit_status != 0) {
    throw UserError(fmt::format("kbuild: relinking {} (`{}`) failed (exit {}):\n{}", what, config.link,
                                link.exit_status,
                                last_lines(link.started ? link.output_tail : link.error, 15)));
  }
}

// Puts one side's object of every unit in the tree.
void place_side(const CaptureSummary& summary, const ObjectStore& objects, bool good) {
  for (const TranslationUnit& unit : summary.units) {
    const std::string& hash = good ? unit.good_object : unit.bad_object;
    std::error_code error;
    if (!hash.empty() &&
        !std::filesystem::copy_file(objects.path_of(hash), unit.output,
                                    std::filesystem::copy_options::overwrite_existing, error)) {
      throw UserError(
          fmt::format("kbuild: cannot put {} in place: {}", unit.output.string(), error.message()));
    }
  }
}

// The objects a link makes itself, which no trial can choose: those the relink line recompiles
// every time, and those it recompiles because other objects changed (a kernel's piggy.o holds the
// compressed vmlinux, its vDSO image the vDSO's objects, its boot header the image's size). Relinks
// the bad side as it is, then with every good object placed, then with the bad ones back (the tree
// is left with the bad side, as trials expect), and compares each object's size and time.
std::set<std::string> regenerated_by_link(const Config& config, const CaptureSummary& summary,
                                          const ObjectStore& objects) {
  std::set<std::string> regenerated;
  auto changed_by = [&](const std::string& what) {
    std::map<std::string, FileStamp> before = stamps(summary);
    relink(config, what);
    std::map<std::string, FileStamp> after = stamps(summary);
    for (const TranslationUnit& unit : summary.units) {
      if (after[unit.name] != before[unit.name]) {
        regenerated.insert(unit.name);
      }
    }
  };
  changed_by("the bad build");
  place_side(summary, objects, true);
  changed_by("the good side's objects");
  place_side(summary, objects, false);
  relink(config, "the bad side's objects");
  return regenerated;
}

}  // namespace

std::filesystem::path default_kdir() {
  std::vector<std::string> releases;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/lib/modules", error)) {
    std::string release = entry.path().filename().string();
    if (std::filesystem::exists(entry.path() / "build" / "Makefile") &&
        std::filesystem::exists("/boot/vmlinuz-" + release)) {
      releases.push_back(release);
    }
  }
  if (releases.empty()) {
    return {};
  }
  // Version order: "6.1.0-28-amd64" after "6.1.0-9-amd64".
  std::sort(releases.begin(), releases.end(), [](const std::string& a, const std::string& b) {
    return ::strverscmp(a.c_str(), b.c_str()) < 0;
  });
  return std::filesystem::path("/lib/modules") / releases.back() / "build";
}

KbuildTree kbuild_tree(const Config& config) {
  KbuildTree tree;
  if (config.kdir.empty()) {
    tree.kdir = default_kdir();
    if (tree.kdir.empty()) {
      throw UserError(fmt::format(
          "{}: [build] capture = \"kbuild\" without kdir, and no installed kernel headers with a matching "
          "/boot image; apt-get install linux-headers-amd64 linux-image-amd64, or set [build] kdir",
          config.file.string()));
    }
  } else {
    tree.kdir = in_project(config, config.kdir);
  }
  if (!std::filesystem::exists(tree.kdir / "Makefile")) {
    throw UserError(fmt::format("{}: [build] kdir = {} is not a kernel tree (no Makefile there)",
                                config.file.string(), tree.kdir.string()));
  }
  if (!config.module.empty()) {
    tree.module = in_project(config, config.module);
    if (!std::filesystem::is_directory(tree.module)) {
      throw UserError(fmt::format("{}: [build] module = {}: no such directory", config.file.string(),
                                  tree.module.string()));
    }
  }
  tree.make_args = split_command_line(config.make_args);
  // /lib/modules/RELEASE/build names the release its image is installed under (Debian's headers
  // say the upstream version in kernel.release); any other tree says it in kernel.release.
  std::filesystem::path modules_dir = tree.kdir.parent_path();
  tree.release = tree.kdir.filename() == "build" && modules_dir.parent_path() == "/lib/modules"
                     ? modules_dir.filename().string()
                     : read_first_line(tree.kdir / "include/config/kernel.release");
  return tree;
}

std::vector<std::string> kbuild_make(const KbuildTree& tree, const std::vector<std::string>& extra) {
  std::vector<std::string> argv{"make", "-C", tree.kdir.string()};
  if (!tree.module.empty()) {
    argv.push_back("M=" + tree.module.string());
  }
  argv.push_back("CC=ccbisect-cc");
  argv.insert(argv.end(), tree.make_args.begin(), tree.make_args.end());
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

void complete_kbuild_config(Config& config) {
  KbuildTree tree = kbuild_tree(config);
  if (config.link.empty()) {
    // The bad side is in the tree after the capture, so its compiler answers Kbuild's probes and its
    // command lines are the ones recorded: Kbuild only relinks. Nothing is recorded (/dev/null).
    std::string environment;
    for (const auto& [name, value] : wrapper_environment(config, config.bad, "/dev/null")) {
      environment += fmt::format("{}={} ", name, shell_join({value}));
    }
    std::vector<std::string> make = kbuild_make(tree, targets(tree));
    config.link = environment + shell_join(make);
  }
  QemuConfig& qemu = config.oracle.qemu;
  if (config.oracle.type == OracleType::qemu) {
    if (qemu.kernel == "build" || (qemu.kernel.empty() && tree.module.empty())) {
      // Relative to the project when the tree is in it: a trial slot (a copy) boots its own image.
      std::filesystem::path image = tree.kdir / "arch/x86/boot/bzImage";
      std::filesystem::path relative = image.lexically_relative(config.project_dir);
      qemu.kernel =
          !relative.empty() && relative.string().rfind("..", 0) != 0 ? relative.string() : image.string();
    } else if (qemu.kernel.empty()) {
      qemu.kernel = "/boot/vmlinuz-" + tree.release;
      if (tree.release.empty() || !std::filesystem::exists(qemu.kernel)) {
        throw UserError(fmt::format(
            "{}: [oracle] kernel is not given and {} has no installed image (/boot/vmlinuz-{}) to boot the "
            "module with; set [oracle] kernel",
            config.file.string(), tree.kdir.string(), tree.release));
      }
    }
  }
}

CaptureSummary capture_kbuild(const Config& config, Store&, ObjectStore& objects, std::size_t jobs,
                              const NoteSink& note) {
  KbuildTree tree = kbuild_tree(config);
  std::filesystem::path key_file = capture_dir(config) / "kbuild.key";
  std::filesystem::path regenerated_file = capture_dir(config) / "kbuild-regenerated.txt";
  std::string key = capture_key(config, tree);
  std::set<std::string> regenerated;
  CaptureSummary summary;
  bool reuse = false;
  if (std::filesystem::exists(key_file) && [&] {
        std::ifstream in(key_file);
        return std::string(std::istreambuf_iterator<char>(in), {}) == key;
      }()) {
    summary = load_wrapper_capture(config);
    reuse = capture_still_current(summary, std::filesystem::last_write_time(key_file));
  }
  if (reuse) {
    std::ifstream in(regenerated_file);
    for (std::string name; std::getline(in, name);) {
      regenerated.insert(name);
    }
    if (note) {
      note(fmt::format("[capture] kbuild: both sides recorded earlier with this configuration; reused"));
    }
  } else {
    auto start = std::chrono::steady_clock::now();
    std::filesystem::remove(key_file);
    run_make(config, tree, {"clean"}, "make clean before the good capture");
    capture_side(config, tree, "good", objects, jobs, note);
    run_make(config, tree, {"clean"}, "make clean before the bad capture");
    capture_side(config, tree, "bad", objects, jobs, note);
    summary = load_wrapper_capture(config);
    regenerated = regenerated_by_link(config, summary, objects);
    std::ofstream(regenerated_file) << fmt::format("{}\n", fmt::join(regenerated, "\n"));
    std::ofstream(key_file) << key;
    summary.seconds = seconds_since(start);
  }
  // What every link makes anew is not an item: modpost's *.mod.o, and what the relink recompiled.
  std::size_t dropped = 0;
  std::erase_if(summary.units, [&](const TranslationUnit& unit) {
    bool drop = unit.name.ends_with(".mod.o") || regenerated.count(unit.name) > 0;
    dropped += drop ? 1 : 0;
    return drop;
  });
  if (note) {
    note(fmt::format("[capture] kbuild: {} objects; {} made anew by every link left out (*.mod.o{})",
                     summary.units.size(), dropped,
                     regenerated.empty() ? "" : fmt::format(", {}", fmt::join(regenerated, ", "))));
  }
  return summary;
}

}  // namespace ccbisect
