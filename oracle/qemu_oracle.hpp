// An oracle that boots a kernel in QEMU and reads its serial console: the first console line that
// matches a `fail` pattern (Kernel panic, Oops, BUG:, ...) or a `pass` pattern (e.g. a module's
// self-test line) is the verdict. QEMU's exit status says nothing (it exits 0 whatever the guest
// did), so the console is the only witness.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "bisector/oracle.hpp"
#include "config/config.hpp"

namespace ccbisect {

struct QemuOptions {
  std::filesystem::path config_file;  // named in error messages
  std::filesystem::path workdir;      // the KVM probe's answer and the serial logs are kept here
  std::string qemu = "qemu-system-x86_64";
  std::string kernel;                // relative to the project directory
  std::string initrd;                // a fixed file, or the file initrd_command writes; empty: none
  std::string initrd_command;        // shell command run in the project directory before every boot
  std::vector<std::string> modules;  // packed into a busybox initramfs before every boot (initramfs.hpp)
  std::string append = "console=ttyS0";
  std::string memory = "256M";
  int smp = 1;
  QemuAccel accel = QemuAccel::automatic;  // KVM if a test boot finishes there, else TCG; or forced
  std::vector<std::string> args;           // extra QEMU arguments
  std::vector<std::string> pass_patterns;
  std::vector<std::string> fail_patterns;
  double timeout_seconds = 60.0;
  Outcome on_timeout = Outcome::unresolved;
  Outcome on_error = Outcome::unresolved;  // QEMU ended (or failed) without a verdict line
};

// The options of `[oracle] type = "qemu"` in `config`.
QemuOptions qemu_options(const Config& config);

// The oracle of `[oracle] type = "qemu"` in `config` (its row in oracle_registry.cpp). Throws
// UserError when a pattern does not compile.
std::unique_ptr<Oracle> make_qemu_oracle(const Config& config);

// The compiled pass and fail patterns (ECMAScript regexes, searched anywhere in a line).
struct ConsolePatterns {
  std::vector<std::pair<std::string, std::regex>> pass;
  std::vector<std::pair<std::string, std::regex>> fail;
  // Throws UserError naming `config_file`, [oracle] pass/fail and the pattern when one does not compile.
  static ConsolePatterns compile(const std::vector<std::string>& pass, const std::vector<std::string>& fail,
                                 const std::filesystem::path& config_file);
};

// What the console said: the first line that matched a fail or a pass pattern.
struct ConsoleVerdict {
  std::optional<Outcome> outcome;  // nothing: no verdict line
  std::string line;                // the deciding line, control characters removed
  std::string pattern;             // the pattern it matched
  std::size_t line_number = 0;     // 1-based
};

// Reads console output while it arrives. On each line the fail patterns are tried before the pass
// patterns, and the first line that matches any decides. After a pass line there is nothing left to
// wait for. After a fail line the report that follows (registers, call trace) is still read, up to its
// "---[ end" line or k_report_lines lines, so that the log shows it.
class ConsoleScanner {
 public:
  static constexpr std::size_t k_report_lines = 60;

  explicit ConsoleScanner(const ConsolePatterns& patterns);
  // `text` is the output so far; its beginning may have been dropped since the previous call (the
  // window ProcessSpec::stop_when sees is bounded). Returns true once QEMU can be stopped.
  bool feed(std::string_view text);
  // Reads what `feed` left: the last line, which has no newline, once the output has ended.
  void finish(std::string_view text);
  const ConsoleVerdict& verdict() const { return m_verdict; }
  // Whether the kernel said it was powering off ("reboot: Power down").
  bool powered_off() const { return m_powered_off; }

 private:
  std::size_t resume_point(std::string_view text) const;
  bool on_line(std::string_view raw);

  const ConsolePatterns& m_patterns;
  ConsoleVerdict m_verdict;
  std::size_t m_lines = 0;
  std::size_t m_report_lines = 0;
  bool m_done = false;
  bool m_powered_off = false;
  std::size_t m_consumed = 0;  // offset in the previous text just after the last line read
  std::string m_anchor;        // the bytes just before m_consumed, to find that point again
};

// Console output made safe to print and store: terminal escape sequences (SeaBIOS clears the screen)
// and other control characters removed, line ends kept.
std::string printable_console(std::string_view text);

class QemuOracle : public Oracle {
 public:
  // Throws UserError when a pattern does not compile.
  explicit QemuOracle(QemuOptions options);
  // Packs the initrd (initrd_command), boots, and stops QEMU once the console has given a verdict.
  // A verdict line -> its outcome; no verdict line: timeout -> on_timeout, QEMU ended -> on_error,
  // except that with no pass patterns a clean power-off passes. A missing kernel, initrd or QEMU, or
  // a failing initrd_command -> unresolved with a note saying which. The full console goes to
  // <workdir>/serial/boot-NNNN.log; log_tail holds its last lines and a summary naming that file.
  OracleVerdict judge(const std::filesystem::path& project_dir,
                      const std::map<std::string, std::string>& environment = {}) override;
  // "kvm" or "tcg" for booting `kernel`, and why. With accel = "auto", KVM is tried once per QEMU
  // and kernel (a test boot must reach the end of kernel init); the answer is kept in
  // <workdir>/qemu-accel.txt so that later runs do not probe again.
  std::string accelerator(const std::filesystem::path& kernel, std::string& why);

 private:
  std::vector<std::string> boot_command(const std::string& accel, const std::filesystem::path& kernel,
                                        const std::optional<std::filesystem::path>& initrd,
                                        const std::string& append) const;
  std::filesystem::path next_serial_log();

  QemuOptions m_options;
  ConsolePatterns m_patterns;
  std::mutex m_accel_mutex;
  std::map<std::string, std::pair<std::string, std::string>> m_accel;  // probe key -> (accel, why)
  std::mutex m_serial_mutex;
  std::size_t m_next_serial = 0;  // 0: not yet read from the serial directory
};

}  // namespace ccbisect
