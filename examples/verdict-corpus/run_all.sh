#!/usr/bin/env bash
# run_all.sh [CCBISECT_BINARY [CASE...]] - the verdict over the corpus.
#
# For each case (all by default): generates its 33-object project (make_project.sh) in a
# temporary directory, runs `ccbisect run --json` there, and prints one table row:
#
#   case | expected | got | confidence | trials | seconds | culprit object | culprit function | exit
#
#   got              verdict.kind from the JSON ("-" if ccbisect printed no verdict)
#   trials           the JSON's "trials" (the search trials of every level; the probes, one
#                    trial each, are listed apart in its "probes")
#   seconds          the JSON's "seconds" (the wall time of the run if there is no JSON)
#   culprit object   yes if "objects" holds obj/<case>.o (the only object the case is in)
#   culprit function yes if "functions" holds the case's culprit_function
#   exit             ccbisect's exit status (124: killed after TIMEOUT seconds)
#
# then "N/M verdicts match" and the total wall time.
#
# Environment:
#   OUT=FILE     also write the table, as markdown, to FILE
#   STRICT=1     exit 1 if any verdict does not match (default: exit 0, a report)
#   MIN_MATCH=N  exit 1 if fewer than N verdicts match, or if a case's culprit object was not
#                named (the regression guard CTest runs: tests/CMakeLists.txt)
#   TIMEOUT=900  seconds per case
#   KEEP=1       keep the generated projects (their .ccbisect/ holds the database and report)
#
# The binary defaults to build/ccbisect in this repository, then `ccbisect` in PATH.
# Needs python3 (to read the JSON), gcc-12 (the link) and the compilers the cases name; without
# them it exits 77 (skipped). Exit 2: usage (no binary, no such case).
set -u
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"

if [ "$#" -ge 1 ]; then
  bin="$1"
  shift
elif [ -x "$repo/build/ccbisect" ]; then
  bin="$repo/build/ccbisect"
else
  bin="$(command -v ccbisect || true)"
fi
if [ -z "$bin" ] || ! [ -x "$bin" ]; then
  echo "run_all.sh: no ccbisect binary (give its path as the first argument)" >&2
  exit 2
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
limit="${TIMEOUT:-900}"
command -v python3 >/dev/null || { echo "run_all.sh: skipped: needs python3" >&2; exit 77; }

cases=()
if [ "$#" -gt 0 ]; then
  for n in "$@"; do cases+=("$(basename "${n%/}")"); done
else
  for d in "$here"/*/; do [ -f "$d/case.toml" ] && cases+=("$(basename "$d")"); done
fi

# A missing tool is a skip (exit 77, as the repository's other tests), never a pass or a fail.
for name in "${cases[@]}"; do
  [ -f "$here/$name/case.toml" ] || { echo "run_all.sh: no case $name" >&2; exit 2; }
  for key in good_cc bad_cc; do
    cc="$(sed -n "s/^$key = \"\(.*\)\"\$/\1/p" "$here/$name/case.toml" | head -n 1)"
    command -v "$cc" >/dev/null || { echo "run_all.sh: skipped: $name needs $cc" >&2; exit 77; }
  done
done
command -v gcc-12 >/dev/null || { echo "run_all.sh: skipped: the projects link with gcc-12" >&2; exit 77; }

work="$(mktemp -d "${TMPDIR:-/tmp}/verdict-corpus.XXXXXX")"
if [ "${KEEP:-0}" = 1 ]; then
  echo "run_all.sh: projects kept in $work" >&2
else
  trap 'rm -rf "$work"' EXIT
fi

field() {  # field KEY TOML
  sed -n "s/^$1 = \"\(.*\)\"\$/\1/p" "$2" | head -n 1
}

# summarize JSON_FILE CASE CULPRIT_FUNCTION WALL -> "got|confidence|trials|seconds|object|function"
summarize() {
  python3 - "$@" <<'EOF'
import json, sys
path, name, function, wall = sys.argv[1:5]
try:
    with open(path) as f:
        doc = json.load(f)
    if not isinstance(doc, dict):
        raise ValueError("not an object")
except (OSError, ValueError):
    print(f"-|-|-|{float(wall):.1f}|-|-")
    sys.exit(0)
verdict = doc.get("verdict") or {}
got = verdict.get("kind", "-") if isinstance(verdict, dict) else "-"
conf = verdict.get("confidence", "-") if isinstance(verdict, dict) else "-"
trials = doc.get("trials", "-")
seconds = doc.get("seconds")
seconds = f"{float(seconds):.1f}" if isinstance(seconds, (int, float)) else f"{float(wall):.1f}"
objects = doc.get("objects") or []
functions = doc.get("functions") or []
obj = "yes" if f"obj/{name}.o" in objects else ("no" if objects else "-")
fn = "yes" if function in functions else ("no" if functions else "-")
print(f"{got}|{conf}|{trials}|{seconds}|{obj}|{fn}")
EOF
}

header='| case | expected | got | confidence | trials | seconds | culprit object | culprit function | exit |'
rule='| --- | --- | --- | --- | --- | --- | --- | --- | --- |'
rows=()
matched=0
objects_missed=0
total=0
start=$(date +%s)
echo "$header"
echo "$rule"
for name in "${cases[@]}"; do
  toml="$here/$name/case.toml"
  total=$((total + 1))
  expected="$(field expected "$toml")"
  culprit="$(field culprit_function "$toml")"
  p="$work/$name"
  echo "run_all.sh: [$total/${#cases[@]}] $name" >&2
  if ! "$here/make_project.sh" "$here/$name" "$p" >/dev/null; then
    row="| $name | $expected | project not generated | - | - | - | - | - | - |"
    rows+=("$row")
    echo "$row"
    continue
  fi
  t0=$(date +%s.%N)
  (cd "$p" && timeout -k 10 "$limit" "$bin" run --json >"$p/run.json" 2>"$p/run.err")
  rc=$?
  t1=$(date +%s.%N)
  wall=$(python3 -c "print(${t1} - ${t0})")
  IFS='|' read -r got conf trials seconds obj fn <<<"$(summarize "$p/run.json" "$name" "$culprit" "$wall")"
  if [ "$got" = "$expected" ]; then
    matched=$((matched + 1))
  fi
  if [ "$obj" != yes ]; then
    objects_missed=$((objects_missed + 1))
  fi
  if [ "$rc" -ne 0 ] && [ "$got" = "-" ]; then
    # no verdict: say why, from the last line of ccbisect's stderr
    echo "run_all.sh: $name: exit $rc: $(tail -n 1 "$p/run.err")" >&2
  fi
  row="| $name | $expected | $got | $conf | $trials | $seconds | $obj | $fn | $rc |"
  rows+=("$row")
  echo "$row"
done
elapsed=$(($(date +%s) - start))
summary="$matched/$total verdicts match"
echo "$summary"
echo "total wall time: ${elapsed} s" >&2

if [ -n "${OUT:-}" ]; then
  {
    echo "$header"
    echo "$rule"
    printf '%s\n' "${rows[@]}"
    echo
    echo "$summary (ccbisect: $("$bin" --version 2>/dev/null | head -n 1); total wall time ${elapsed} s)"
  } >"$OUT"
fi

if [ "${STRICT:-0}" = 1 ] && [ "$matched" -ne "$total" ]; then
  exit 1
fi
if [ -n "${MIN_MATCH:-}" ] && { [ "$matched" -lt "$MIN_MATCH" ] || [ "$objects_missed" -ne 0 ]; }; then
  echo "run_all.sh: $matched verdicts match (at least $MIN_MATCH expected), $objects_missed culprit objects missed" >&2
  exit 1
fi
exit 0
