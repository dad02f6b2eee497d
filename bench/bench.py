#!/usr/bin/env python3
"""bench.py: locklint against clang-19 -fsyntax-only on real projects.

Fetches Debian source packages with ../shared/tools/debsrc (or $DEBSRC),
builds each one's compile_commands.json with clang-19 (bear, cmake or the
project's own make), then times, as medians of --runs runs:

  clang-19 -fsyntax-only over every TU at -j1 and -j2 (xargs -P),
  locklint cold (empty cache) at -j1 and -j2,
  locklint warm with nothing changed,
  locklint warm after editing one .c file (the largest TU) and after
  editing one widely included header (the project header named in the
  most #include lines), each edit undone afterwards with the file's old
  mtime, so the next run finds the cache as it was,
  locklint --no-cache on the edited .c file alone (its parse),

with the peak RSS of each (GNU time's %M: the largest single process),
and prints one Markdown table per project with the ratios the README
quotes.  It is a benchmark, not a test: it never fails on a time.  It
skips, with a message, what it cannot fetch or build.

usage: bench/bench.py [--runs N] [--work DIR] [--bin LOCKLINT] [PROJECT...]
       PROJECT: memcached libuv1 libzstd redis (default: all four)
Never commit what it downloads: everything goes under --work
(default /tmp/locklint-bench).
"""
import argparse
import json
import os
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

# name -> how to build compile_commands.json inside the unpacked tree
PROJECTS = {
    "memcached": "./configure CC=clang-19 && bear -- make -j2",
    "libuv1": "cmake -S . -B build -DCMAKE_C_COMPILER=clang-19 "
              "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON -DLIBUV_BUILD_TESTS=OFF "
              "&& cp build/compile_commands.json .",
    "libzstd": "bear -- make -j2 CC=clang-19 -C lib libzstd.a",
    "redis": "bear -- make -j2 CC=clang-19 MALLOC=libc BUILD_TLS=no USE_SYSTEMD=no",
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sh(cmd, cwd=None, quiet=True):
    r = subprocess.run(cmd, shell=True, cwd=cwd,
                       stdout=subprocess.DEVNULL if quiet else None,
                       stderr=subprocess.DEVNULL if quiet else None)
    return r.returncode


def timed(argv, cwd):
    """Runs argv under GNU time; returns (seconds, peak RSS in MiB)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tf:
        t0 = time.monotonic()
        subprocess.run(["/usr/bin/time", "-o", tf.name, "-f", "%M"] + argv, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        dt = time.monotonic() - t0
        lines = [l for l in tf.read().split("\n") if l.strip().isdigit()]
        rss = int(lines[-1]) / 1024 if lines else float("nan")
    return dt, rss


def median_run(argv, cwd, runs, before=None, after=None):
    ts, rs = [], []
    for _ in range(runs):
        if before:
            before()
        t, r = timed(argv, cwd)
        if after:
            after()
        ts.append(t)
        rs.append(r)
    return statistics.median(ts), max(rs)


def fetch(name, work):
    src = os.path.join(work, "src")
    os.makedirs(src, exist_ok=True)
    pkg = "redis" if name == "redis" else name
    trees = [d for d in os.listdir(src)
             if d.startswith(pkg + "-") and os.path.isdir(os.path.join(src, d))]
    if not trees:
        debsrc = os.environ.get("DEBSRC", os.path.join(ROOT, "..", "shared", "tools", "debsrc"))
        if not os.access(debsrc, os.X_OK):
            log(f"skip {name}: no debsrc tool at {debsrc}")
            return None
        log(f"fetching {pkg} ...")
        if sh(f"{shlex.quote(debsrc)} {pkg}", cwd=src) != 0:
            log(f"skip {name}: debsrc could not fetch it")
            return None
        trees = [d for d in os.listdir(src)
                 if d.startswith(pkg + "-") and os.path.isdir(os.path.join(src, d))]
    if not trees:
        log(f"skip {name}: nothing unpacked")
        return None
    tree = os.path.realpath(os.path.join(src, sorted(trees)[-1]))
    db = os.path.join(tree, "compile_commands.json")
    if not os.path.exists(db):
        log(f"building {name}'s compile_commands.json ...")
        sh(PROJECTS[name], cwd=tree)
    if not os.path.exists(db):
        log(f"skip {name}: could not build compile_commands.json (needs bear, cmake, "
            f"make and the project's build dependencies: {PROJECTS[name]})")
        return None
    return tree


def clean_db(tree):
    """Keeps one compiler entry per existing .c file (bear also records
    clang's -cc1 and dependency-only runs); rewrites the database as
    compile_commands.json in a bench/ directory and returns its entries."""
    entries = json.load(open(os.path.join(tree, "compile_commands.json")))
    seen, out = set(), []
    for e in entries:
        args = e.get("arguments") or shlex.split(e.get("command", ""))
        f = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
        f = os.path.normpath(f)
        if (not f.endswith(".c") or not os.path.exists(f) or f in seen or "-cc1" in args
                or "-E" in args or "-M" in args or "-MM" in args):
            continue
        seen.add(f)
        out.append({"directory": e["directory"], "file": f, "arguments": args})
    d = os.path.join(tree, "bench-db")
    os.makedirs(d, exist_ok=True)
    json.dump(out, open(os.path.join(d, "compile_commands.json"), "w"), indent=1)
    return d, out


def syntax_script(entries, path):
    """A shell script of clang-19 -fsyntax-only commands, one per line."""
    with open(path, "w") as f:
        for e in entries:
            args, keep, skip = e["arguments"][1:], [], False
            for i, a in enumerate(args):
                if skip:
                    skip = False
                    continue
                if a in ("-o", "-MF", "-MT", "-MQ"):
                    skip = True
                    continue
                if a in ("-c", "-MD", "-MMD", "-MP") or a == e["file"] or \
                        os.path.normpath(os.path.join(e["directory"], a)) == e["file"]:
                    continue
                keep.append(a)
            f.write("cd %s && clang-19 -fsyntax-only -w %s %s\n" % (
                shlex.quote(e["directory"]), " ".join(map(shlex.quote, keep)),
                shlex.quote(e["file"])))


def widest_header(tree, entries):
    counts = {}
    for e in entries:
        try:
            text = open(e["file"], errors="replace").read()
        except OSError:
            continue
        for m in re.finditer(r'#\s*include\s*"([^"]+)"', text):
            counts[os.path.basename(m.group(1))] = counts.get(os.path.basename(m.group(1)), 0) + 1
    paths = {}
    for dp, _, fs in os.walk(tree):
        if "/debian" in dp or "/bench-db" in dp:
            continue
        for f in fs:
            if f.endswith(".h"):
                paths.setdefault(f, []).append(os.path.join(dp, f))
    for name, _ in sorted(counts.items(), key=lambda kv: -kv[1]):
        if len(paths.get(name, [])) == 1:
            return paths[name][0], counts[name]
    return None, 0


class Edit:
    """Appends a comment to a file and undoes it, old mtime included."""

    def __init__(self, path):
        self.path = path
        self.backup = path + ".bench-orig"
        shutil.copy2(path, self.backup)
        self.n = 0

    def apply(self):
        self.n += 1
        with open(self.path, "a") as f:
            f.write(f"\n/* locklint bench edit {self.n} */\n")

    def undo(self):
        shutil.copy2(self.backup, self.path)

    def close(self):
        self.undo()
        os.unlink(self.backup)


def bench(name, work, binary, runs):
    tree = fetch(name, work)
    if not tree:
        return None
    dbdir, entries = clean_db(tree)
    if not entries:
        log(f"skip {name}: no C translation units")
        return None
    lines = sum(sum(1 for _ in open(e["file"], errors="replace")) for e in entries)
    script = os.path.join(work, f"{name}.syntax.sh")
    syntax_script(entries, script)
    cache = os.path.join(work, f"{name}.cache.sqlite")
    ll = [binary, "-q", "--fail-on", "never", "--cache", cache, "-p", dbdir]

    def rm_cache():
        for sfx in ("", "-wal", "-shm"):
            if os.path.exists(cache + sfx):
                os.unlink(cache + sfx)

    r = {"name": name, "tus": len(entries), "lines": lines}
    log(f"{name}: {len(entries)} TUs, {lines} lines; clang-19 -fsyntax-only ...")
    for j in (1, 2):
        r[f"clang{j}"] = median_run(
            ["sh", "-c", f"xargs -P{j} -d '\\n' -n1 sh -c < {shlex.quote(script)}"], tree, runs)
    log(f"{name}: locklint cold ...")
    for j in (1, 2):
        r[f"cold{j}"] = median_run(ll + [f"-j{j}"], tree, runs, before=rm_cache)
    # Prime the cache with files older than the racy margin.
    time.sleep(1.2)
    subprocess.run(ll + ["-j2"], cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    log(f"{name}: locklint warm ...")
    r["warm"] = median_run(ll + ["-j2"], tree, runs)
    big = max(entries, key=lambda e: os.path.getsize(e["file"]))["file"]
    hdr, nincl = widest_header(tree, entries)
    r["cfile"] = os.path.relpath(big, tree)
    ed = Edit(big)
    try:
        r["touch_c"] = median_run(ll + ["-j2"], tree, runs, before=ed.apply, after=ed.undo)
    finally:
        ed.close()
    r["one_tu"] = median_run([binary, "-q", "--fail-on", "never", "--no-cache", "-j1", "-p",
                              dbdir, big], tree, runs)
    if hdr:
        r["hfile"] = os.path.relpath(hdr, tree)
        r["hincl"] = nincl
        ed = Edit(hdr)
        try:
            r["touch_h"] = median_run(ll + ["-j2"], tree, runs, before=ed.apply, after=ed.undo)
        finally:
            ed.close()
    rm_cache()
    return r


def table(r):
    c1, c2 = r["clang1"][0], r["clang2"][0]
    l1, l2 = r["cold1"][0], r["cold2"][0]
    rows = [
        ("clang-19 -fsyntax-only -j1", r["clang1"], ""),
        ("clang-19 -fsyntax-only -j2", r["clang2"], f"-j2 speed-up {c1 / c2:.2f}x"),
        ("locklint cold -j1", r["cold1"], f"{l1 / c1:.2f}x clang -j1 (target <= 1.3)"),
        ("locklint cold -j2", r["cold2"],
         f"{l2 / c2:.2f}x clang -j2 (target <= 1.3); -j2 speed-up {l1 / l2:.2f}x (target >= 1.7)"),
        ("locklint warm, nothing changed", r["warm"],
         f"{100 * r['warm'][0] / l2:.1f}% of cold -j2 (target <= 5%)"),
        (f"locklint warm, `{r['cfile']}` edited", r["touch_c"],
         f"{100 * (r['touch_c'][0] - r['one_tu'][0]) / l2:.1f}% of cold -j2 "
         f"beyond that file's parse (target <= 5%)"),
        (f"locklint --no-cache on `{r['cfile']}` alone", r["one_tu"], "that file's parse"),
    ]
    if "touch_h" in r:
        rows.append((f"locklint warm, `{r['hfile']}` edited ({r['hincl']} #includes)",
                     r["touch_h"], f"{100 * r['touch_h'][0] / l2:.1f}% of cold -j2"))
    out = [f"### {r['name']}: {r['tus']} TUs, {r['lines']} lines", "",
           "| run | time (s) | peak RSS (MiB) | ratio |", "|---|---:|---:|---|"]
    for label, (t, rss), ratio in rows:
        out.append(f"| {label} | {t:.2f} | {rss:.0f} | {ratio} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/locklint-bench")
    ap.add_argument("--bin", default=os.path.join(ROOT, "build", "locklint"))
    ap.add_argument("projects", nargs="*", default=list(PROJECTS))
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    if not os.access(binary, os.X_OK):
        log(f"bench: no locklint binary at {binary} (run scripts/build, or give --bin)")
        return 0
    for tool in ("clang-19", "/usr/bin/time"):
        if not shutil.which(tool):
            log(f"bench: {tool} is missing; skipping the benchmark")
            return 0
    os.makedirs(a.work, exist_ok=True)
    print(f"locklint benchmark: {os.cpu_count()} cores, medians of {a.runs} runs\n")
    for name in a.projects:
        if name not in PROJECTS:
            log(f"skip {name}: unknown project (known: {' '.join(PROJECTS)})")
            continue
        r = bench(name, a.work, binary, a.runs)
        if r:
            print(table(r), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
