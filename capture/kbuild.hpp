// `[build] capture = "kbuild"`: a Linux kernel or an out-of-tree module, built by Kbuild itself.
//
// ccbisect runs both captures (make clean, the build through the compiler wrapper with the good
// side, make clean, the same with the bad side, which stays in the tree with its .X.o.cmd files),
// and relinks every trial with the same make line, so Kbuild sees the command lines it recorded and
// only relinks: the placed objects get a fresh mtime, so Kbuild relinks the .ko (or vmlinux and
// bzImage) without recompiling. The user writes no relink script and sets no wrapper variable.
//
// Not every object Kbuild compiles is a search item: `*.mod.o` (modpost's generated module info)
// and whatever the link step itself recompiles (found by relinking once after the capture: e.g.
// the kallsyms objects, init/version.o) are made anew by every link.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "capture/capture.hpp"

namespace ccbisect {

struct KbuildTree {
  std::filesystem::path kdir;    // the kernel tree (absolute)
  std::filesystem::path module;  // M= (absolute); empty: the kernel itself
  std::vector<std::string> make_args;
  std::string release;  // the tree's kernel release (include/config/kernel.release), "" if unknown
};

// The tree `config` names; kdir defaults to default_kdir(). Throws UserError naming the key when a
// directory does not exist or is not a kernel tree.
KbuildTree kbuild_tree(const Config& config);

// The newest /lib/modules/V/build that has an image /boot/vmlinuz-V to boot (linux-headers-amd64
// with linux-image-amd64), or empty.
std::filesystem::path default_kdir();

// `make -C KDIR [M=MODULE] CC=ccbisect-cc ARGS... [TARGETS]` (targets: "modules" for a module).
std::vector<std::string> kbuild_make(const KbuildTree& tree, const std::vector<std::string>& extra);

// What a kbuild configuration leaves to ccbisect: [build] link (the relink line, with the wrapper
// answering Kbuild's compiler probes as the bad side did) and, for the QEMU oracle, the kernel to
// boot (for a module: the installed image of the tree's release; "build": the bzImage the trial
// linked). Leaves keys the user gave alone.
void complete_kbuild_config(Config& config);

// Captures both sides through Kbuild (or reuses the last capture when the configuration, the
// compilers, the tree's recorded command files and the captured sources are unchanged). Throws UserError with
// the build's last lines, and the fix when a side's compiler rejects an option the kernel's flags carry.
CaptureSummary capture_kbuild(const Config& config, Store& store, ObjectStore& objects, std::size_t jobs,
                              const NoteSink& note);

}  // namespace ccbisect
