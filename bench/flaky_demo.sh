#!/usr/bin/env bash
# The demo under a flaky oracle: examples/demo's own test, with its answer flipped (pass <-> fail) at
# random in a given share of the trials, searched by `ccbisect objects` with SEEDS different random
# streams. Prints how many searches named the right object, how many ended without an answer
# (not reproducible or inconclusive: sound), and how many printed a wrong answer with exit 0.
#
#   bench/flaky_demo.sh [FLIP_PERCENT=10] [SEEDS=20] [extra ccbisect options…]
#
# It runs in a copy of the demo under a temp dir; each search starts from an empty workdir apart from
# the object store (the capture is reused, the trials are not).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
flip=${1:-10}
seeds=${2:-20}
shift $(( $# > 2 ? 2 : $# ))
ccbisect=${CCBISECT:-$here/build/ccbisect}
expected="obj/frame_tag.o"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$here/examples/demo" "$work/demo"
cd "$work/demo"
rm -rf .ccbisect obj prog
# The flaky oracle: the real test, then a flip decided by a hash of (seed, trial number).
cat > flaky.sh <<'ORACLE'
#!/usr/bin/env bash
./test.sh >/dev/null 2>&1; status=$?
n=$(( $(cat .flaky_count 2>/dev/null || echo 0) + 1 )); echo "$n" > .flaky_count
roll=$(( $(printf '%s-%s' "$FLAKY_SEED" "$n" | cksum | cut -d' ' -f1) % 100 ))
if [ "$roll" -lt "$FLAKY_PERCENT" ]; then
  if [ "$status" -eq 0 ]; then exit 1; else exit 0; fi
fi
exit "$status"
ORACLE
chmod +x flaky.sh
sed -i 's#^command = .*#command = "./flaky.sh"#' ccbisect.toml

right=0 none=0 wrong=0 trials_total=0
for seed in $(seq 1 "$seeds"); do
  rm -f .ccbisect/ccbisect.db* .flaky_count
  set +e
  out=$(FLAKY_SEED=$seed FLAKY_PERCENT=$flip "$ccbisect" objects --json "$@" 2>/dev/null)
  code=$?
  set -e
  culprits=$(printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(d.get("culprits",[])))' 2>/dev/null || echo "?")
  trials=$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("trials",0))' 2>/dev/null || echo 0)
  trials_total=$((trials_total + trials))
  if [ "$code" -eq 0 ] && [ "$culprits" = "$expected" ]; then
    right=$((right + 1)); what=right
  elif [ "$code" -eq 0 ]; then
    wrong=$((wrong + 1)); what="WRONG ($culprits)"
  else
    none=$((none + 1)); what="no answer (exit $code)"
  fi
  printf 'seed %2d: %-40s %3s trials\n' "$seed" "$what" "$trials"
done
printf 'flaky demo, %s%% flipped, %s seeds: %s right, %s without an answer, %s WRONG; %.1f trials per search\n' \
  "$flip" "$seeds" "$right" "$none" "$wrong" "$(echo "$trials_total / $seeds" | bc -l)"
