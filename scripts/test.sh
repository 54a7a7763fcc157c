#!/usr/bin/env bash
# The whole test suite (what .ci/run runs): installs what is missing and builds (setup.sh), then
#  1. checks that the tracked C++ sources are formatted (.clang-format),
#  2. runs every test under CTest, with a one-node SLURM cluster up for the slurm: tests
#     (scripts/slurm.sh: started before, stopped after unless it was already running;
#     CCBISECT_NO_SLURM=1 leaves it alone, and those tests are then skipped),
#  3. builds the unit tests under ASan+UBSan in build-asan and runs them,
#  4. runs clang-tidy (.clang-tidy) on the C++ sources changed since the merge base with main (on
#     main itself: those of the last commit); CCBISECT_TIDY=all checks the whole tree, which costs
#     about 5 s of CPU per file (7-8 minutes of CPU for the tree), too much for every run on 2 cores.
# Each step prints its wall time; the first failure stops the script with its status.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs="$(nproc)"

step() {
  local name="$1"
  shift
  local start=$SECONDS
  echo "test.sh: $name" >&2
  "$@"
  echo "test.sh: $name: ok ($((SECONDS - start)) s)" >&2
}

# The C++ sources of the tree: tracked ones in a git checkout, else every one outside build dirs.
sources() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files -- '*.cpp' '*.hpp'
  else
    find . -path './build*' -prune -o \( -name '*.cpp' -o -name '*.hpp' \) -print | sed 's|^\./||'
  fi
}

check_format() {
  sources | xargs clang-format --dry-run -Werror
}

run_ctest() {
  local started_slurm=0
  if [ "${CCBISECT_NO_SLURM:-0}" != 1 ] && ! scripts/slurm.sh status >/dev/null 2>&1; then
    scripts/slurm.sh start
    started_slurm=1
  fi
  local status=0
  ctest --test-dir build --output-on-failure -j "$jobs" --timeout 600 || status=$?
  if [ "$started_slurm" = 1 ]; then
    scripts/slurm.sh stop
  fi
  return "$status"
}

# Only the unit tests (no compiler, QEMU or kernel runs under the sanitizers: their cost is in the
# tools, not in our code). -O1 keeps them fast; every report is fatal.
run_sanitized_unit_tests() {
  local flags="-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" >/dev/null
  cmake --build build-asan -j "$jobs" --target unit_tests
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1 \
    build-asan/tests/unit_tests
}

# The .cpp files to check: see the header. Outside a git checkout, the whole tree.
tidy_files() {
  local base=""
  if [ "${CCBISECT_TIDY:-changed}" != all ] && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    base="$(git merge-base HEAD main 2>/dev/null || true)"
    if [ -z "$base" ] || [ "$base" = "$(git rev-parse HEAD)" ]; then
      base="$(git rev-parse --verify -q HEAD~1 || true)"
    fi
  fi
  if [ -n "$base" ]; then
    git diff --name-only --diff-filter=AMR "$base" -- '*.cpp'
  else
    sources | grep '\.cpp$'
  fi
}

run_clang_tidy() {
  local files
  files="$(tidy_files)"
  if [ -z "$files" ]; then
    echo "test.sh: no C++ source changed" >&2
    return 0
  fi
  echo "$files" | xargs run-clang-tidy -p build -j "$jobs" -quiet -header-filter="^$(pwd)/" \
    >build/clang-tidy.log 2>&1 || {
    grep -E 'warning:|error:' -A3 build/clang-tidy.log >&2 || cat build/clang-tidy.log >&2
    return 1
  }
}

step "formatting (clang-format)" check_format
step "tests (ctest)" run_ctest
step "unit tests under ASan+UBSan (build-asan)" run_sanitized_unit_tests
step "clang-tidy" run_clang_tidy
