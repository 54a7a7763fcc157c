#!/usr/bin/env bash
# Installs what ccbisect needs from Debian 12 (only what is missing), then configures and builds.
# Used by scripts/demo.sh and scripts/test.sh; run as root on a fresh machine, or with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  cmake ninja-build g++ make pkg-config
  libsqlitecpp-dev libsqlite3-dev libfmt-dev nlohmann-json3-dev libcli11-dev libtoml11-dev
  libxxhash-dev libboost-graph-dev libelf-dev binutils catch2
  gcc-12 gcc-11 clang-14 clang-15 clang-16 sqlite3 libclang-14-dev
  clang-format clang-tidy   # scripts/test.sh checks formatting and runs clang-tidy
  chromium   # the tests render the HTML report headless
  # The QEMU boot oracle's tests and examples/kmod: a kernel to boot, its headers to build modules
  # with Kbuild, QEMU, and a static busybox + cpio for the initramfs (about 100 MB to download).
  qemu-system-x86 linux-image-amd64 linux-headers-amd64 busybox-static cpio
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  sudo_cmd=()
  [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$(nproc)"
