// Kernel-module fixtures for the QEMU tests; see kernel_fixture.hpp. The kernel is found the way
// capture/kbuild.cpp's default_kdir finds it, not by `uname -r`: the kernel booted in QEMU need not
// be the one the machine runs (a container's kernel has no headers here).
#include "tests/support/kernel_fixture.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>

#include <catch2/catch.hpp>

#include "sys/process.hpp"

namespace ccbisect::testing {

DebianKernel require_debian_kernel() {
  DebianKernel best;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/boot", error)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("vmlinuz-", 0) != 0) {
      continue;
    }
    std::string version = name.substr(8);
    std::filesystem::path build = std::filesystem::path("/lib/modules") / version / "build";
    // strverscmp: 6.1.0-10 is newer than 6.1.0-9.
    if (std::filesystem::is_directory(build) &&
        (best.version.empty() || ::strverscmp(version.c_str(), best.version.c_str()) > 0)) {
      best = {version, entry.path(), build};
    }
  }
  if (best.version.empty()) {
    std::printf(
        "SKIPPED: no kernel with headers (/boot/vmlinuz-V and /lib/modules/V/build); "
        "apt-get install linux-image-amd64 linux-headers-amd64\n");
    std::fflush(stdout);
    std::_Exit(77);
  }
  return best;
}

std::filesystem::path build_module(const DebianKernel& kernel, const std::filesystem::path& dir,
                                   const std::string& name, const std::string& source) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (name + ".c")) << source;
  std::ofstream(dir / "Kbuild") << "obj-m := " << name << ".o\n";
  ProcessSpec make;
  make.argv = {"make", "-C", kernel.build_dir.string(), "M=" + dir.string(), "CC=gcc-12", "modules"};
  make.timeout_seconds = 300;
  ProcessResult run = run_process(make);
  INFO(run.output_tail);
  REQUIRE(run.exit_status == 0);
  return dir / (name + ".ko");
}

}  // namespace ccbisect::testing
