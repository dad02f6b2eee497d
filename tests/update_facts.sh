#!/usr/bin/env bash
# update_facts.sh [BINARY]: rewrites the golden fixtures/facts/*.facts from
# the lowering of the current code (BINARY, default build-test/locklint,
# built first).  Read `git diff fixtures/facts` afterwards: every changed
# line is a change of the lowering, and belongs in the same commit as the
# change that caused it.
set -eu
cd "$(dirname -- "$0")/.."
bin=${1:-build-test/locklint}
if (($# == 0)); then
    [[ -d build-test ]] || cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug \
        -DLOCKLINT_WERROR=ON -DLOCKLINT_SANITIZE=ON >/dev/null
    cmake --build build-test -j2 --target locklint >/dev/null
fi
exec bash tests/run_facts.sh --update "$bin" fixtures/facts
