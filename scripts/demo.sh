#!/usr/bin/env bash
# The demo: build ccbisect, then run the whole method on examples/demo (26 C files that break when
# built with gcc-12 -O2 instead of -O1): which object, which optimization option, which function,
# the latent-bug probes, the verdict, and the post-mortem report.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd examples/demo
rm -rf .ccbisect obj prog   # a clean start, so the demo shows the whole search
../../build/ccbisect run -j "$(nproc)"
