#!/usr/bin/env bash
# verify_projects.sh [CASE...] - checks every case once embedded in its project (make_project.sh),
# with plain make, no ccbisect:
#   all-good    make (good cc/flags)                    ./test.sh must pass
#   all-bad     make CC=bad CFLAGS=bad                  ./test.sh must fail
#   bad case    all-good, then only obj/<case>.o bad    must fail  (the case's object is a culprit)
#   good case   all-bad, then only obj/<case>.o good    must pass  (and the only one)
# SANITIZE=1 adds: all objects with gcc-12 -O1 -fsanitize=undefined,address must abort with
# AddressSanitizer's allocation-size-too-big from memtest.c (the unrelated trip) and show the
# UBSan shift report from bitops.c.
# Exits 0 only if every case holds. Runs one compile at a time.
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

field() {  # field KEY TOML
  sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$2" | head -n 1
}

cases=()
if [ "$#" -gt 0 ]; then
  for n in "$@"; do cases+=("${n%/}"); done
else
  for d in "$here"/*/; do [ -f "$d/case.toml" ] && cases+=("$(basename "$d")"); done
fi

# outcome DIR -> "pass" or "fail(rc)"
outcome() {
  local rc
  (cd "$1" && ./test.sh >/dev/null 2>&1)
  rc=$?
  if [ "$rc" -eq 0 ]; then echo pass; else echo "fail($rc)"; fi
}

ok_count=0
bad_count=0
printf '%-34s %-9s %-9s %-10s %-10s %s\n' case all-good all-bad "bad case" "good case" sanitize
for name in "${cases[@]}"; do
  toml="$here/$name/case.toml"
  p="$work/$name"
  if ! "$here/make_project.sh" "$here/$name" "$p" >/dev/null; then
    echo "FAIL $name: make_project.sh failed"
    bad_count=$((bad_count + 1))
    continue
  fi
  gcc_="$(field good_cc "$toml")"; gfl="$(field good_flags "$toml")"
  bcc="$(field bad_cc "$toml")"; bfl="$(field bad_flags "$toml")"
  log="$work/$name.log"
  r1=build-error r2=build-error r3=build-error r4=build-error r5=-
  if make -C "$p" -s -j1 CC="$gcc_" CFLAGS="$gfl" >>"$log" 2>&1; then
    r1="$(outcome "$p")"
    if make -C "$p" -s -j1 CC="$bcc" CFLAGS="$bfl" -W "src/$name.c" prog >>"$log" 2>&1; then
      r3="$(outcome "$p")"
    fi
  fi
  make -C "$p" -s clean >/dev/null
  if make -C "$p" -s -j1 CC="$bcc" CFLAGS="$bfl" >>"$log" 2>&1; then
    r2="$(outcome "$p")"
    if make -C "$p" -s -j1 CC="$gcc_" CFLAGS="$gfl" -W "src/$name.c" prog >>"$log" 2>&1; then
      r4="$(outcome "$p")"
    fi
  fi
  ok=1
  [ "$r1" = pass ] || ok=0
  [[ "$r2" == fail* ]] || ok=0
  [[ "$r3" == fail* ]] || ok=0
  [ "$r4" = pass ] || ok=0
  if [ "${SANITIZE:-0}" = 1 ]; then
    make -C "$p" -s clean >/dev/null
    if make -C "$p" -s -j1 CC=gcc-12 CFLAGS="-O1 -fsanitize=undefined,address" \
      LDFLAGS="-fsanitize=undefined,address" >>"$log" 2>&1; then
      (cd "$p" && ASAN_OPTIONS=detect_leaks=0 ./prog >/dev/null 2>"$work/$name.san")
      if grep -q 'AddressSanitizer: allocation-size-too-big' "$work/$name.san" &&
        grep -q "bitops.c.*left shift of 1 by 31 places" "$work/$name.san"; then
        r5=trips
      else
        r5=no-trip
        ok=0
      fi
    else
      r5=build-error
      ok=0
    fi
  fi
  if [ "$ok" -eq 1 ]; then status=ok; ok_count=$((ok_count + 1)); else status=FAIL; bad_count=$((bad_count + 1)); fi
  printf '%-4s %-29s %-9s %-9s %-10s %-10s %s\n' "$status" "$name" "$r1" "$r2" "$r3" "$r4" "$r5"
  if [ "$ok" -eq 0 ]; then tail -n 5 "$log" | sed 's/^/     | /'; fi
done
echo "$ok_count ok, $bad_count failed"
[ "$bad_count" -eq 0 ]
