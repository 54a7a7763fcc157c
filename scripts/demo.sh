#!/usr/bin/env bash
# The demo: build ccbisect, then find which object of examples/demo (26 C files) breaks the
# program when built with gcc-12 -O2 instead of -O1, and which optimization option does it.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd examples/demo
rm -rf .ccbisect obj prog   # a clean start, so the demo shows the whole search
echo "== which objects? ==" >&2
../../build/ccbisect objects -j "$(nproc)"
echo "== which optimization options? (then the latent-bug probes) ==" >&2
../../build/ccbisect flags
