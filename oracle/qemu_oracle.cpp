// The QEMU boot oracle. Each trial packs the initramfs (so it holds the module just linked), boots
// the kernel with -no-reboot -nographic and panic=-1, and reads the serial console as it arrives:
// the first line that matches a fail or a pass pattern is the verdict, and QEMU is stopped right
// then (after a fail line, once the report that follows is complete), so a trial costs the boot to
// the verdict and not a timeout. A panic ends QEMU by itself: panic=-1 reboots and -no-reboot exits.
//
// KVM is used only if it really boots this kernel. Some hosts expose a /dev/kvm that hangs a guest
// right after decompression, so "auto" boots once under KVM with no initramfs (the kernel runs its
// whole init, then panics for want of a root file system) and falls back to TCG if that does not
// finish in k_probe_seconds. The answer is remembered in the workdir per QEMU and kernel, so the
// probe costs one boot per project, and every verdict's log says which accelerator ran and why.
//
// All processes go through sys/process.hpp: process group, timeout, stop_when, full log.
#include "oracle/qemu_oracle.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include <fmt/format.h>

#include "bisector/clock.hpp"
#include "bisector/errors.hpp"
#include "oracle/initramfs.hpp"
#include "sys/process.hpp"

namespace ccbisect {
namespace {

// A KVM boot of a stock kernel to the root-mount panic takes about a second; TCG takes 3-4.
constexpr double k_probe_seconds = 10.0;
// Console lines that go into the trial's log: the last ones, or those from the deciding line on,
// which for a fail line is the report (an Oops with its registers and call trace is 40-60 lines).
constexpr std::size_t k_tail_lines = 25;
constexpr std::size_t k_report_excerpt_lines = ConsoleScanner::k_report_lines + 3;
// What a kernel prints once its init is done, with or without an initramfs.
constexpr const char* k_boot_finished[] = {"Kernel panic", "Run /init", "Freeing unused kernel"};

std::filesystem::path in_project(const std::filesystem::path& project_dir, const std::string& path) {
  return (project_dir / path).lexically_normal();
}

// The identity of a probe: the same QEMU binary and the same kernel file (links resolved) give the
// same answer.
std::string probe_key(const std::string& qemu, const std::filesystem::path& kernel) {
  auto program = find_program(qemu);
  std::error_code error;
  std::filesystem::path file = std::filesystem::weakly_canonical(kernel, error);
  auto size = std::filesystem::file_size(file, error);
  auto mtime = std::filesystem::last_write_time(file, error).time_since_epoch().count();
  return fmt::format("{} {} {} {}",
                     program ? std::filesystem::weakly_canonical(*program, error).string() : qemu,
                     file.string(), size, mtime);
}

// The part of the console worth keeping with the trial: from two lines before the deciding line,
// or else the last lines.
std::string console_excerpt(const std::string& console, const std::string& deciding_line) {
  std::vector<std::string_view> lines;
  std::string_view text(console);
  for (std::size_t pos = 0; pos < text.size();) {
    std::size_t newline = std::min(text.find('\n', pos), text.size());
    lines.push_back(text.substr(pos, newline - pos));
    pos = newline + 1;
  }
  auto deciding = deciding_line.empty() ? lines.end() : std::find(lines.begin(), lines.end(), deciding_line);
  if (deciding == lines.end()) {
    return last_lines(console, k_tail_lines);
  }
  std::size_t first = static_cast<std::size_t>(deciding - lines.begin());
  first = first >= 2 ? first - 2 : 0;
  std::string out;
  for (std::size_t i = first; i < lines.size() && i < first + k_report_excerpt_lines; ++i) {
    out += std::string(lines[i]) + "\n";
  }
  return out;
}

}  // namespace

QemuOptions qemu_options(const Config& config) {
  const QemuConfig& qemu = config.oracle.qemu;
  QemuOptions options;
  options.config_file = config.file;
  options.workdir = config.workdir_path();
  options.qemu = qemu.program;
  options.kernel = qemu.kernel;
  options.initrd = qemu.initrd;
  options.initrd_command = qemu.initrd_command;
  options.modules = qemu.modules;
  options.append = qemu.append;
  options.memory = qemu.memory;
  options.smp = qemu.smp;
  options.accel = qemu.accel;
  options.args = qemu.args;
  options.pass_patterns = qemu.pass;
  options.fail_patterns = qemu.fail;
  options.timeout_seconds = config.oracle.timeout;
  options.on_timeout = outcome_of(config.oracle.on_timeout);
  options.on_error = outcome_of(qemu.on_error);
  return options;
}

std::unique_ptr<Oracle> make_qemu_oracle(const Config& config) {
  return std::make_unique<QemuOracle>(qemu_options(config));
}

ConsolePatterns ConsolePatterns::compile(const std::vector<std::string>& pass,
                                         const std::vector<std::string>& fail,
                                         const std::filesystem::path& config_file) {
  ConsolePatterns patterns;
  for (auto [key, list, out] :
       {std::tuple{"pass", &pass, &patterns.pass}, std::tuple{"fail", &fail, &patterns.fail}}) {
    for (const std::string& pattern : *list) {
      try {
        out->emplace_back(pattern, std::regex(pattern, std::regex::ECMAScript | std::regex::optimize));
      } catch (const std::regex_error& e) {
        throw UserError(fmt::format("{}: [oracle] {}: \"{}\" is not a valid regular expression ({})",
                                    config_file.string(), key, pattern, e.what()));
      }
    }
  }
  return patterns;
}

std::string printable_console(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0x1b) {
      // CSI (ESC [ ... final byte in @..~) or a two-byte escape such as ESC c (reset the terminal).
      if (i + 1 < text.size() && text[i + 1] == '[') {
        i += 2;
        while (i < text.size() && !(text[i] >= '@' && text[i] <= '~')) {
          ++i;
        }
      } else {
        ++i;
      }
      continue;
    }
    if (c == '\n' || c == '\t' || c >= 0x20) {
      out += static_cast<char>(c);
    }
  }
  return out;
}

ConsoleScanner::ConsoleScanner(const ConsolePatterns& patterns) : m_patterns(patterns) {}

std::size_t ConsoleScanner::resume_point(std::string_view text) const {
  if (m_anchor.empty()) {
    return std::min(m_consumed, text.size());
  }
  // Usually the text only grew, and the anchor is where it was.
  if (m_consumed <= text.size() && text.substr(m_consumed - m_anchor.size(), m_anchor.size()) == m_anchor) {
    return m_consumed;
  }
  // The front was dropped: the anchor moved left by at most one read's worth.
  std::size_t from = m_consumed > m_anchor.size() + 65536 ? m_consumed - m_anchor.size() - 65536 : 0;
  std::size_t at = text.find(m_anchor, from);
  return at == std::string_view::npos ? 0 : at + m_anchor.size();
}

bool ConsoleScanner::feed(std::string_view text) {
  std::size_t pos = resume_point(text);
  while (!m_done) {
    std::size_t newline = text.find('\n', pos);
    if (newline == std::string_view::npos) {
      break;
    }
    m_done = on_line(text.substr(pos, newline - pos));
    pos = newline + 1;
  }
  m_consumed = pos;
  m_anchor = std::string(text.substr(pos - std::min<std::size_t>(pos, 64), std::min<std::size_t>(pos, 64)));
  return m_done;
}

void ConsoleScanner::finish(std::string_view text) {
  feed(text);
  std::size_t pos = resume_point(text);
  if (!m_done && pos < text.size()) {
    m_done = on_line(text.substr(pos));
  }
}

bool ConsoleScanner::on_line(std::string_view raw) {
  ++m_lines;
  std::string line = printable_console(raw);
  if (line.find("reboot: Power down") != std::string::npos) {
    m_powered_off = true;
  }
  if (m_verdict.outcome) {
    // Reading the report that follows a fail line.
    ++m_report_lines;
    return line.find("---[ end ") != std::string::npos || m_report_lines >= k_report_lines;
  }
  for (auto [list, outcome] :
       {std::pair{&m_patterns.fail, Outcome::fail}, std::pair{&m_patterns.pass, Outcome::pass}}) {
    for (const auto& [text, regex] : *list) {
      if (std::regex_search(line, regex)) {
        m_verdict = {outcome, line, text, m_lines};
        return outcome == Outcome::pass;
      }
    }
  }
  return false;
}

QemuOracle::QemuOracle(QemuOptions options)
    : m_options(std::move(options)),
      m_patterns(ConsolePatterns::compile(m_options.pass_patterns, m_options.fail_patterns,
                                          m_options.config_file)) {}

std::vector<std::string> QemuOracle::boot_command(const std::string& accel,
                                                  const std::filesystem::path& kernel,
                                                  const std::optional<std::filesystem::path>& initrd,
                                                  const std::string& append) const {
  std::vector<std::string> argv{m_options.qemu, "-accel", accel};
  bool cpu_given = std::find(m_options.args.begin(), m_options.args.end(), "-cpu") != m_options.args.end();
  if (accel == "kvm" && !cpu_given) {
    argv.insert(argv.end(), {"-cpu", "host"});
  }
  argv.insert(argv.end(), {"-m", m_options.memory, "-smp", std::to_string(m_options.smp), "-no-reboot",
                           "-nographic", "-kernel", kernel.string()});
  if (initrd) {
    argv.insert(argv.end(), {"-initrd", initrd->string()});
  }
  // panic=-1 last, so that a panic always ends the boot at once (reboot, which -no-reboot turns into exit).
  argv.insert(argv.end(), {"-append", append.empty() ? "panic=-1" : append + " panic=-1"});
  argv.insert(argv.end(), m_options.args.begin(), m_options.args.end());
  return argv;
}

std::string QemuOracle::accelerator(const std::filesystem::path& kernel, std::string& why) {
  if (m_options.accel != QemuAccel::automatic) {
    why = "as configured ([oracle] accel)";
    return std::string(name_of(m_options.accel));
  }
  if (::access("/dev/kvm", R_OK | W_OK) != 0) {
    why = "no usable /dev/kvm";
    return "tcg";
  }
  std::lock_guard lock(m_accel_mutex);
  std::string key = probe_key(m_options.qemu, kernel);
  if (auto known = m_accel.find(key); known != m_accel.end()) {
    why = known->second.second;
    return known->second.first;
  }
  std::filesystem::path memo = m_options.workdir / "qemu-accel.txt";
  {
    std::ifstream in(memo);
    // One line per probe: accel, why, key (tab-separated; the key may hold spaces).
    for (std::string line; std::getline(in, line);) {
      std::size_t first = line.find('\t');
      std::size_t second = first == std::string::npos ? first : line.find('\t', first + 1);
      if (second != std::string::npos && line.substr(second + 1) == key) {
        std::string accel = line.substr(0, first);
        why = fmt::format("{} (remembered in {}; delete it to probe again)",
                          line.substr(first + 1, second - first - 1), memo.string());
        m_accel[key] = {accel, why};
        return accel;
      }
    }
  }
  // One boot under KVM without an initramfs: the kernel runs its whole init, then panics because it
  // has no root file system, and panic=-1 with -no-reboot ends QEMU.
  std::filesystem::create_directories(m_options.workdir / "serial");
  ProcessSpec probe;
  probe.argv = boot_command("kvm", kernel, std::nullopt, m_options.append);
  probe.timeout_seconds = k_probe_seconds;
  probe.full_log = m_options.workdir / "serial" / "kvm-probe.log";
  probe.stop_when = [](std::string_view output) {
    return std::any_of(std::begin(k_boot_finished), std::end(k_boot_finished),
                       [&](const char* line) { return output.find(line) != std::string_view::npos; });
  };
  ProcessResult run = run_process(probe);
  std::string accel = run.stopped ? "kvm" : "tcg";
  why = run.stopped ? fmt::format("a KVM test boot finished in {:.1f} s", run.seconds)
        : run.timed_out
            ? fmt::format("a KVM test boot did not finish in {:.0f} s (console: {}), so TCG", k_probe_seconds,
                          probe.full_log->string())
            : fmt::format("a KVM test boot failed (console: {}), so TCG", probe.full_log->string());
  std::ofstream(memo, std::ios::app) << accel << '\t' << why << '\t' << key << '\n';
  m_accel[key] = {accel, why};
  return accel;
}

std::filesystem::path QemuOracle::next_serial_log() {
  std::lock_guard lock(m_serial_mutex);
  std::filesystem::path dir = m_options.workdir / "serial";
  std::filesystem::create_directories(dir);
  if (m_next_serial == 0) {
    // Continue after the logs of earlier runs, which the store's trials point to.
    m_next_serial = 1;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::string name = entry.path().filename().string();
      if (name.rfind("boot-", 0) == 0) {
        m_next_serial =
            std::max<std::size_t>(m_next_serial, std::strtoull(name.c_str() + 5, nullptr, 10) + 1);
      }
    }
  }
  return dir / fmt::format("boot-{:04}.log", m_next_serial++);
}

OracleVerdict QemuOracle::judge(const std::filesystem::path& project_dir,
                                const std::map<std::string, std::string>& environment) {
  auto start = std::chrono::steady_clock::now();
  OracleVerdict verdict;
  auto unresolved = [&](const std::string& note) {
    verdict.outcome = Outcome::unresolved;
    verdict.reason = UnresolvedReason::oracle_error;
    verdict.log_tail += "[ccbisect] qemu: " + note;
    verdict.seconds = seconds_since(start);
    return verdict;
  };

  // 1. The kernel and the initramfs this trial boots.
  std::filesystem::path kernel = in_project(project_dir, m_options.kernel);
  if (!std::filesystem::is_regular_file(kernel)) {
    return unresolved(
        fmt::format("the kernel {} does not exist ([oracle] kernel); install it (Debian: "
                    "apt-get install linux-image-amd64) or fix the path",
                    kernel.string()));
  }
  std::optional<std::filesystem::path> initrd;
  if (!m_options.initrd.empty()) {
    initrd = in_project(project_dir, m_options.initrd);
  }
  if (!m_options.initrd_command.empty()) {
    std::map<std::string, std::string> env = environment;
    if (initrd) {
      env["CCBISECT_INITRD"] = initrd->string();
    }
    ProcessResult pack = run_shell(m_options.initrd_command, project_dir, m_options.timeout_seconds, env);
    if (!pack.started || pack.timed_out || pack.exit_status != 0) {
      verdict.log_tail = last_lines(pack.started ? pack.output_tail : pack.error, 15) + "\n";
      return unresolved(
          fmt::format("initrd_command `{}` {}", m_options.initrd_command,
                      pack.timed_out ? "timed out" : fmt::format("failed (exit {})", pack.exit_status)));
    }
  }
  // Without an initramfs of the user's and without root= on the command line, a kernel has nothing to
  // run and can only panic, so it gets ccbisect's own (busybox's /init, the modules if any, power off).
  bool own_initramfs = !m_options.modules.empty() || (!initrd && m_options.initrd_command.empty() &&
                                                      m_options.append.find("root=") == std::string::npos);
  if (own_initramfs) {
    // The modules this trial just linked, in an initramfs of ccbisect's own, one per tree (slot).
    std::vector<std::filesystem::path> modules;
    for (const std::string& module : m_options.modules) {
      modules.push_back(in_project(project_dir, module));
      if (!std::filesystem::is_regular_file(modules.back())) {
        return unresolved(fmt::format("the module {} ([oracle] modules) was not built by the link",
                                      modules.back().string()));
      }
    }
    std::filesystem::path boot_dir = m_options.workdir / "boot";
    std::filesystem::create_directories(boot_dir);
    initrd = boot_dir / fmt::format("initramfs-{:016x}.cpio", std::hash<std::string>{}(project_dir.string()));
    write_module_initramfs(*initrd, modules, static_busybox());
  }
  if (initrd && !std::filesystem::is_regular_file(*initrd)) {
    return unresolved(
        fmt::format("the initrd {} does not exist ([oracle] initrd{})", initrd->string(),
                    m_options.initrd_command.empty() ? "" : "; initrd_command did not write it"));
  }

  // 2. Boot, stopping at the verdict.
  std::string why;
  std::string accel = accelerator(kernel, why);
  ConsoleScanner scanner(m_patterns);
  ProcessSpec spec;
  spec.argv = boot_command(accel, kernel, initrd, m_options.append);
  spec.cwd = project_dir;
  spec.environment = environment;
  spec.timeout_seconds = m_options.timeout_seconds;
  spec.tail_bytes = 1 << 20;
  spec.full_log = next_serial_log();
  spec.stop_when = [&scanner](std::string_view output) { return scanner.feed(output); };
  ProcessResult run = run_process(spec);
  verdict.seconds = seconds_since(start);
  verdict.exit_status = run.exit_status;
  if (!run.started) {
    return unresolved(fmt::format(
        "{}; install QEMU (Debian: apt-get install qemu-system-x86) or fix [oracle] qemu", run.error));
  }
  scanner.finish(run.output_tail);

  // 3. The verdict: a console line, else what the way QEMU ended means.
  const ConsoleVerdict& said = scanner.verdict();
  std::string summary;
  if (said.outcome) {
    verdict.outcome = *said.outcome;
    summary = fmt::format("{}: console line {} matches /{}/: {}", to_string(verdict.outcome),
                          said.line_number, said.pattern, said.line);
  } else if (run.timed_out) {
    verdict.outcome = m_options.on_timeout;
    verdict.reason =
        verdict.outcome == Outcome::unresolved ? UnresolvedReason::oracle_timeout : UnresolvedReason::none;
    summary =
        fmt::format("{}: no verdict line in {:.0f} s; QEMU's process group killed ([oracle] on_timeout)",
                    to_string(verdict.outcome), m_options.timeout_seconds);
  } else if (m_options.pass_patterns.empty() && scanner.powered_off()) {
    verdict.outcome = Outcome::pass;
    summary = "pass: the guest powered off with no fail line (no [oracle] pass patterns are set)";
  } else {
    verdict.outcome = m_options.on_error;
    // QEMU ran and ended, and no console line matched a pattern: the oracle's "no verdict".
    verdict.reason = verdict.outcome == Outcome::unresolved ? UnresolvedReason::oracle_said_unresolved
                                                            : UnresolvedReason::none;
    summary = fmt::format("{}: QEMU exited (status {}) without a verdict line ([oracle] on_error)",
                          to_string(verdict.outcome), run.exit_status);
  }
  verdict.log_tail = console_excerpt(printable_console(run.output_tail), said.line);
  if (!verdict.log_tail.empty() && verdict.log_tail.back() != '\n') {
    verdict.log_tail += '\n';
  }
  verdict.log_tail += fmt::format(
      "[ccbisect] qemu ({}, {:.1f} s): {}\n[ccbisect] accelerator {}: {}; full console: {}\n"
      "[ccbisect] boot: {}",
      accel, run.seconds, summary, accel, why, spec.full_log->string(), shell_join(spec.argv));
  return verdict;
}

}  // namespace ccbisect
