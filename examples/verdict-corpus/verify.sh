#!/usr/bin/env bash
# Checks every case of the verdict corpus: built with its good toolchain the program must exit 0,
# built with its bad toolchain it must exit non-zero (abort, signal, exit 1, or a timeout).
#
#   ./verify.sh              all cases
#   ./verify.sh NAME...      only these case directories
#   REPEAT=3 ./verify.sh     run each binary 3 times (every run must agree)
#   TIMEOUT=10               seconds a run may take (a timeout counts as a failure of that run)
#
# Needs the compilers the cases name: gcc-11 gcc-12 clang-14 clang-15 clang-16
# (apt-get install -y gcc-11 gcc-12 clang-14 clang-15 clang-16). Exits 0 only if every case holds.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repeat="${REPEAT:-1}"
limit="${TIMEOUT:-10}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# The value of `key = "value"` in a case.toml (one key a line, no escapes needed in this corpus).
field() {
  sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$2" | head -n 1
}

describe() {  # an exit status as "exit N" or "exit N (SIGNAME)"
  local rc="$1"
  if [ "$rc" = "timeout" ]; then echo "timeout"; return; fi
  if [ "$rc" -gt 128 ] && [ "$rc" -lt 160 ]; then
    echo "exit $rc (SIG$(kill -l $((rc - 128)) 2>/dev/null || echo "?"))"
  else
    echo "exit $rc"
  fi
}

# build CASE_DIR SIDE CC FLAGS -> prints the executable's path, or returns 1 with the log kept
build() {
  local dir="$1" cc="$3" flags="$4" exe
  exe="$work/$(basename "$1").$2"
  if ! command -v "$cc" >/dev/null 2>&1; then
    echo "missing compiler $cc" >"$exe.log"
    return 1
  fi
  # shellcheck disable=SC2086  # flags are a word list
  (cd "$dir" && "$cc" $flags ./*.c -o "$exe" -lm) >"$exe.log" 2>&1 || return 1
  echo "$exe"
}

# run EXE -> prints the status of each run, space-separated
run() {
  local exe="$1" out="" rc i
  for ((i = 0; i < repeat; i++)); do
    timeout -k 2 "$limit" "$exe" >/dev/null 2>&1
    rc=$?
    [ "$rc" -eq 124 ] && rc=timeout
    out="$out $(describe "$rc")"
  done
  echo "${out# }"
}

cases=()
if [ "$#" -gt 0 ]; then
  for name in "$@"; do cases+=("$here/${name%/}"); done
else
  for dir in "$here"/*/; do [ -f "$dir/case.toml" ] && cases+=("${dir%/}"); done
fi

passed=0
failed=0
printf '%-34s %-17s %-30s %s\n' "case" "expected" "good (must exit 0)" "bad (must fail)"
for dir in "${cases[@]}"; do
  name="$(basename "$dir")"
  toml="$dir/case.toml"
  if [ ! -f "$toml" ]; then
    echo "FAIL $name: no case.toml"
    failed=$((failed + 1))
    continue
  fi
  expected="$(field expected "$toml")"
  gcc_="$(field good_cc "$toml")"; gfl="$(field good_flags "$toml")"
  bcc="$(field bad_cc "$toml")"; bfl="$(field bad_flags "$toml")"
  ok=1
  if gexe="$(build "$dir" good "$gcc_" "$gfl")"; then
    gres="$(run "$gexe")"
    # every run of the good build must be exactly "exit 0"
    if [ -n "$(echo "$gres" | sed 's/exit 0//g' | tr -d ' ')" ]; then ok=0; fi
  else
    gres="build failed: $(head -c 200 "$work/$name.good.log" | tr '\n' ' ')"
    ok=0
  fi
  if bexe="$(build "$dir" bad "$bcc" "$bfl")"; then
    bres="$(run "$bexe")"
    # every run of the bad build must fail (anything but exit 0)
    if echo " $bres" | grep -Eq '(^| )exit 0( |$)'; then ok=0; fi
  else
    bres="build failed: $(head -c 200 "$work/$name.bad.log" | tr '\n' ' ')"
    ok=0
  fi
  if [ "$ok" -eq 1 ]; then
    passed=$((passed + 1)); status=ok
  else
    failed=$((failed + 1)); status=FAIL
  fi
  printf '%-4s %-29s %-17s %-30s %s\n' "$status" "$name" "$expected" "$gcc_ $gfl: $gres" "$bcc $bfl: $bres"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
