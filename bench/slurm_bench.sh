#!/usr/bin/env bash
# Wall time of the same search (capture, then objects, then flags with its probes) on
# examples/gen200, three ways: local -j 1, local -j 2 with parallel_trials, and SLURM with 2 jobs
# (the one-node cluster of scripts/slurm.sh, which must be up).
#
#   bench/slurm_bench.sh BUILD/ccbisect [N=200] [ORACLE_DELAY=0]
#
# ORACLE_DELAY (seconds) is added to every oracle run, to stand for a slow test or a boot. Each
# way gets a fresh copy of the project, so each captures once (-j 2) and no trial is replayed.
# Prints one line per way: capture, objects and flags seconds, trials, and the answers.
set -euo pipefail
ccbisect="$(realpath "${1:?usage: $0 BUILD/ccbisect [N] [ORACLE_DELAY]}")"
n="${2:-200}"
delay="${3:-0}"
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(mktemp -d /tmp/ccbisect-slurm-bench-XXXXXX)"
trap 'rm -rf "$root"' EXIT

seconds() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read().strip().splitlines()[-1])[sys.argv[1]])' "$1"; }

run_way() {
  local name="$1" jobs="$2" extra="$3"
  local dir="$root/$name"
  "$here/examples/gen200/generate.sh" "$dir" "$n" >/dev/null
  if [ "$delay" != 0 ]; then
    sed -i "s|^command = \"./test.sh\"|command = \"sleep $delay; ./test.sh\"|" "$dir/ccbisect.toml"
  fi
  case "$extra" in
    parallel) sed -i '/^\[build\]/a parallel_trials = true' "$dir/ccbisect.toml" ;;
    slurm) printf '\n[executor]\ntype = "slurm"\njobs = 2\n' >>"$dir/ccbisect.toml" ;;
  esac
  cd "$dir"
  local t0 t1 t2 t3
  t0=$(date +%s.%N)
  "$ccbisect" -q capture -j 2 >/dev/null
  t1=$(date +%s.%N)
  "$ccbisect" -q objects --json -j "$jobs" >objects.json
  t2=$(date +%s.%N)
  "$ccbisect" -q flags --json -j "$jobs" >flags.json
  t3=$(date +%s.%N)
  python3 - "$name" "$t0" "$t1" "$t2" "$t3" <<'EOF'
import json, sys
name, t0, t1, t2, t3 = sys.argv[1], *map(float, sys.argv[2:])
o = json.load(open("objects.json"))
f = json.load(open("flags.json"))
print(f"{name:<26} capture {t1-t0:6.1f} s  objects {t2-t1:6.1f} s ({o['trials']:3d} trials)  "
      f"flags {t3-t2:6.1f} s ({f['trials']:3d} trials)  search {t3-t1:6.1f} s  "
      f"answer {o['culprits']} {f['culprits']}")
EOF
  cd "$here"
}

echo "gen200 N=$n, oracle delay ${delay} s, $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
run_way "local -j 1" 1 ""
run_way "local -j 2 parallel_trials" 2 parallel
run_way "slurm jobs = 2" 2 slurm
