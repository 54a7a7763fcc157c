#!/usr/bin/env bash
# The one command of examples/linux: prepare the tree, then `ccbisect run` (capture, objects, flags,
# functions, verdict). Extra arguments go to ccbisect run (e.g. --json). CCBISECT names the binary;
# PREPARE_ARGS=--reconfigure writes the kernel's configuration again first.
set -euo pipefail
cd "$(dirname "$0")"
ccbisect="${CCBISECT:-../../build/ccbisect}"
./prepare.sh ${PREPARE_ARGS:-}
exec "$ccbisect" run -j "$(nproc)" "$@"
