// Kernel-module fixtures for the QEMU tests: Debian's kernel image and headers, a module built by
// Kbuild in a temp dir (the QEMU oracle's own initramfs, oracle/initramfs.hpp, loads it).
//
// Like require_tools, a missing kernel or missing headers exit the test process with 77, which CTest
// reports as skipped, never as passed.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace ccbisect::testing {

struct DebianKernel {
  std::string version;              // e.g. 6.1.0-56-amd64
  std::filesystem::path image;      // /boot/vmlinuz-VERSION (linux-image-amd64)
  std::filesystem::path build_dir;  // /lib/modules/VERSION/build (linux-headers-amd64)
};

// The newest kernel with both an image and headers; exits 77 (skipped) naming the packages if none.
DebianKernel require_debian_kernel();

// Builds module `name` from one C source with Kbuild (gcc-12) in `dir`; returns the .ko, or fails
// the test with the build's output.
std::filesystem::path build_module(const DebianKernel& kernel, const std::filesystem::path& dir,
                                   const std::string& name, const std::string& source);

}  // namespace ccbisect::testing
