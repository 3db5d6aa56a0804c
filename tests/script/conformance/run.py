#!/usr/bin/python3
"""Differential conformance runner for the edgeflow script VM.

Runs every program in this folder under Debian's CPython (/usr/bin/python3,
PYTHONHASHSEED=0, the reference) and under `EDGEFLOW_BINARY script run`, and
compares stdout byte for byte, the exit code, and, for a non-zero exit, the
last line of stderr (the `TypeName: message` line of a traceback).

usage: run.py EDGEFLOW_BINARY [--pyc] [--jobs N] [--filter SUBSTR]
              [--list-failures FILE] [FILES...]
"""

import argparse
import concurrent.futures
import difflib
import os
import signal
import subprocess
import sys
import tempfile

REFERENCE = "/usr/bin/python3"
TIMEOUT_S = 20
DIFF_LINES = 15
HERE = os.path.dirname(os.path.abspath(__file__))


class Outcome:
    """What one process did: its stdout, exit code and last stderr line."""

    def __init__(self, stdout=b"", rc=None, last_err="", note=""):
        self.stdout = stdout
        self.rc = rc
        self.last_err = last_err
        self.note = note  # set when the process could not run or timed out


def last_line(data):
    lines = [l for l in data.decode("utf-8", "replace").splitlines() if l.strip()]
    return lines[-1].strip() if lines else ""


def run_process(argv, cwd, env):
    # Own session so a timeout kills the whole process group, not just the direct child.
    try:
        p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             start_new_session=True)
    except OSError as e:
        return Outcome(b"", None, "", "cannot run %s: %s" % (argv[0], e))
    try:
        out, err = p.communicate(timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
        out, _ = p.communicate()
        return Outcome(out, None, "", "timeout after %d s" % TIMEOUT_S)
    return Outcome(out, p.returncode, last_line(err))


def child_env():
    env = dict(os.environ)
    env["PYTHONHASHSEED"] = "0"
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("PYTHONSTARTUP", None)
    return env


def run_edgeflow(binary, prog, use_pyc, env):
    cwd = os.path.dirname(prog)
    if not use_pyc:
        return run_process([binary, "script", "run", prog], cwd, env)
    with tempfile.TemporaryDirectory(prefix="efconf-") as tmp:
        pyc = os.path.join(tmp, os.path.splitext(os.path.basename(prog))[0] + ".pyc")
        comp = run_process([binary, "script", "compile", prog, "-o", pyc], cwd, env)
        if comp.note or comp.rc != 0:
            comp.note = comp.note or "compile failed (exit %s): %s" % (comp.rc, comp.last_err)
            return comp
        return run_process([binary, "script", "run", pyc], cwd, env)


def short_diff(want, got, want_name, got_name):
    a = want.decode("utf-8", "replace").splitlines(keepends=True)
    b = got.decode("utf-8", "replace").splitlines(keepends=True)
    lines = list(difflib.unified_diff(a, b, want_name, got_name, n=1))
    out = [l if l.endswith("\n") else l + "\n\\ no newline\n" for l in lines[:DIFF_LINES]]
    if len(lines) > DIFF_LINES:
        out.append("... %d more diff lines\n" % (len(lines) - DIFF_LINES))
    return "".join("    " + l for l in "".join(out).splitlines(keepends=True))


def check(prog, binary, use_pyc):
    """Returns None when edgeflow agrees with CPython, else a failure report."""
    env = child_env()
    ref = run_process([REFERENCE, prog], os.path.dirname(prog), env)
    got = run_edgeflow(binary, prog, use_pyc, env)
    name = os.path.basename(prog)
    problems = []
    if ref.note:
        problems.append("reference failed: " + ref.note)
    if got.note:
        problems.append(got.note)
    if not ref.note and not got.note:
        if ref.rc != got.rc:
            extra = " (stderr: %r)" % got.last_err if got.rc != 0 and got.last_err else ""
            problems.append("exit code %s, want %s%s" % (got.rc, ref.rc, extra))
        if ref.rc != 0 and ref.last_err != got.last_err:
            problems.append("stderr last line %r, want %r" % (got.last_err, ref.last_err))
    if not got.note and ref.stdout != got.stdout:
        problems.append("stdout differs:\n" + short_diff(ref.stdout, got.stdout,
                                                         "cpython", "edgeflow"))
    if not problems:
        return None
    return "FAIL %s: %s" % (name, "; ".join(problems))


def collect(files, substr):
    if files:
        progs = [os.path.abspath(f) for f in files]
    else:
        progs = [os.path.join(HERE, f) for f in sorted(os.listdir(HERE))
                 if f.endswith(".py") and f != "run.py"]
    if substr:
        progs = [p for p in progs if substr in os.path.basename(p)]
    return progs


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("binary", help="path to the edgeflow binary")
    ap.add_argument("files", nargs="*", help="programs to run (default: all here)")
    ap.add_argument("--pyc", action="store_true",
                    help="compile with `script compile` first, then run the .pyc")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--filter", default="", help="only programs whose name contains this")
    ap.add_argument("--list-failures", metavar="FILE",
                    help="write failing program names here, one per line")
    args = ap.parse_args()

    binary = os.path.abspath(args.binary) if os.sep in args.binary else args.binary
    if os.sep in binary and not os.access(binary, os.X_OK):
        print("run.py: %s is not an executable file (build edgeflow first)" % binary)
        return 2
    progs = collect(args.files, args.filter)
    failures = []
    with concurrent.futures.ThreadPoolExecutor(max(1, args.jobs)) as pool:
        futures = {pool.submit(check, p, binary, args.pyc): p for p in progs}
        for fut in concurrent.futures.as_completed(futures):
            report = fut.result()
            if report is not None:
                failures.append((os.path.basename(futures[fut]), report))
    failures.sort()
    for _, report in failures:
        print(report)
    if args.list_failures:
        with open(args.list_failures, "w") as f:
            for name, _ in failures:
                f.write(name + "\n")
    total = len(progs)
    print("conformance: passed %d / total %d" % (total - len(failures), total))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
