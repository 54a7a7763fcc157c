#!/usr/bin/env bash
# The whole test suite: installs what is missing, builds, runs every test under CTest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
ctest --test-dir build --output-on-failure -j "$(nproc)" --timeout 600
