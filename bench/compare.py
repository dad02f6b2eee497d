#!/usr/bin/env python3
"""compare.py: two or more locklint builds timed against each other, interleaved.

A before/after check of a change that should not cost time.  On a busy
host one run of each build says little, and two runs taken minutes
apart say less; so every round runs clang-19 -fsyntax-only over the
project's TUs and each build cold (empty cache, -j1) and warm (nothing
changed) one after another, the order rotating from round to round, and
the table gives medians over the rounds of CPU time (user + system of the
process and its reaped children, from wait4: the parse workers count),
never wall time.  Ratios are to clang in the same rounds, and of each
build to the first.

  bench/compare.py --bin base=/tmp/base/locklint --bin new=build-rel/locklint \\
      --rounds 5 --project multipathd=/work/corpus/multipath/db/multipathd ...

--project NAME=DIR takes a directory with compile_commands.json (bench.py's
cleaning: one entry per existing .c file).  It is a benchmark, not a test.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (clean_db)
import scale  # noqa: E402  (run, syntax_commands)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def clang_round(commands):
    cpu = 0.0
    for cwd, argv in commands:
        cpu += scale.run(argv, cwd=cwd, stderr_to=subprocess.DEVNULL)[0]
    return cpu


def locklint_round(binary, dbdir, cache):
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(cache + sfx):
            os.unlink(cache + sfx)
    args = [binary, "-q", "--fail-on", "never", "-j1", "--cache", cache, "-p", dbdir]
    cold = scale.run(args)[0]
    warm = scale.run(args)[0]
    return cold, warm


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", action="append", required=True, help="LABEL=LOCKLINT")
    ap.add_argument("--project", action="append", required=True, help="NAME=DIR")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--work", default="/tmp/locklint-compare")
    a = ap.parse_args()
    bins = [tuple(b.split("=", 1)) for b in a.bin]
    bins = [(label, os.path.abspath(path)) for label, path in bins]
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for spec in a.project:
        name, tree = spec.split("=", 1)
        copy = os.path.join(a.work, "db-" + name)
        os.makedirs(copy, exist_ok=True)
        shutil.copy(os.path.join(tree, "compile_commands.json"), copy)
        dbdir, entries = bench.clean_db(copy)
        commands = scale.syntax_commands(entries)
        runs = {"clang": []}
        runs.update({label: [] for label, _ in bins})
        jobs = ["clang"] + [label for label, _ in bins]
        for r in range(a.rounds):
            order = jobs[r % len(jobs):] + jobs[:r % len(jobs)]
            log(f"{name}: round {r + 1}/{a.rounds}: {', '.join(order)}")
            for job in order:
                if job == "clang":
                    runs["clang"].append(clang_round(commands))
                else:
                    path = dict(bins)[job]
                    runs[job].append(locklint_round(path, dbdir,
                                                    os.path.join(a.work, f"{name}-{job}.sqlite")))
        rows.append((name, len(entries), runs))
        log(json.dumps({"project": name, "runs": runs}))
    first = bins[0][0]
    head = "| project | TUs | clang CPU (s) |"
    rule = "|---|---:|---:|"
    for label, _ in bins:
        head += f" {label} cold (s) | {label} cold / clang |"
        rule += "---:|---:|"
    for label, _ in bins:
        head += f" {label} warm (s) |"
        rule += "---:|"
    for label, _ in bins[1:]:
        head += f" {label} / {first} cold | {label} / {first} warm |"
        rule += "---:|---:|"
    out = [head, rule]
    for name, n, runs in rows:
        med = statistics.median
        clang = med(runs["clang"])
        cold = {label: med(c for c, _ in runs[label]) for label, _ in bins}
        warm = {label: med(w for _, w in runs[label]) for label, _ in bins}
        line = f"| {name} | {n} | {clang:.2f} |"
        for label, _ in bins:
            line += f" {cold[label]:.2f} | {cold[label] / clang:.2f}x |"
        for label, _ in bins:
            line += f" {warm[label]:.3f} |"
        for label, _ in bins[1:]:
            line += f" {cold[label] / cold[first]:.2f} | {warm[label] / warm[first]:.2f} |"
        out.append(line)
    print(f"medians of {a.rounds} interleaved rounds, CPU seconds (user + system)\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
