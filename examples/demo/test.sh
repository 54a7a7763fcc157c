#!/bin/bash
# Oracle for the plog demo (used by ccbisect as [oracle] command).
#   exit 0   ./prog produced the expected report and exited 0   (good)
#   exit 1   wrong output or non-zero exit status                (bad)
#   exit 125 ./prog does not exist, nothing to test              (unresolved)
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 125
[[ -x ./prog ]] || exit 125

out=$(./prog data/sample.log 2>/dev/null)
rc=$?
if [[ $rc -ne 0 ]]; then
    echo "test.sh: FAIL (prog exited with status $rc)" >&2
    exit 1
fi
if [[ $out != "$(<data/expected.txt)" ]]; then
    echo "test.sh: FAIL (output differs from data/expected.txt)" >&2
    exit 1
fi
exit 0
