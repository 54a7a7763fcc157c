// Ctrl-C and SIGTERM during a search. The handler kills the process group of every child that
// run_process is waiting for (the link, the oracle and whatever they started in their group) and
// remembers the signal; run_process then returns with `interrupted` set, the trial is recorded as
// unresolved with reason `interrupted` (trials/link_and_judge.cpp), and the command restores the tree
// and exits 128 + signal (130, 143).
// A child that leaves its group (setsid) escapes this kill, as it escapes the timeout's: see README.
#pragma once

#include <sys/types.h>

namespace ccbisect {

// Installs the SIGINT/SIGTERM handlers (once; later calls do nothing).
void install_interrupt_handlers();
// The signal received, or 0.
int interrupt_signal();
// run_process registers each child's process group while it waits for it. Async-signal-safe.
void register_process_group(pid_t group);
void unregister_process_group(pid_t group);

}  // namespace ccbisect
