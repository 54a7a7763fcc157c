#!/bin/sh
# The link step of every ccbisect trial ([build] link): rerun exactly the Kbuild command of the
# capture, `make CC=ccbisect-cc modules`. Kbuild keeps each object's command line in .X.o.cmd and
# recompiles an object whose command line changed; with the same command line, and the fresh
# mtime ccbisect gives every object it places, it only relinks kcache.ko (kcache.o, modpost,
# kcache.mod.o, the .ko). Linking the objects by hand instead is how the bcache reporter got
# "Exec format error" at insmod: the .ko needs kcache.mod.o and modpost's checks.
#
# Kbuild runs the compiler for its probes (cc-option) on every make, so the wrapper is put back in
# PATH, acting as plain gcc-12 with nothing recorded. If Kbuild compiles an object all the same,
# the trial would not test the mix ccbisect placed: fail, and ccbisect counts it unresolved.
set -eu
cd "$(dirname "$0")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
PATH="$PWD/.ccbisect/bin:$PATH" CCBISECT_WRAP_CC=gcc-12 CCBISECT_WRAP_CXX=g++-12 CCBISECT_WRAP_FLAGS= \
	CCBISECT_WRAP_LOG=/dev/null make CC=ccbisect-cc modules >"$log" 2>&1 || status=$?
cat "$log"
[ "$status" -eq 0 ] || exit "$status"
if grep -E '^ +CC \[M\] ' "$log" >&2; then
	echo "relink.sh: Kbuild recompiled the objects above; this mix is not the one ccbisect placed" >&2
	exit 1
fi
