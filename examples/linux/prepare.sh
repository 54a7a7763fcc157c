#!/usr/bin/env bash
# Prepares examples/linux: Debian's linux-source-6.1 unpacked into ./linux-source-6.1, the planted
# bug applied (planted-bug.patch) and a tinyconfig-based configuration (tiny.config) written.
# Idempotent: an existing tree with the patch applied is left as it is, and so is its configuration
# once written (the bad side's capture rewrites it for gcc-11, and the trials need it as it is then);
# `prepare.sh --reconfigure` writes it again, before capturing anew. Needs root for apt-get.
set -euo pipefail
cd "$(dirname "$0")"
tarball=/usr/src/linux-source-6.1.tar.xz
packages=(linux-source-6.1 flex bison bc make gcc-11 gcc-12 libelf-dev qemu-system-x86 busybox-static)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "prepare.sh: apt-get install ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >&2
fi
if [ ! -f linux-source-6.1/Makefile ]; then
  echo "prepare.sh: unpacking $tarball" >&2
  tar xf "$tarball"
fi
cd linux-source-6.1
if ! grep -q bitmap_boot_check lib/bitmap.c; then
  patch -p1 <../planted-bug.patch >&2
fi
if [ "${1:-}" = --reconfigure ] || [ ! -f .config ] || ! grep -q '^CONFIG_SERIAL_8250_CONSOLE=y' .config; then
  make -s CC=gcc-12 tinyconfig >/dev/null
  ./scripts/kconfig/merge_config.sh -m .config ../tiny.config >/dev/null
  make -s CC=gcc-12 olddefconfig >/dev/null
fi
echo "prepare.sh: $(pwd) is ready ($(grep -c '=y' .config) options set)" >&2
