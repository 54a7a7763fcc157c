// The interrupt handler; see interrupt.hpp. A fixed table of atomics because a signal handler may
// only touch lock-free state; more trials at once than slots would be a -j far beyond any machine.
#include "sys/interrupt.hpp"

#include <signal.h>

#include <array>
#include <atomic>

namespace ccbisect {

namespace {

constexpr std::size_t k_slots = 256;
std::array<std::atomic<pid_t>, k_slots> g_groups{};
std::atomic<int> g_signal{0};

void on_signal(int signal) {
  g_signal.store(signal);
  for (std::atomic<pid_t>& group : g_groups) {
    pid_t pid = group.load();
    if (pid > 0) {
      ::kill(-pid, SIGKILL);
    }
  }
}

}  // namespace

void install_interrupt_handlers() {
  static std::atomic<bool> installed{false};
  if (installed.exchange(true)) {
    return;
  }
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

int interrupt_signal() { return g_signal.load(); }

void register_process_group(pid_t group) {
  for (std::atomic<pid_t>& slot : g_groups) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, group)) {
      break;
    }
  }
  if (g_signal.load() != 0) {
    ::kill(-group, SIGKILL);  // the signal came before the group was registered
  }
}

void unregister_process_group(pid_t group) {
  for (std::atomic<pid_t>& slot : g_groups) {
    pid_t expected = group;
    if (slot.compare_exchange_strong(expected, 0)) {
      break;
    }
  }
}

}  // namespace ccbisect
