#!/usr/bin/python3
"""`stepwise lessons`: the registry as the CLI lists it.

The lesson names must be exactly the folders of engine/lessons/ (CMake's
STEPWISE_LESSONS: a folder without a registry line, or a line without a
folder, fails here), each with a title and a one-line description, in the
headless CLI and the desktop binary alike; a job for an unknown lesson names
every known one.
usage: test_lessons_cli.py STEPWISE_CLI STEPWISE_DESKTOP NAME...
"""
import json
import os
import subprocess
import sys

from cli_common import check, failed, run

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")


def main():
    cli, desktop, names = sys.argv[1], sys.argv[2], sys.argv[3:]
    for binary in (cli, desktop):
        p = subprocess.run([binary, "lessons", "--json"], capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, f"{os.path.basename(binary)} lessons --json exits 0")
        listed = json.loads(p.stdout)
        check(sorted(l["name"] for l in listed) == sorted(names),
              f"{os.path.basename(binary)} lists every lesson folder {sorted(names)}, got {[l['name'] for l in listed]}")
        order = [l["name"] for l in listed]
        check(all(l["title"] and len(l["description"]) > 10 for l in listed),
              "every lesson has a title and a description")
        p = subprocess.run([binary, "lessons"], capture_output=True, text=True, timeout=60)
        lines = p.stdout.strip().splitlines()
        check(p.returncode == 0 and [ln.split()[0] for ln in lines] == order,
              "plain `lessons` prints one line per lesson, name first")
    p = subprocess.run([cli, "lessons", "--bogus"], capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "error" in json.loads(p.stdout), "a bad flag is a usage error")
    code, out = run(cli, {"lesson": "nope"})
    check(code == 1 and all(n in out["error"] for n in names),
          f"an unknown lesson names every known one: {out}")
    for n in names:
        check(os.path.isdir(os.path.join(ROOT, "engine", "lessons", n)), f"engine/lessons/{n}/ exists")
    sys.exit(1 if failed() else 0)


if __name__ == "__main__":
    main()
