#!/usr/bin/python3
"""CLI tests of the optimizer lesson: `stepwise-cli job` with {"lesson":"optim",...}.

PyTorch convention: every optimizer and option on every surface against
torch.optim 1.13 in float64 (autograd gradients; regression batches in the
engine's order), a few hundred steps, paths within 1e-9 relative. Keras
convention: against a NumPy transcription of Keras 3's update_step written
here, and Keras's documented RMSprop example. The Python exports (NumPy and
PyTorch) run under /usr/bin/python3 and print the job's paths. Invalid jobs
print {"error": ...} and exit 1.
usage: /usr/bin/python3 test_optim_cli.py STEPWISE_CLI
"""
import json
import math
import subprocess
import sys

import numpy as np
import torch

from cli_common import check, failed, run

torch.set_default_dtype(torch.float64)
TOL = 1e-9

SURFACES = {
    "quadratic": ({"name": "quadratic", "a": 1.5, "b": 0.5, "c": 6}, [-3.0, 1.5], 0.05),
    "rosenbrock": ({"name": "rosenbrock", "p": 1, "q": 20}, [-1.2, 1.5], 0.002),
    "beale": ({"name": "beale"}, [2.0, 0.2], 0.005),
    "himmelblau": ({"name": "himmelblau"}, [0.5, -0.5], 0.005),
    "saddle": ({"name": "saddle"}, [-1.5, 0.01], 0.05),
}


def regression_surface(batch, shuffle=False):
    rng = np.random.default_rng(5)
    x = np.round(rng.uniform(-3, 3, 23), 2)
    y = np.round(2 * x + 1 + rng.normal(size=23), 2)
    return {"name": "regression", "x": x.tolist(), "y": y.tolist(), "batch_size": batch, "shuffle": shuffle}


def torch_options(lr):
    """(job entry, torch.optim class, kwargs): every option of every optimizer."""
    return [
        ({"name": "sgd", "lr": lr}, torch.optim.SGD, {"lr": lr}),
        ({"name": "sgd", "lr": lr, "momentum": 0.9}, torch.optim.SGD, {"lr": lr, "momentum": 0.9}),
        ({"name": "sgd", "lr": lr, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05},
         torch.optim.SGD, {"lr": lr, "momentum": 0.8, "dampening": 0.3, "weight_decay": 0.05}),
        ({"name": "sgd", "lr": lr, "momentum": 0.7, "nesterov": True}, torch.optim.SGD,
         {"lr": lr, "momentum": 0.7, "nesterov": True}),
        ({"name": "adagrad", "lr": 20 * lr}, torch.optim.Adagrad, {"lr": 20 * lr}),
        ({"name": "adagrad", "lr": 20 * lr, "lr_decay": 0.01, "weight_decay": 0.02,
          "initial_accumulator_value": 0.3, "eps": 1e-6}, torch.optim.Adagrad,
         {"lr": 20 * lr, "lr_decay": 0.01, "weight_decay": 0.02, "initial_accumulator_value": 0.3, "eps": 1e-6}),
        ({"name": "rmsprop", "lr": lr}, torch.optim.RMSprop, {"lr": lr}),
        ({"name": "rmsprop", "lr": lr, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.01, "momentum": 0.5,
          "centered": True}, torch.optim.RMSprop,
         {"lr": lr, "alpha": 0.9, "eps": 1e-6, "weight_decay": 0.01, "momentum": 0.5, "centered": True}),
        ({"name": "rmsprop", "lr": lr, "centered": True}, torch.optim.RMSprop, {"lr": lr, "centered": True}),
        ({"name": "adam", "lr": 5 * lr}, torch.optim.Adam, {"lr": 5 * lr}),
        ({"name": "adam", "lr": 5 * lr, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.03, "amsgrad": True},
         torch.optim.Adam, {"lr": 5 * lr, "betas": (0.8, 0.99), "eps": 1e-6, "weight_decay": 0.03, "amsgrad": True}),
        ({"name": "adamw", "lr": 5 * lr}, torch.optim.AdamW, {"lr": 5 * lr}),
        ({"name": "adamw", "lr": 5 * lr, "weight_decay": 0.1, "amsgrad": True}, torch.optim.AdamW,
         {"lr": 5 * lr, "weight_decay": 0.1, "amsgrad": True}),
    ]


def f_torch(surface, p, idx=None):
    x, y = p[0], p[1]
    n = surface["name"]
    if n == "quadratic":
        return 0.5 * (surface["a"] * x * x + 2 * surface["b"] * x * y + surface["c"] * y * y)
    if n == "rosenbrock":
        return (surface["p"] - x) ** 2 + surface["q"] * (y - x * x) ** 2
    if n == "beale":
        return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
    if n == "himmelblau":
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2
    if n == "saddle":
        return x * x + y ** 4 / 4 - y * y / 2
    X, Y = torch.tensor(surface["x"]), torch.tensor(surface["y"])
    if idx is not None:
        X, Y = X[idx], Y[idx]
    return ((x * X + y - Y) ** 2).mean()


def batches(surface, t):
    """Update t's batch without shuffling: consecutive slices, the last one shorter."""
    n, bs = len(surface["x"]), surface["batch_size"]
    per = (n + bs - 1) // bs
    j = t % per
    return list(range(j * bs, min(n, (j + 1) * bs)))


def grad_formula(surface, th, t):
    """The issue's analytic gradients, written in the same order of operations as the
    formulas in optim_surface.h (autograd's order differs by roundings, which adaptive
    methods amplify near a vanishing gradient; grad_check compares the two)."""
    x, y = float(th[0]), float(th[1])
    n = surface["name"]
    if n == "quadratic":
        a, b, c = surface["a"], surface["b"], surface["c"]
        return [a * x + b * y, b * x + c * y]
    if n == "rosenbrock":
        v = y - x * x
        return [-2.0 * (surface["p"] - x) - 4.0 * surface["q"] * x * v, 2.0 * surface["q"] * v]
    if n == "beale":
        gx = gy = 0.0
        ykm1 = 1.0
        for k, ck in enumerate((1.5, 2.25, 2.625)):
            yk = ykm1 * y
            u = ck - x + x * yk
            gx += 2.0 * u * (yk - 1)
            gy += 2.0 * u * ((k + 1) * x * ykm1)
            ykm1 = yk
        return [gx, gy]
    if n == "himmelblau":
        u, v = x * x + y - 11, x + y * y - 7
        return [4.0 * x * u + 2.0 * v, 2.0 * u + 4.0 * y * v]
    if n == "saddle":
        return [2.0 * x, y * y * y - y]
    idx = batches(surface, t)
    srx = sr = 0.0
    for i in idx:
        r = x * surface["x"][i] + y - surface["y"][i]
        srx += r * surface["x"][i]
        sr += r
    return [2.0 * srx / len(idx), 2.0 * sr / len(idx)]


def torch_path(surface, start, cls, kw, steps):
    """torch.optim stepping p, its gradient from grad_formula."""
    p = torch.tensor(start, requires_grad=True)
    opt = cls([p], **kw)
    path = [p.tolist()]
    for t in range(steps):
        p.grad = torch.tensor(grad_formula(surface, p.tolist(), t))
        opt.step()
        path.append(p.tolist())
    return np.array(path), opt.state[p]


def grad_check(surface, points):
    """Largest relative difference of grad_formula from autograd along a path."""
    worst = 0.0
    for t, th in enumerate(points):
        p = torch.tensor(th, requires_grad=True)
        idx = batches(surface, t) if surface["name"] == "regression" else None
        f_torch(surface, p, idx).backward()
        worst = max(worst, rel_diff(grad_formula(surface, th, t), p.grad.tolist()))
    return worst


def rel_diff(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return math.inf
    return float(np.max(np.abs(a - b) / np.maximum(np.abs(b), 1.0)))


def keras_update(o, th, g, st, t):
    """Keras 3's optimizers (keras/src/optimizers/*.py update_step), transcribed in NumPy,
    with the base optimizer's decoupled weight decay variable - variable * wd * lr first."""
    lr = o.get("lr", o.get("learning_rate"))
    wd = o.get("weight_decay", 0.004 if o["name"] == "adamw" else 0.0)
    if wd:
        th = th - th * wd * lr
    n = o["name"]
    if n == "sgd":
        mu = o.get("momentum", 0.0)
        if mu == 0:
            return th - g * lr
        m = st["m"] = st.get("m", np.zeros(2)) * mu - g * lr
        return th + (m * mu - g * lr) if o.get("nesterov") else th + m
    if n == "adagrad":
        eps = o.get("epsilon", 1e-7)
        acc = st["acc"] = st.get("acc", np.full(2, o.get("initial_accumulator_value", 0.1))) + np.square(g)
        return th - (lr * g) / np.sqrt(acc + eps)
    if n == "rmsprop":
        rho, eps, mu = o.get("rho", 0.9), o.get("epsilon", 1e-7), o.get("momentum", 0.0)
        v = st["v"] = rho * st.get("v", np.zeros(2)) + (1 - rho) * np.square(g)
        if o.get("centered"):
            a = st["a"] = rho * st.get("a", np.zeros(2)) + (1 - rho) * g
            den = v - np.square(a) + eps
        else:
            den = v + eps
        inc = (lr * g) / np.sqrt(den)
        if mu > 0:
            b = st["b"] = mu * st.get("b", np.zeros(2)) + inc
            return th - b
        return th - inc
    b1, b2, eps = o.get("beta_1", 0.9), o.get("beta_2", 0.999), o.get("epsilon", 1e-7)
    alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    m, v = st.get("m", np.zeros(2)), st.get("v", np.zeros(2))
    m = st["m"] = m + (g - m) * (1 - b1)
    v = st["v"] = v + (np.square(g) - v) * (1 - b2)
    if o.get("amsgrad"):
        v = st["vh"] = np.maximum(st.get("vh", np.zeros(2)), v)
    return th - (m * alpha) / (np.sqrt(v) + eps)


def numpy_grad(surface, th, t):
    return np.array(grad_formula(surface, th, t))


def keras_path(surface, start, o, steps):
    th, st = np.array(start, dtype=float), {}
    path = [th.copy()]
    for t in range(1, steps + 1):
        th = keras_update(o, th, numpy_grad(surface, th, t - 1), st, t)
        path.append(th.copy())
    return np.array(path)


def job(surface, start, optimizers, steps, **extra):
    return dict({"lesson": "optim", "surface": surface, "start": start, "optimizers": optimizers,
                 "steps": steps}, **extra)


def main():
    cli = sys.argv[1]
    steps = 300

    # 1. PyTorch: every optimizer and option on every surface.
    worst = 0.0
    cases = [(name, s, start, lr) for name, (s, start, lr) in SURFACES.items()]
    cases.append(("regression (full batch)", regression_surface(23), [-1.0, 3.0], 0.02))
    cases.append(("regression (batches of 5)", regression_surface(5), [-1.0, 3.0], 0.02))
    for name, surface, start, lr in cases:
        for entry, cls, kw in torch_options(lr):
            code, out = run(cli, job(surface, start, [entry], steps))
            if code != 0:
                check(False, f"{name}: {entry} runs ({out})")
                continue
            r = out["runs"][0]
            ref, state = torch_path(surface, start, cls, kw, steps)
            d = rel_diff(r["path"], ref)
            worst = max(worst, d)
            ok = r["stopped"] is None and d <= TOL
            for key, v in state.items():
                if torch.is_tensor(v) and v.dim() > 0:
                    ok = ok and rel_diff(r["state"][key], v.tolist()) <= 1e-8
            check(ok, f"torch {name}: {json.dumps(entry)} path within {TOL} (max rel {d:.1e})")
        gd = grad_check(surface, r["path"])
        check(gd < 1e-12, f"{name}: the analytic gradient agrees with autograd along the path ({gd:.1e})")
    print(f"     largest relative difference from torch.optim: {worst:.2e}")

    # The loss at every point is f there.
    s, start, lr = SURFACES["himmelblau"]
    code, out = run(cli, job(s, start, [{"name": "sgd", "lr": lr}], 50, ema=0.9))
    r = out["runs"][0]
    fl = [float(f_torch(s, torch.tensor(p))) for p in r["path"]]
    check(len(r["path"]) == 51 and rel_diff(r["loss"], fl) < 1e-12, "loss[k] = f(path[k])")
    e, ema = np.array(r["path"][0]), [r["path"][0]]
    for p in r["path"][1:]:
        e = 0.9 * e + 0.1 * np.array(p)
        ema.append(e.tolist())
    check(rel_diff(r["ema_path"], ema) < 1e-13, "ema_path is the Polyak average with decay 0.9")

    # 2. Keras: against the NumPy transcription above.
    keras = [{"name": "sgd", "lr": 0.01, "momentum": 0.9},
             {"name": "sgd", "lr": 0.01, "momentum": 0.5, "nesterov": True, "weight_decay": 0.1},
             {"name": "sgd", "learning_rate": 0.02},
             {"name": "adagrad", "lr": 0.3},
             {"name": "adagrad", "lr": 0.3, "initial_accumulator_value": 0.5, "epsilon": 1e-4},
             {"name": "rmsprop", "lr": 0.01},
             {"name": "rmsprop", "lr": 0.01, "rho": 0.8, "momentum": 0.6, "centered": True, "epsilon": 1e-5},
             {"name": "adam", "lr": 0.05},
             {"name": "adam", "lr": 0.05, "beta_1": 0.8, "beta_2": 0.99, "amsgrad": True, "epsilon": 1e-4},
             {"name": "adamw", "lr": 0.05},
             {"name": "adamw", "lr": 0.05, "weight_decay": 0.05}]
    kcases = [("quadratic", SURFACES["quadratic"][0], SURFACES["quadratic"][1]),
              ("himmelblau", SURFACES["himmelblau"][0], SURFACES["himmelblau"][1]),
              ("regression", regression_surface(5), [-1.0, 3.0])]
    for name, surface, start in kcases:
        for o in keras:
            entry = dict(o, convention="keras")
            code, out = run(cli, job(surface, start, [entry], 200))
            if code != 0:
                check(False, f"keras {name}: {entry} runs ({out})")
                continue
            d = rel_diff(out["runs"][0]["path"], keras_path(surface, start, o, 200))
            check(d <= TOL, f"keras {name}: {json.dumps(o)} within {TOL} (max rel {d:.1e})")

    # Keras's documented example: RMSprop(learning_rate=0.1), var 10, loss var²/2 → 9.683772.
    code, out = run(cli, job({"name": "quadratic", "a": 1, "b": 0, "c": 1}, [10, 0],
                             [{"name": "rmsprop", "lr": 0.1, "convention": "keras"}], 1))
    x1 = out["runs"][0]["path"][1][0]
    check(abs(x1 - 9.683772) < 5e-7, f"Keras RMSprop example: 10 → {x1:.6f} (9.683772)")
    # Where the conventions differ: the same RMSprop settings give another path.
    code, a = run(cli, job(SURFACES["quadratic"][0], [-3, 1.5], [{"name": "rmsprop", "lr": 0.01, "alpha": 0.9,
                                                                  "eps": 0.1}], 5))
    code, b = run(cli, job(SURFACES["quadratic"][0], [-3, 1.5], [{"name": "rmsprop", "lr": 0.01, "rho": 0.9,
                                                                  "epsilon": 0.1, "convention": "keras"}], 5))
    check(rel_diff(a["runs"][0]["path"], b["runs"][0]["path"]) > 1e-6, "torch and keras RMSprop differ (ε placement)")

    # 3. Shuffled batches and the Python exports: NumPy and PyTorch programs print the job's paths.
    export_jobs = [
        job(regression_surface(4, shuffle=True), [-1.0, 3.0],
            [{"name": "sgd", "lr": 0.02, "momentum": 0.9}, {"name": "adam", "lr": 0.1, "amsgrad": True},
             {"name": "rmsprop", "lr": 0.01, "centered": True, "convention": "keras"},
             {"name": "adagrad", "lr": 0.5, "lr_decay": 0.01}], 150, ema=0.8),
        job(SURFACES["rosenbrock"][0], [-1.2, 1.5],
            [{"name": "adamw", "lr": 0.01}, {"name": "sgd", "lr": 0.001, "momentum": 0.9, "nesterov": True},
             {"name": "adam", "lr": 0.01, "convention": "keras"}], 300),
        job({"name": "quadratic"}, [-4, 1], [{"name": "sgd", "lr": 0.25}, {"name": "sgd", "lr": 0.05}], 200),
    ]
    for k, j in enumerate(export_jobs):
        code, out = run(cli, j)
        for fw in ("numpy", "torch"):
            p = subprocess.run([cli, "python", "--framework", fw, "-"], input=json.dumps(j),
                               capture_output=True, text=True)
            if p.returncode != 0:
                check(False, f"export {k} ({fw}) is produced: {p.stdout} {p.stderr}")
                continue
            q = subprocess.run(["/usr/bin/python3", "-c", p.stdout], capture_output=True, text=True, timeout=300)
            ok = q.returncode == 0
            if ok:
                got = json.loads(q.stdout)
                for ra, rb in zip(out["runs"], got["runs"]):
                    d = rel_diff(ra["path"], rb["path"])
                    ok = ok and d <= TOL and (ra["stopped"] is None) == (rb["stopped"] is None)
                    ok = ok and rel_diff(ra["loss"], rb["loss"]) <= TOL
                    if "ema_path" in ra:
                        ok = ok and rel_diff(ra["ema_path"], rb["ema_path"]) <= TOL
            check(ok, f"export {k} ({fw}) runs under /usr/bin/python3 and prints the job's paths "
                      f"{q.stderr[-300:] if q.returncode else ''}")
    code, out = run(cli, export_jobs[2])
    stopped = out["runs"][0]["stopped"]
    check(isinstance(stopped, str) and "10¹⁵" in stopped and out["runs"][1]["stopped"] is None,
          f"lr 0.25 > 2/c stops with a message: {stopped}")
    check("NaN" not in json.dumps(out) and "Infinity" not in json.dumps(out), "no NaN or infinity in the output")

    # 4. Invalid jobs.
    base = job({"name": "quadratic"}, [-4, 1], [{"name": "sgd", "lr": 0.1}], 10)
    bad = [
        ({"surface": {"name": "bowl"}}, "surface.name"),
        ({"optimizers": [{"name": "lbfgs"}]}, "optimizers[0].name"),
        ({"optimizers": [{"name": "sgd", "lr": 0}]}, "optimizers[0].lr"),
        ({"optimizers": [{"name": "adam", "betas": [1.0, 0.9]}]}, "betas[0]"),
        ({"optimizers": [{"name": "adam", "eps": 0}]}, "eps"),
        ({"optimizers": [{"name": "sgd", "nesterov": True}]}, "nesterov"),
        ({"optimizers": [{"name": "sgd"}] * 5}, "at most 4"),
        ({"surface": {"name": "regression", "x": [1, 2], "y": [1]}}, "surface.y"),
        ({"surface": {"name": "regression", "x": [], "y": []}}, "empty"),
        ({"steps": 100000}, "steps"),
        ({"start": [0]}, "start"),
    ]
    for change, word in bad:
        code, out = run(cli, dict(base, **change))
        check(code == 1 and list(out) == ["error"] and word in out["error"],
              f"invalid job {json.dumps(change)[:60]} → error naming {word!r}: {out.get('error')}")
    code, out = run(cli, "{not json")
    check(code == 1 and "error" in out, "malformed JSON → error")

    sys.exit(1 if failed() else 0)


if __name__ == "__main__":
    main()
