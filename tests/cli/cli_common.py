"""What the CLI test scripts share: reporting checks and running one job.

    from cli_common import check, failed, run
    code, out = run(cli, {"lesson": "svm", ...})   # exit code, the one JSON line
    check(code == 0, "the job runs")
    sys.exit(1 if failed() else 0)
"""
import json
import os
import subprocess
import tempfile

_failures = 0


def check(cond, what):
    """Prints ok/FAIL with the description and counts failures."""
    global _failures
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        _failures += 1


def failed():
    """How many checks failed so far."""
    return _failures


def run(binary, job, via_file=False):
    """Runs `binary job -` (or `binary job FILE`) on a job (dict or text); the
    output must be exactly one line of JSON. Returns (exit code, parsed JSON)."""
    text = job if isinstance(job, str) else json.dumps(job)
    if via_file:
        with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
            f.write(text)
        p = subprocess.run([binary, "job", f.name], capture_output=True, text=True, timeout=120)
        os.unlink(f.name)
    else:
        p = subprocess.run([binary, "job", "-"], input=text, capture_output=True, text=True, timeout=120)
    lines = p.stdout.strip().splitlines()
    assert len(lines) == 1, f"expected one line of JSON, got {p.stdout!r}"
    return p.returncode, json.loads(lines[0])
