// The initramfs the QEMU oracle boots for `[oracle] modules`: busybox (Debian's busybox-static) as
// /init's shell, the modules under /modules, and an /init that insmods each (with the parameters
// `NAME.key=value` words of the kernel command line give it, as modprobe reads them) and then powers
// the machine off, so QEMU exits as soon as the modules have spoken.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccbisect {

// The busybox the initramfs uses: /bin/busybox, which must be statically linked (the initramfs has
// no C library). Throws UserError saying which package to install otherwise.
std::filesystem::path static_busybox();

// Writes an uncompressed cpio ("newc") archive to `out` holding busybox, `modules` and /init.
// Throws UserError naming the file that cannot be read or written.
void write_module_initramfs(const std::filesystem::path& out,
                            const std::vector<std::filesystem::path>& modules,
                            const std::filesystem::path& busybox);

// The /init script (exposed for its test).
std::string module_init_script();

}  // namespace ccbisect
