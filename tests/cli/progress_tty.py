#!/usr/bin/env python3
"""The progress bar of `normwerk audit` on a terminal and off it.

usage: progress_tty.py NORMWERK   (run from the repository root)

Runs an audit of a generated work log three times: with stderr on a
pseudo-terminal (the bar must be drawn: `\\r\\033[K` lines with the import and
the audit), with stderr on a pipe (nothing on stderr at all), and on a
terminal with --quiet (no bar). stdout is a pipe each time and must never
carry the bar.
"""
import os
import pty
import subprocess
import sys
import tempfile

ROOT = os.getcwd()


def audit(nw, db, gen, stderr_tty, extra=()):
    env = dict(os.environ, NO_COLOR="1", LANG="C.UTF-8")
    env.pop("NORMWERK_RULES", None)
    args = [nw, "--rules", "tests/cli/rules", "audit", os.path.join(gen, "worklog.csv"), "--employer",
            os.path.join(gen, "employer.json"), "--as-of", "2024-12-31", "--db", db, "--batch", "5", *extra]
    if not stderr_tty:
        p = subprocess.run(args, capture_output=True, env=env, cwd=ROOT, timeout=600)
        return p.returncode, p.stdout, p.stderr
    master, slave = pty.openpty()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closes when the process ends
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read()
    p.wait(timeout=600)
    os.close(master)
    return p.returncode, out, err


def main():
    nw = os.path.abspath(sys.argv[1])
    tmp = tempfile.mkdtemp(prefix="nw-progress-")
    gen = os.path.join(tmp, "gen")
    subprocess.run([sys.executable, "bench/gen_worklog.py", "60", gen, "--days", "120"], check=True, cwd=ROOT)
    failures = []

    code, out, err = audit(nw, os.path.join(tmp, "a.db"), gen, True)
    if code not in (0, 1):
        failures.append(f"on a terminal: exit {code}: {err[-500:]!r}")
    for want in (b"\r\x1b[Kimport ", b"\r\x1b[Kaudit [", b"100%"):
        if want not in err:
            failures.append(f"on a terminal: stderr lacks {want!r}: {err[-300:]!r}")
    if b"\x1b[K" in out or b"\r" in out:
        failures.append("on a terminal: the bar reached stdout")

    code, out, err = audit(nw, os.path.join(tmp, "b.db"), gen, False)
    if code not in (0, 1):
        failures.append(f"stderr a pipe: exit {code}")
    if err:
        failures.append(f"stderr a pipe: expected nothing on stderr, got {err[:300]!r}")

    code, out, err = audit(nw, os.path.join(tmp, "c.db"), gen, True, ["--quiet"])
    if b"\x1b[K" in err:
        failures.append(f"--quiet on a terminal: the bar was drawn: {err[:300]!r}")

    for f in failures:
        print("FAIL", f)
    print("ok" if not failures else f"{len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
