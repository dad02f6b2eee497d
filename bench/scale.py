#!/usr/bin/env python3
"""scale.py: how locklint's cost grows, in CPU time and peak RSS.

Every number is CPU time (user + system, from getrusage of the child, or
the --stats "cpu:" line locklint prints for its own phases), never wall
time: a busy host stretches wall time but not CPU time.  It measures

  generated TUs (bench/gen_tu.py) of 1k, 4k and 16k functions: clang-19
    -fsyntax-only on the file, then locklint --no-cache on it, each phase;
  the SQLite amalgamation (--sqlite FILE): the same, one 244k-line TU;
  git subsets (--git TREE, a tree with compile_commands.json, e.g. from
    `bear -- make`): the first 60, 125, 250 and 501 TUs of its database:
    clang-19 -fsyntax-only over every TU, locklint cold (empty cache, -j1)
    and warm (nothing changed), with their phases;
  any other tree with a compile_commands.json (--project NAME=TREE, e.g.
    one of bench.py's): clang, cold and warm over all of its TUs;

and prints one Markdown table: CPU seconds of clang and of locklint's
phases (parse+facts, whole-program, rules), the ratios cold/clang and
warm/cold, and peak RSS (clang's largest TU, locklint cold).  It is a
benchmark, not a test: it never fails on a number.

usage: bench/scale.py [--bin LOCKLINT] [--work DIR] [--sizes 1000,4000,16000]
                      [--sqlite sqlite3.c] [--git TREE] [--git-sizes 60,125,250,501]
                      [--project NAME=TREE]...
Never commit what it reads or writes: generated files go under --work
(default /tmp/locklint-scale).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402  (clean_db, syntax_script)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def run(argv, cwd=None, stderr_to=None):
    """Runs argv; returns (cpu seconds, peak RSS MiB, stderr text)."""
    p = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE if stderr_to is None else stderr_to)
    err = p.stderr.read().decode(errors="replace") if stderr_to is None else ""
    _, status, ru = os.wait4(p.pid, 0)
    return ru.ru_utime + ru.ru_stime, ru.ru_maxrss / 1024, err


CLANG_SEEN = {}  # one clang run per TU, shared by the subsets


def clang_cpu(commands):
    """clang-19 -fsyntax-only commands (cwd, argv): summed CPU, largest RSS."""
    cpu, rss = 0.0, 0.0
    for cwd, argv in commands:
        key = (cwd, tuple(argv))
        if key not in CLANG_SEEN:
            CLANG_SEEN[key] = run(argv, cwd=cwd, stderr_to=subprocess.DEVNULL)[:2]
        c, r = CLANG_SEEN[key]
        cpu += c
        rss = max(rss, r)
    return cpu, rss


STATS = re.compile(r"cpu: parse\+facts ([0-9.]+)s, whole-program ([0-9.]+)s, rules ([0-9.]+)s")


def locklint(binary, args, cwd=None):
    """One locklint run with --stats: its CPU, RSS and phase CPU times."""
    cpu, rss, err = run([binary, "-q", "--stats", "--fail-on", "never"] + args, cwd=cwd)
    m = STATS.search(err)
    phases = tuple(float(x) for x in m.groups()) if m else (float("nan"),) * 3
    return {"cpu": cpu, "rss": rss, "parse": phases[0], "program": phases[1],
            "rules": phases[2]}


def syntax_commands(entries):
    """clang-19 -fsyntax-only -w commands of database entries (bench.py's way)."""
    tmp = os.path.join(os.environ.get("TMPDIR", "/tmp"), "scale-syntax.sh")
    bench.syntax_script(entries, tmp)
    out = []
    for line in open(tmp):
        cd, cmd = line.rstrip("\n").split(" && ", 1)
        out.append((shlex.split(cd)[1], shlex.split(cmd)))
    os.unlink(tmp)
    return out


def db_subset(dbdir, entries, n, work, name):
    d = os.path.join(work, f"{name}-{n}")
    os.makedirs(d, exist_ok=True)
    json.dump(entries[:n], open(os.path.join(d, "compile_commands.json"), "w"), indent=1)
    return d


def project_row(binary, label, dbdir, entries, work):
    cache = os.path.join(work, f"{label}.cache.sqlite".replace(" ", "_"))
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(cache + sfx):
            os.unlink(cache + sfx)
    log(f"{label}: clang-19 -fsyntax-only over {len(entries)} TUs ...")
    ccpu, crss = clang_cpu(syntax_commands(entries))
    log(f"{label}: locklint cold, warm ...")
    cold = locklint(binary, ["-j1", "--cache", cache, "-p", dbdir])
    warm = locklint(binary, ["-j1", "--cache", cache, "-p", dbdir])
    for sfx in ("", "-wal", "-shm"):
        if os.path.exists(cache + sfx):
            os.unlink(cache + sfx)
    return {"label": label, "clang": ccpu, "crss": crss, "cold": cold, "warm": warm}


def file_row(binary, label, path, args):
    log(f"{label}: clang-19 -fsyntax-only, locklint --no-cache ...")
    ccpu, crss, _ = run(["clang-19", "-fsyntax-only", "-w"] + args + [path],
                        stderr_to=subprocess.DEVNULL)
    cold = locklint(binary, ["--no-cache", path, "--"] + args)
    return {"label": label, "clang": ccpu, "crss": crss, "cold": cold, "warm": None}


def table(rows):
    out = ["| input | clang CPU (s) | locklint cold CPU (s): parse+facts / whole-program / rules"
           " | cold / clang | warm CPU (s): whole-program + rules | warm / cold"
           " | clang largest TU RSS (MiB) | locklint cold RSS (MiB) |",
           "|---|---:|---|---:|---|---:|---:|---:|"]
    for r in rows:
        c, w = r["cold"], r["warm"]
        warm = (f"{w['cpu']:.2f}: {w['program'] + w['rules']:.2f}", f"{w['cpu'] / c['cpu']:.1%}") \
            if w else ("", "")
        out.append(
            f"| {r['label']} | {r['clang']:.2f} | {c['cpu']:.2f}: {c['parse']:.2f} / "
            f"{c['program']:.2f} / {c['rules']:.2f} | {c['cpu'] / r['clang']:.2f}x | "
            f"{warm[0]} | {warm[1]} | {r['crss']:.0f} | {c['rss']:.0f} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "locklint"))
    ap.add_argument("--work", default="/tmp/locklint-scale")
    ap.add_argument("--sizes", default="1000,4000,16000")
    ap.add_argument("--sqlite", help="the SQLite amalgamation, sqlite3.c")
    ap.add_argument("--git", help="a git source tree with compile_commands.json")
    ap.add_argument("--git-sizes", default="60,125,250,501")
    ap.add_argument("--project", action="append", default=[], help="NAME=TREE")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        log(f"scale: no locklint binary at {binary} (run scripts/build, or give --bin)")
        return 0
    os.makedirs(a.work, exist_ok=True)
    rows = []
    for n in [int(x) for x in a.sizes.split(",") if x]:
        path = os.path.join(a.work, f"gen{n}.c")
        subprocess.run([sys.executable, os.path.join(HERE, "gen_tu.py"), str(n), path],
                       check=True)
        rows.append(file_row(binary, f"generated, {n} functions", path, []))
        print(table(rows[-1:]), flush=True)
    if a.sqlite:
        rows.append(file_row(binary, "SQLite amalgamation", os.path.abspath(a.sqlite),
                             ["-DSQLITE_THREADSAFE=1"]))
        print(table(rows[-1:]), flush=True)
    trees = [tuple(p.split("=", 1)) for p in a.project]
    trees += [("git", os.path.abspath(a.git))] if a.git else []
    for name, tree in trees:
        if not os.path.exists(os.path.join(tree, "compile_commands.json")):
            log(f"skip {name}: no compile_commands.json in {tree}")
            continue
        # a copy of the database: nothing is written into the tree
        copy = os.path.join(a.work, "db-" + name)
        os.makedirs(copy, exist_ok=True)
        shutil.copy(os.path.join(tree, "compile_commands.json"), copy)
        dbdir, entries = bench.clean_db(copy)
        sizes = [int(x) for x in a.git_sizes.split(",")] if name == "git" else [len(entries)]
        for n in sizes:
            n = min(n, len(entries))
            d = db_subset(dbdir, entries, n, a.work, name)
            rows.append(project_row(binary, f"{name}, {n} TUs", d, entries[:n], a.work))
            print(table(rows[-1:]), flush=True)
    print("\n" + table(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
