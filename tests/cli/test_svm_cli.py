#!/usr/bin/python3
"""CLI tests of the SVM lesson: `stepwise-cli job` with {"lesson":"svm",...}.

Exact jobs are checked against an independent NumPy solver of the dual
(accelerated projected gradient): weak duality makes P(w,b) - D(alpha) a
certificate that the CLI's answer is optimal. SGD jobs are replayed record by
record in NumPy. Invalid jobs must print {"error": ...} and exit non-zero.
usage: test_svm_cli.py STEPWISE_CLI
"""
import json
import subprocess
import sys
import time

import numpy as np

from cli_common import check, failed, run


def objective(X, y, C, w, b):
    """P(w,b) = 1/2 |w|^2 + C sum max(0, 1 - y (X w + b))"""
    return 0.5 * w @ w + C * np.maximum(0, 1 - y * (X @ w + b)).sum()


def project(a, y, C):
    """The feasible alpha nearest to a: clip(a - nu*y, 0, C) with y.alpha = 0.
    phi(nu) = y.clip(a - nu*y) falls piecewise linearly in nu: evaluate it at
    every breakpoint, then interpolate inside the bracketing piece."""
    knots = np.unique(np.r_[a * y, (a - C) * y])
    phi = (y[None, :] * np.clip(a[None, :] - knots[:, None] * y[None, :], 0, C)).sum(axis=1)
    k = np.searchsorted(-phi, 0)  # first knot with phi <= 0
    if k == 0:
        nu = knots[0]
    elif k == len(knots):
        nu = knots[-1]
    else:
        nu = knots[k - 1] + phi[k - 1] / (phi[k - 1] - phi[k]) * (knots[k] - knots[k - 1])
    return np.clip(a - nu * y, 0, C)


def dual_solve(X, y, C, target, iters=30000):
    """max_alpha sum(alpha) - 1/2 alpha' Q alpha, 0 <= alpha <= C, y'alpha = 0, by FISTA
    (with restarts), until the dual value reaches `target` or the iterations run out."""
    Z = y[:, None] * X
    Q = Z @ Z.T
    L = max(np.linalg.eigvalsh(Q).max(), 1e-12)
    a = np.zeros(len(y))
    z, t = a.copy(), 1.0
    value = lambda v: v.sum() - 0.5 * v @ Q @ v
    for k in range(iters):
        a_next = project(z - (Q @ z - 1) / L, y, C)
        t_next = (1 + np.sqrt(1 + 4 * t * t)) / 2
        if (z - a_next) @ (a_next - a) > 0:  # restart momentum when it points uphill
            z, t = a_next.copy(), 1.0
            a = a_next
            continue
        z = a_next + (t - 1) / t_next * (a_next - a)
        a, t = a_next, t_next
        if k % 100 == 0 and value(a) >= target:
            break
    return a, value(a)


def clouds(rng, n, gap):
    y = np.where(np.arange(n) % 2 == 0, 1.0, -1.0)
    X = np.round(np.c_[y * gap, 0.5 * y * gap] + rng.normal(size=(n, 2)), 2)
    return X, y


def job_of(X, y, **extra):
    return dict({"lesson": "svm", "points": X.tolist(), "labels": [int(v) for v in y]}, **extra)


def main():
    cli = sys.argv[1]
    rng = np.random.default_rng(11)

    # A hand-made set: only (2,0) and (0,0) are support vectors; w = (1,0), b = -1, margin 2.
    code, out = run(cli, {"lesson": "svm", "points": [[2, 0], [3, 1], [4, -1], [0, 0], [-1, 2], [-2, -1]],
                          "labels": [1, 1, 1, -1, -1, -1]})
    check(code == 0 and np.allclose(out["w"], [1, 0], atol=1e-9) and abs(out["b"] + 1) < 1e-9
          and abs(out["margin"] - 2) < 1e-9 and out["support_vectors"] == [0, 3]
          and set(out) == {"w", "b", "objective", "margin", "support_vectors", "steps"},
          f"analytic set: w={out.get('w')} b={out.get('b')} margin={out.get('margin')} SV={out.get('support_vectors')}")

    # Random sets: the duality gap against an independent dual solution certifies the optimum.
    worst = 0.0
    for trial in range(20):
        n = int(rng.integers(4, 60))
        C = float(10 ** rng.uniform(-1.5, 1.5))
        X, y = clouds(rng, n, rng.uniform(0, 2))
        code, out = run(cli, job_of(X, y, C=C))
        w, b = np.array(out["w"]), out["b"]
        P = objective(X, y, C, w, b)
        alpha, D = dual_solve(X, y, C, target=P - 1e-7 * max(1.0, abs(P)))
        gap = (P - D) / max(1.0, abs(P))
        worst = max(worst, gap)
        m = y * (X @ w + b)
        ok = (code == 0 and abs(out["objective"] - P) <= 1e-9 * max(1, P) and D <= P + 1e-9 * max(1, P)
              and gap < 1e-5 and abs(out["margin"] - 2 / np.linalg.norm(w)) < 1e-9 * out["margin"]
              and out["support_vectors"] == [int(i) for i in np.nonzero(m <= 1 + 1e-5)[0]])
        if not ok or trial % 8 == 0:
            check(ok, f"random exact job {trial}: n={n} C={C:.3g} P={P:.6f} dual={D:.6f} rel gap {gap:.1e}")
        if not ok:
            return
    check(True, f"20 random exact jobs within {worst:.1e} of the independent dual optimum")

    # Invariance to the order of the points.
    X, y = clouds(rng, 50, 0.7)
    perm = rng.permutation(50)
    _, a = run(cli, job_of(X, y, C=3.0))
    _, b = run(cli, job_of(X[perm], y[perm], C=3.0))
    check(abs(a["objective"] - b["objective"]) < 1e-9 * a["objective"] and np.allclose(a["w"], b["w"], atol=1e-7)
          and sorted(perm[b["support_vectors"]].tolist()) == a["support_vectors"], "shuffled points: same solution")

    # 10,000 points: quick, and the answer is consistent.
    X, y = clouds(rng, 10000, 0.6)
    t0 = time.time()
    code, out = run(cli, job_of(X, y, C=100.0))
    dt = time.time() - t0
    P = objective(X, y, 100.0, np.array(out["w"]), out["b"])
    check(code == 0 and "warning" not in out and abs(out["objective"] - P) < 1e-9 * P,
          f"10,000 overlapping points, C = 100: {out['steps']} pair updates in {dt:.2f} s")

    # SGD: replay every record in NumPy; the last w, b are the answer.
    X, y = clouds(rng, 12, 0.8)
    C, n = 2.0, 12
    lam = 1 / (C * n)
    for schedule, eta0 in (("pegasos", None), ("decay", 0.3), ("constant", 0.05)):
        extra = {"solver": "sgd", "epochs": 4, "seed": 3, "trace": True, "C": C, "schedule": schedule}
        if eta0:
            extra["eta"] = eta0
        code, out = run(cli, job_of(X, y, **extra))
        trace = out["trace"]
        ok = code == 0 and len(trace) == out["steps"] == 4 * (6 * n + 1)
        w, b, worst = np.zeros(2), 0.0, 0.0
        for rec in trace:
            if rec["kind"] == "objective":
                ok = ok and abs(rec["value"] - objective(X, y, C, w, b)) < 1e-9 * max(1, rec["value"])
                continue
            i, t = rec["sample"], rec["t"]
            eta = {"pegasos": lambda: 1 / (lam * t), "decay": lambda: eta0 / (1 + eta0 * lam * t),
                   "constant": lambda: eta0}[schedule]()
            if rec["kind"] == "score":  # a new sample: its values from w, b before the update
                s = w @ X[i] + b
                m = y[i] * s
                h = max(0.0, 1 - m)
                g = np.r_[lam * w - (y[i] * X[i] if h > 0 else 0), -y[i] if h > 0 else 0.0]
            if rec["kind"] == "score":
                got, want = rec["value"], s
            elif rec["kind"] == "margin":
                got, want = rec["value"], m
            elif rec["kind"] == "hinge":
                got, want = rec["value"], h
            elif rec["kind"] == "subgrad":
                got, want = np.array(rec["vector"]), g
            elif rec["kind"] == "update_w":
                w = w - eta * g[:2]
                got, want = np.array(rec["vector"]), w
            else:
                b = b - eta * g[2]
                got, want = rec["result"], b
            worst = max(worst, float(np.max(np.abs(np.asarray(got) - want))))
        ok = ok and worst < 1e-9 and np.allclose(out["w"], w, atol=1e-12) and abs(out["b"] - b) < 1e-12
        check(ok, f"sgd ({schedule}): {len(trace)} records replayed in NumPy, largest difference {worst:.1e}")

    # SGD approaches the exact optimum as epochs grow.
    X, y = clouds(rng, 40, 0.5)
    _, exact = run(cli, job_of(X, y))
    gaps = []
    for epochs in (1, 10, 100):
        _, out = run(cli, job_of(X, y, solver="sgd", epochs=epochs, schedule="decay", eta=0.1))
        gaps.append((out["objective"] - exact["objective"]) / exact["objective"])
    check(gaps[0] > gaps[1] > gaps[2] >= -1e-12 and gaps[2] < 0.02,
          "sgd objective gap to the optimum after 1, 10, 100 epochs: " + ", ".join(f"{g:.4f}" for g in gaps))

    # "Reproduce in Python": the exported NumPy program recomputes the job. SGD replays the
    # engine bit for bit (same generator, same arithmetic); the exact solver is independent.
    for trial in range(6):
        n = int(rng.integers(3, 120))
        X, y = clouds(rng, n, rng.uniform(0, 2))
        if trial == 5:
            X[1] = X[0]  # the same spot with both labels
        for solver in ("exact", "sgd"):
            job = job_of(X, y, C=float(10 ** rng.uniform(-1.5, 1.5)), solver=solver, epochs=3, seed=trial,
                         schedule=["pegasos", "decay", "constant"][trial % 3], eta=0.01)
            code, engine = run(cli, job)
            p = subprocess.run([cli, "python", "-"], input=json.dumps(job), capture_output=True, text=True)
            py = subprocess.run(["/usr/bin/python3", "-c", p.stdout], capture_output=True, text=True, timeout=120)
            ok = code == 0 and p.returncode == 0 and py.returncode == 0 and "import numpy as np" in p.stdout
            if ok:
                got = json.loads(py.stdout)
                if solver == "sgd":
                    ok = got["w"] == engine["w"] and got["b"] == engine["b"] and got["steps"] == engine["steps"]
                else:
                    ok = np.allclose(got["w"], engine["w"], atol=1e-6) and abs(got["b"] - engine["b"]) < 1e-6
                ok = ok and abs(got["objective"] - engine["objective"]) <= 1e-9 * max(1, engine["objective"])
            check(ok, f"python export ({solver}, n={n}) reproduces the engine" +
                  ("" if ok else f" ({py.stderr.strip()[-300:]})"))

    invalid = [
        ('{"lesson":"svm","points":[[0,0],[1,1]]}', 'an svm job needs "points" and "labels"'),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, 2]}, "labels[1] must be 1 or -1 (got 2)"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1], [2, 2]], "labels": [1, -1]},
         "points has 3 entries but labels has 2"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [-1, -1]}, "all points have label −1"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, -1], "C": 0}, "C must be greater than 0"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, -1], "C": -1.5}, "C must be greater than 0"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, -1], "kernel": "rbf"}, "unknown field 'kernel'"),
        ({"lesson": "svm", "points": [[0, 0], [1, float("nan")]], "labels": [1, -1]}, "the job is not valid JSON"),
        ({"lesson": "svm", "points": [[0, 0], [1, "1"]], "labels": [1, -1]}, "points[1][1] must be a number"),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, -1], "solver": "newton"},
         'solver must be "exact" or "sgd"'),
        ({"lesson": "svm", "points": [[0, 0], [1, 1]], "labels": [1, -1], "solver": "sgd", "epochs": 1001},
         "epochs must be between 1 and 1000"),
        ({"lesson": "svm", "points": [[0, 0]] * 20001, "labels": [1] * 20001}, "at most 20000 allowed"),
        ({"lesson": "svm", "points": [[0, 0], [1e10, 1]], "labels": [1, -1]}, "outside ±10⁹"),
    ]
    for job, message in invalid:
        code, out = run(cli, job)
        check(code != 0 and message in out.get("error", ""), f"invalid job -> {out.get('error')!r}")


main()
sys.exit(1 if failed() else 0)
