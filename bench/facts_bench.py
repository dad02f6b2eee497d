#!/usr/bin/env python3
"""facts_bench.py: the build-integration mode measured (README "Measured").

1. Facts per TU.  For every TU of the bench corpora (bench.py's memcached,
   libuv1, libzstd and redis, fetched and built by bench.py's own code) and
   of the compile databases under --corpus (default /work/corpus, one per
   program: NAME/db/PROGRAM/compile_commands.json), the facts are written
   the way CMAKE_C_CLANG_TIDY does it: `locklint
   --extra-arg-before=--driver-mode=gcc FILE -- COMMAND -o OBJ -c FILE`,
   with the object redirected into a scratch directory.  Printed: TUs,
   facts bytes in total and per TU (median, mean, max), and whether
   `locklint link` over them prints the JSON a direct run prints.

2. The link at scale.  The facts of the program with the most facts bytes
   are replicated to about --tus TUs (default 30000) and linked; printed:
   the link's wall time and peak RSS (GNU time's %M), and locklint's own
   split (--stats: reading, whole-program phases, rules), for a few
   replication factors up to the target.

   Replication is honest about names: copy K of a facts file has every
   USR (every string of its string table that starts with "c:": functions,
   callees, globals, function references) suffixed with "#K", and every
   absolute path (main file, included files, dependencies) prefixed with
   "/copyK".  So each copy is a separate program: its functions, statics
   and globals are its own, its calls resolve within it, its findings are
   at its own paths.  Struct and union types are measured both ways:
   "shared" keeps the lock and data classes named after them ("struct
   client.flags") common to all copies, as in one program that uses one
   type everywhere (the pessimistic case: every access of every copy to a
   field meets every other in the race analysis); "per copy" renames them
   ("struct K7_client.flags"), as in a program made of many subsystems
   with types of their own.  Every copy's thread start
   routines are thread roots; each copy's main() is a program of its own
   (locklint analyses each main() over the TUs it reaches).  The string table is the only part rewritten: a facts
   blob stores each string once and refers to it by index (ir_blob.c), so
   nothing else changes and the copies decode as any facts file does.

It is a benchmark, not a test: it never fails on a number, and skips what
it cannot fetch or build.

usage: bench/facts_bench.py [--bin LOCKLINT] [--work DIR] [--corpus DIR]
                            [--tus N] [--steps N,N,...] [--only A,B]
                            [--types 'per copy,shared']
"""
import argparse
import glob
import json
import os
import shlex
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bench  # noqa: E402  (fetch() and clean_db() of the bench corpora)

ENVELOPE = 8 + 4 + 8  # facts_file.h: magic, file version, config hash
BLOB_HEADER = 8 + 4   # ir_blob.c: magic, facts version


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def tidy_facts(binary, entries, out_dir):
    """Writes one facts file per entry with the clang-tidy form; returns
    [(source, facts path)] of those written."""
    os.makedirs(out_dir, exist_ok=True)
    done = []
    for i, e in enumerate(entries):
        args = list(e["arguments"])
        # the object goes to the scratch directory; everything else as built
        out, k = [], 0
        while k < len(args):
            a = args[k]
            if a == "-o" and k + 1 < len(args):
                k += 2
                continue
            if a.startswith("-o") and len(a) > 2:
                k += 1
                continue
            out.append(a)
            k += 1
        obj = os.path.join(out_dir, f"{i:05d}-{os.path.basename(e['file'])}.o")
        if "-c" not in out:
            out.append("-c")
        cmd = [binary, "--extra-arg-before=--driver-mode=gcc", e["file"], "--"] + out + ["-o", obj]
        subprocess.run(cmd, cwd=e["directory"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        if os.path.exists(obj + ".llfacts"):
            done.append((e["file"], obj + ".llfacts"))
    return done


def direct_equals_link(binary, db_dir, facts_dir, scratch):
    a, b = os.path.join(scratch, "direct.json"), os.path.join(scratch, "link.json")
    subprocess.run([binary, "-q", "--no-cache", "-j2", "--format", "json", "-o", a, "-p", db_dir],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subprocess.run([binary, "link", "-q", "-j2", "--format", "json", "-o", b, facts_dir],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        return open(a, "rb").read() == open(b, "rb").read()
    except OSError:
        return None


def corpus_dbs(corpus, only):
    out = []
    for db in sorted(glob.glob(os.path.join(corpus, "*", "db", "*", "compile_commands.json"))):
        parts = db.split(os.sep)
        name = f"{parts[-4]}/{parts[-2]}"
        if only and parts[-4] not in only and name not in only:
            continue
        out.append((name, os.path.dirname(db)))
    return out


def bench_dbs(work, only):
    out = []
    for name in bench.PROJECTS:
        if only and name not in only:
            continue
        tree = bench.fetch(name, work)
        if not tree:
            continue
        d, _ = bench.clean_db(tree)
        out.append((name, d))
    return out


def load_entries(db_dir):
    entries = []
    for e in json.load(open(os.path.join(db_dir, "compile_commands.json"))):
        args = e.get("arguments") or shlex.split(e.get("command", ""))
        f = e["file"] if os.path.isabs(e["file"]) else os.path.join(e["directory"], e["file"])
        entries.append({"directory": e["directory"], "file": os.path.normpath(f),
                        "arguments": args})
    return entries


# ---- replication ---------------------------------------------------------

def varint(buf, pos):
    v, shift = 0, 0
    while True:
        b = buf[pos]
        pos += 1
        v |= (b & 0x7F) << shift
        if not b & 0x80:
            return v, pos
        shift += 7


def put_varint(v):
    out = bytearray()
    while True:
        c = v & 0x7F
        v >>= 7
        out.append(c | (0x80 if v else 0))
        if not v:
            return bytes(out)


def split_strings(data):
    """(prefix, strings, rest) of a facts file: the headers, the string
    table, and the body after it."""
    pos = ENVELOPE + BLOB_HEADER
    n, pos = varint(data, pos)
    strs = []
    for _ in range(n):
        ln, pos = varint(data, pos)
        strs.append(bytes(data[pos:pos + ln]))
        pos += ln
    return data[:ENVELOPE + BLOB_HEADER], strs, data[pos:]


def rename(s, k, types):
    if s.startswith(b"c:"):
        return s + b"#%d" % k
    if s.startswith(b"/"):
        return b"/copy%d" % k + s
    if types == "per copy":
        s = s.replace(b"struct ", b"struct K%d_" % k).replace(b"union ", b"union K%d_" % k)
    return s


def replicate(files, copies, out_dir, types):
    os.makedirs(out_dir, exist_ok=True)
    parsed = [split_strings(open(f, "rb").read()) for f in files]
    n = 0
    for k in range(copies):
        for i, (head, strs, rest) in enumerate(parsed):
            table = bytearray(put_varint(len(strs)))
            for s in (strs if k == 0 else [rename(s, k, types) for s in strs]):
                table += put_varint(len(s)) + s
            with open(os.path.join(out_dir, f"c{k:04d}-{i:05d}.o.llfacts"), "wb") as fp:
                fp.write(head + table + rest)
            n += 1
    return n


def timed_link(binary, facts_dir, scratch):
    tf = os.path.join(scratch, "time.txt")
    err = os.path.join(scratch, "link.err")
    t0 = time.monotonic()
    with open(err, "w") as e:
        subprocess.run(["/usr/bin/time", "-o", tf, "-f", "%M", binary, "link", "--stats", "-j2",
                        "--format", "json", "-o", os.path.join(scratch, "big.json"), facts_dir],
                       stdout=subprocess.DEVNULL, stderr=e)
    wall = time.monotonic() - t0
    rss = [l for l in open(tf).read().split("\n") if l.strip().isdigit()]
    stats = [l for l in open(err).read().split("\n") if "stats: link" in l]
    findings = None
    try:
        findings = json.load(open(os.path.join(scratch, "big.json")))["summary"]["total"]
    except (OSError, ValueError, KeyError):
        pass
    return wall, int(rss[-1]) / 1024 if rss else float("nan"), stats[0] if stats else "", findings


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bin", default=os.path.join(bench.ROOT, "build", "locklint"))
    ap.add_argument("--work", default="/tmp/locklint-bench")
    ap.add_argument("--corpus", default="/work/corpus")
    ap.add_argument("--tus", type=int, default=30000)
    ap.add_argument("--steps", default="1,10,50",
                    help="replication factors measured before the one that reaches --tus")
    ap.add_argument("--only", default="", help="comma-separated projects or corpus programs")
    ap.add_argument("--types", default="per copy,shared",
                    help="struct types of the copies: 'per copy', 'shared' or both")
    a = ap.parse_args()
    binary = os.path.abspath(a.bin)
    only = set(x for x in a.only.split(",") if x)
    scratch = os.path.join(a.work, "facts")
    shutil.rmtree(scratch, ignore_errors=True)
    os.makedirs(scratch)

    dbs = bench_dbs(a.work, only) + corpus_dbs(a.corpus, only)
    rows, largest = [], None
    for name, db_dir in dbs:
        entries = load_entries(db_dir)
        fdir = os.path.join(scratch, name.replace("/", "_"))
        log(f"{name}: {len(entries)} TUs ...")
        done = tidy_facts(binary, entries, fdir)
        if not done:
            log(f"skip {name}: no facts written")
            continue
        sizes = [os.path.getsize(f) for _, f in done]
        same = direct_equals_link(binary, db_dir, fdir, scratch)
        rows.append((name, len(entries), len(done), sum(sizes), statistics.median(sizes),
                     sum(sizes) / len(sizes), max(sizes), same))
        if largest is None or sum(sizes) > largest[1]:
            largest = (name, sum(sizes), [f for _, f in done])

    print("### Facts per TU (clang-tidy form)\n")
    print("| program | TUs | facts written | total (KiB) | median per TU (KiB) | mean (KiB) "
          "| max (KiB) | link = direct run |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for name, n, w, tot, med, mean, mx, same in rows:
        print(f"| {name} | {n} | {w} | {tot / 1024:.0f} | {med / 1024:.1f} | {mean / 1024:.1f} "
              f"| {mx / 1024:.0f} | {'yes' if same else 'no' if same is False else '?'} |")
    if not largest:
        return
    name, total, files = largest
    target = max(1, round(a.tus / len(files)))
    steps = sorted(set([int(x) for x in a.steps.split(",") if x] + [target]))
    print(f"\n### `locklint link` on replicated facts of {name} "
          f"({len(files)} TUs, {total / 1024 / 1024:.1f} MiB of facts)\n")
    print("| struct types | copies | TUs | facts (MiB) | wall (s) | peak RSS (MiB) | findings "
          "| locklint --stats |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for types in a.types.split(","):
        for copies in steps:
            if copies > target:
                continue
            rdir = os.path.join(scratch, "replicated")
            shutil.rmtree(rdir, ignore_errors=True)
            n = replicate(files, copies, rdir, types)
            mib = sum(os.path.getsize(os.path.join(rdir, f))
                      for f in os.listdir(rdir)) / 1024 / 1024
            log(f"link of {n} TUs, struct types {types} ...")
            wall, rss, stats, findings = timed_link(binary, rdir, scratch)
            stats = stats.replace("locklint: stats: link: ", "")
            print(f"| {types} | {copies} | {n} | {mib:.0f} | {wall:.1f} | {rss:.0f} | {findings} "
                  f"| {stats} |", flush=True)
    shutil.rmtree(os.path.join(scratch, "replicated"), ignore_errors=True)


if __name__ == "__main__":
    main()
