#!/usr/bin/env python3
"""findings.py: the one reader of locklint's text findings for every test script.

A finding is a stdout line of `locklint --format text`:

    FILE:LINE:COL: SEVERITY: MESSAGE [RULE]

(SEVERITY is error, warning or remark, the text's word for a note).  Note lines without a `[rule]` tag
belong to the finding above them and are not findings.

Expectations are written in the sources, anywhere on a line, several per
line allowed (the way clang's -verify does it):

    expect: RULE               a RULE finding is reported on this line
    expect: RULE 'text'        ... and its message contains `text`
    expect-note: RULE ['text'] ... and it is a note (a demoted finding)
    expect-warning: RULE [...] ... and it is a warning (or an error)
    expect-no-findings         (once per file set) nothing is reported

Commands (OUT is a file holding locklint's stdout):

  expect [-C DIR] [--summary] OUT SRC...
      Exact match of the findings in OUT against the expectations in the
      SRC files (read from DIR, named in findings as given here, `./`
      stripped): each expectation needs its own finding (same file, line
      and rule, message containing the text) and every finding needs an
      expectation.  Prints one line per problem (`missing: ...`,
      `unexpected: ...`, `fixture: ...`); with --summary a last line
      `findings N W` (N findings, W of them warnings or errors).
      Exit 0 when they match, 1 when not.
  has OUT [--at FILE:LINE] [--rule R] [--severity S] [--message TEXT]
      Exit 0 when some finding has all the given properties, else 1.
      --at matches a finding in FILE or in any path ending in /FILE.
  count OUT [--at ...] [--rule R] [--severity S] [--message TEXT]
            [--under PREFIX] [--not-under PREFIX]
      Prints how many findings have all the given properties.
  list OUT
      Prints the findings, one a line, as FILE:LINE: SEVERITY [RULE] MESSAGE.

Exit status 2: bad usage or an unreadable file.
"""

import os
import re
import sys

FINDING = re.compile(
    r"^(?P<file>.+?):(?P<line>[0-9]+):(?P<col>[0-9]+): "
    r"(?P<sev>warning|error|remark|note): (?P<msg>.*) \[(?P<rule>[a-z0-9][a-z0-9-]*)\]$"
)
EXPECT = re.compile(
    r"expect(?:-(?P<sev>note|warning))?:[ \t]*(?P<rule>[a-z0-9][a-z0-9-]*)"
    r"(?:[ \t]*'(?P<text>[^']*)')?"
)


class Finding:
    def __init__(self, m, text):
        f = m.group("file")
        self.file = f[2:] if f.startswith("./") else f
        self.line = int(m.group("line"))
        # a finding of severity note is printed as `remark:` (clang's word)
        self.sev = "note" if m.group("sev") == "remark" else m.group("sev")
        self.msg = m.group("msg")
        self.rule = m.group("rule")
        self.text = text


def read_findings(path):
    out = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            text = raw.rstrip("\n")
            m = FINDING.match(text)
            if m:
                out.append(Finding(m, text))
    return out


def read_expectations(root, names):
    """[(file, line, rule, text or None, severity or None)], and whether any
    file says expect-no-findings."""
    exps, nofind = [], False
    for name in names:
        shown = name[2:] if name.startswith("./") else name
        with open(os.path.join(root, name), encoding="utf-8", errors="replace") as fh:
            for lineno, line in enumerate(fh, 1):
                if "expect-no-findings" in line:
                    nofind = True
                for m in EXPECT.finditer(line):
                    exps.append((shown, lineno, m.group("rule"), m.group("text"), m.group("sev")))
    return exps, nofind


def match(exps, finds):
    """Each expectation gets a distinct finding (Kuhn's augmenting paths).
    Returns owner: finding index -> expectation index or None, and the
    list of unmatched expectation indices."""

    def candidate(i, j):
        f, line, rule, text, sev = exps[i]
        a = finds[j]
        if sev == "note" and a.sev != "note" or sev == "warning" and a.sev == "note":
            return False
        return a.file == f and a.line == line and a.rule == rule and (text is None or text in a.msg)

    cands = [[j for j in range(len(finds)) if candidate(i, j)] for i in range(len(exps))]
    owner = [None] * len(finds)

    def assign(i, seen):
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if owner[j] is None or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    missing = [i for i in range(len(exps)) if not assign(i, set())]
    return owner, missing


def cmd_expect(args):
    root, summary = ".", False
    while args and args[0].startswith("-"):
        if args[0] == "-C" and len(args) > 1:
            root, args = args[1], args[2:]
        elif args[0] == "--summary":
            summary, args = True, args[1:]
        else:
            return usage()
    if len(args) < 2:
        return usage()
    finds = read_findings(args[0])
    exps, nofind = read_expectations(root, args[1:])
    problems = []
    if nofind and exps:
        problems.append("fixture: both expect-no-findings and expect: lines")
    if not nofind and not exps:
        problems.append("fixture: no expectations (add expect: RULE lines or expect-no-findings)")
    owner, missing = match(exps, finds)
    for i in missing:
        f, line, rule, text, sev = exps[i]
        m = "missing:    %s:%d: [%s]" % (f, line, rule)
        if sev is not None:
            m += " as a " + sev
        if text is not None:
            m += " containing '%s'" % text
        problems.append(m)
    for j, a in enumerate(finds):
        if owner[j] is None:
            problems.append("unexpected: " + a.text)
    for p in problems:
        print(p)
    if summary:
        nwarn = sum(1 for a in finds if a.sev in ("warning", "error"))
        print("findings %d %d" % (len(finds), nwarn))
    return 1 if problems else 0


def select(args):
    """Parses OUT and the filter options; returns the findings that pass."""
    if not args or args[0].startswith("-"):
        raise SystemExit(usage())
    finds = read_findings(args[0])
    args = args[1:]
    keep = []
    while args:
        if len(args) < 2:
            raise SystemExit(usage())
        opt, val, args = args[0], args[1], args[2:]
        if opt == "--at":
            f, _, line = val.rpartition(":")
            if not f or not line.isdigit():
                raise SystemExit(usage())
            keep.append(
                lambda a, f=f, line=int(line): a.line == line
                and (a.file == f or a.file.endswith("/" + f))
            )
        elif opt == "--rule":
            keep.append(lambda a, v=val: a.rule == v)
        elif opt == "--severity":
            keep.append(lambda a, v=val: a.sev == v)
        elif opt == "--message":
            keep.append(lambda a, v=val: v in a.msg)
        elif opt == "--under":
            keep.append(lambda a, v=val: a.file.startswith(v))
        elif opt == "--not-under":
            keep.append(lambda a, v=val: not a.file.startswith(v))
        else:
            raise SystemExit(usage())
    return [a for a in finds if all(k(a) for k in keep)]


def usage():
    sys.stderr.write(__doc__)
    return 2


def main(argv):
    if not argv:
        return usage()
    cmd, args = argv[0], argv[1:]
    try:
        if cmd == "expect":
            return cmd_expect(args)
        if cmd == "has":
            return 0 if select(args) else 1
        if cmd == "count":
            print(len(select(args)))
            return 0
        if cmd == "list" and len(args) == 1:
            for a in read_findings(args[0]):
                print("%s:%d: %s [%s] %s" % (a.file, a.line, a.sev, a.rule, a.msg))
            return 0
    except OSError as e:
        sys.stderr.write("findings.py: %s\n" % e)
        return 2
    return usage()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
