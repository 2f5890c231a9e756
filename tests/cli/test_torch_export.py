#!/usr/bin/python3
"""`stepwise python --framework torch`: every lesson's PyTorch program, run.

Iterates every registered lesson (`stepwise-cli lessons --json`). A lesson
whose registry line has a PyTorch export gets random jobs; each job's PyTorch
program is run with Debian's /usr/bin/python3 (python3-torch) and compared
with the engine, and with the lesson's NumPy program:

- PyTorch vs NumPy program: both float64, relative 1e-9 (of the quantity's
  largest magnitude); whether the SVM's SGD is bit for bit is printed;
- PyTorch vs engine: the engine computes conv and batch norm in float32, so
  there the bound is float32's (docs/python-export.md): for conv the
  summation bound (n + 2)·2⁻²⁴·(Σ|x·k| + |b|) per output cell, n = C·KH·KW;
  for batch norm 2⁻²⁴·64·(M + 16) times the quantity's scale; the SVM
  (double in the engine) to 1e-9 relative for SGD, and for the exact optimum
  w to 1e-6 relative, b too where it is unique (else the objectives computed
  from each w and b agree to 1e-12), the objective to 1e-9.

A lesson without a PyTorch export yet (its registry line leaves the torch
handler out: lessons --json lists only "numpy") is reported by name and its
CLI message checked; conv, svm and batchnorm must have one. A lesson with an
export but no job generator here fails: add one to GENERATORS.
usage: test_torch_export.py STEPWISE_CLI
"""
import json
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as fn

from cli_common import check, failed, run

torch.set_default_dtype(torch.float64)
U32 = 2.0 ** -24
REQUIRED = {"conv", "svm", "batchnorm"}  # lessons that must have a PyTorch export


def export(cli, job, framework=None):
    """The program text from `cli python [--framework F] -` (exit code, text)."""
    args = [cli, "python"] + (["--framework", framework] if framework else []) + ["-"]
    p = subprocess.run(args, input=json.dumps(job), capture_output=True, text=True, timeout=60)
    return p.returncode, p.stdout


def execute(program):
    """Runs a program with Debian's Python; its JSON output, or (None, stderr)."""
    p = subprocess.run(["/usr/bin/python3", "-c", program], capture_output=True, text=True, timeout=300)
    if p.returncode != 0:
        return None, p.stderr.strip()[-400:]
    return json.loads(p.stdout), ""


def worst(got, want, scale):
    """Largest |got - want| / scale (arrays broadcast)."""
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    if got.shape != want.shape:
        return float("inf")
    return float(np.max(np.abs(got - want) / scale, initial=0.0))


# ---------------------------------------------------------------- conv
def conv_jobs(rng):
    for trial in range(10):
        C, F = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        KH, KW = int(rng.integers(1, 4)), int(rng.integers(1, 4))
        sh, sw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        dh, dw = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        ph, pw = int(rng.integers(0, 3)), int(rng.integers(0, 3))
        H = int(rng.integers(dh * (KH - 1) + 1, 10))
        W = int(rng.integers(dw * (KW - 1) + 1, 10))
        x = rng.normal(0, 2, (C, H, W)).astype(np.float32)
        k = rng.normal(0, 1, (F, C, KH, KW)).astype(np.float32)
        b = rng.normal(0, 1, F).astype(np.float32)
        yield {"lesson": "conv", "input": {"shape": [C, H, W], "data": x.ravel().tolist()},
               "kernel": {"shape": [F, C, KH, KW], "data": k.ravel().tolist()}, "bias": b.tolist(),
               "stride": [sh, sw], "padding": [ph, pw], "dilation": [dh, dw],
               "activation": "relu" if trial % 2 else "none"}


def conv_compare(job, engine, pt, np_out):
    """(ok, note): conv2d vs the engine (float32 summation bound) and vs NumPy (1e-9)."""
    C, H, W = job["input"]["shape"]
    F, _, KH, KW = job["kernel"]["shape"]
    x = torch.tensor(job["input"]["data"]).reshape(1, C, H, W)
    k = torch.tensor(job["kernel"]["data"]).reshape(F, C, KH, KW)
    b = torch.tensor(job["bias"])
    mag = fn.conv2d(x.abs(), k.abs(), b.abs(), stride=job["stride"], padding=job["padding"],
                    dilation=job["dilation"])[0].flatten().numpy()  # sum |x k| + |b| per cell
    bound = (C * KH * KW + 2) * U32 * mag + 1e-30
    if pt["output"]["shape"] != engine["output"]["shape"]:
        return False, f"shape {pt['output']['shape']} vs {engine['output']['shape']}"
    e32 = worst(pt["output"]["data"], engine["output"]["data"], bound)
    e64 = worst(pt["output"]["data"], np_out["output"]["data"], np.maximum(mag, 1e-300))
    return e32 <= 1 and e64 <= 1e-9, f"engine at {e32:.1g} of the float32 bound, NumPy {e64:.1e}"


# ---------------------------------------------------------------- batch norm
def batchnorm_jobs(rng):
    for trial in range(16):
        N, C = int(rng.integers(1, 7)), int(rng.integers(1, 4))
        spatial = trial % 2 == 1
        shape = [N, C] + ([int(rng.integers(1, 4)), int(rng.integers(1, 4))] if spatial else [])
        if trial in (4, 5):
            shape[0] = 1  # one sample: M = 1 for N x C (PyTorch's layer refuses it)
            shape[2:] = [1, 1] if spatial else []
        bshape = [1, C] + [1] * (len(shape) - 2)
        x = (rng.uniform(-5, 5, C).reshape(bshape) +
             rng.uniform(0.2, 3, C).reshape(bshape) * rng.standard_normal(shape)).astype(np.float32)
        job = {"lesson": "batchnorm", "mode": ["train", "inference"][trial // 2 % 2],
               "convention": ["pytorch", "keras"][trial // 4 % 2],
               "input": {"shape": shape, "data": x.ravel().astype(float).tolist()}}
        if trial >= 8:
            job.update({"gamma": np.round(rng.uniform(-2, 2, C), 3).tolist(),
                        "beta": np.round(rng.uniform(-1, 1, C), 3).tolist(),
                        "running_mean": np.round(rng.uniform(-3, 3, C), 3).tolist(),
                        "running_var": np.round(rng.uniform(0.2, 4, C), 3).tolist(),
                        "momentum": float(np.round(rng.uniform(0, 1), 3)),
                        "epsilon": float(rng.choice([1e-5, 1e-3, 0.1]))})
        if trial % 3 == 0 or trial in (4, 5):
            dy = rng.normal(0, 1, shape).astype(np.float32)
            job["grad_output"] = {"shape": shape, "data": dy.ravel().astype(float).tolist()}
        yield job


def batchnorm_compare(job, engine, pt, np_out):
    shape = job["input"]["shape"]
    C = shape[1]
    M = int(np.prod(shape)) // C
    x = np.asarray(job["input"]["data"]).reshape(shape)
    axes = (0,) + tuple(range(2, len(shape)))
    sigma = np.sqrt(np.maximum(x.var(axis=axes), np.asarray(pt["batch_var"]))) + np.sqrt(job.get("epsilon", 1e-5))
    big = np.max(np.abs(x)) + 1
    gamma = np.abs(np.asarray(job.get("gamma", [1.0] * C))) + 1
    rv = np.abs(np.asarray(job.get("running_var", [1.0] * C))) + 1
    rm = np.abs(np.asarray(job.get("running_mean", [0.0] * C))) + 1
    # Each quantity's scale: what it is computed from, magnified by 1/sigma where it divides.
    scales = {"output": float(np.max(gamma * big / sigma)) + 1, "batch_mean": big,
              "batch_var": big * big, "running_mean": max(big, float(np.max(rm))),
              "running_var": max(big * big, float(np.max(rv)))}
    tol32 = U32 * 64 * (M + 16)
    notes, ok = [], True
    for key, scale in scales.items():
        get = (lambda r: r[key]["data"]) if key == "output" else (lambda r: r[key])
        e32 = worst(get(pt), get(engine), scale * tol32)
        e64 = worst(get(pt), get(np_out), scale)
        ok = ok and e32 <= 1 and e64 <= 1e-9
        notes.append(f"{key} {e32:.1g}/{e64:.0e}")
    if "grad_output" in job:
        dy = np.abs(np.asarray(job["grad_output"]["data"])).max() + 1
        for key in ("grad_input", "grad_gamma", "grad_beta"):
            get = (lambda r: r[key]["data"]) if key == "grad_input" else (lambda r: r[key])
            if key not in pt:
                return False, f"no {key} in the PyTorch program's output"
            scale = dy * M * (big if key == "grad_gamma" else 1) * (scales["output"] if key == "grad_input" else 1)
            e32 = worst(get(pt), get(engine), scale * tol32)
            ok = ok and e32 <= 1
            notes.append(f"{key} {e32:.1g}")
    return ok, "of the float32 bound / vs NumPy: " + ", ".join(notes)


# ---------------------------------------------------------------- SVM
def svm_jobs(rng):
    for trial in range(8):
        n = int(rng.integers(3, 60))
        gap = rng.uniform(0, 2)
        y = np.where(rng.random(n) < 0.5, 1, -1)
        y[0], y[1] = 1, -1
        X = rng.normal(0, 1, (n, 2)) + np.outer(y, [gap, gap / 2])
        if trial == 7:
            X[1] = X[0]  # the same spot with both labels
        job = {"lesson": "svm", "points": X.tolist(), "labels": y.tolist(),
               "C": float(10 ** rng.uniform(-1.5, 1.5))}
        if trial % 2:
            job.update({"solver": "sgd", "epochs": int(rng.integers(1, 6)), "seed": trial,
                        "schedule": ["pegasos", "decay", "constant"][trial // 2 % 3], "eta": 0.05})
        yield job


def svm_compare(job, engine, pt, np_out):
    scale_w = max(1.0, float(np.max(np.abs(engine["w"]))), abs(engine["b"]))
    obj = max(1.0, engine["objective"])
    if job.get("solver") == "sgd":
        ew = worst(pt["w"] + [pt["b"]], engine["w"] + [engine["b"]], scale_w)
        exact = pt["w"] == np_out["w"] and pt["b"] == np_out["b"]
        ok = ew <= 1e-9 and abs(pt["objective"] - engine["objective"]) <= 1e-9 * obj and \
            pt["steps"] == engine["steps"] and pt["support_vectors"] == engine["support_vectors"]
        return ok, (f"w, b within {ew:.1e} of the engine" +
                    (", bit for bit as the NumPy program" if exact else " (not bit for bit with NumPy)"))
    # w is unique (the objective is strictly convex in w); b need not be: on a flat stretch of the
    # objective any b there is optimal. Then the objective, computed from each w and b, decides.
    ew = worst(pt["w"], engine["w"], scale_w)
    eb = abs(pt["b"] - engine["b"]) / scale_w
    en = worst(pt["w"] + [pt["b"]], np_out["w"] + [np_out["b"]], scale_w)
    eo = abs(pt["objective"] - engine["objective"]) / obj
    note = f"exact: w within {ew:.1e} of the engine's SMO, b {eb:.1e}" + \
        (" (b not unique: the same objective)" if eb > 1e-6 else "") + f", NumPy {en:.1e}; objective {eo:.1e}"
    return ew <= 1e-6 and (eb <= 1e-6 or eo <= 1e-12) and en <= 1e-9 and eo <= 1e-9, note


# ---------------------------------------------------------------- optimizers
def optim_jobs(rng):
    kinds = [{"name": "sgd", "lr": 0.01, "momentum": 0.9, "nesterov": True},
             {"name": "adam", "lr": 0.05, "amsgrad": True}, {"name": "adamw", "lr": 0.02},
             {"name": "rmsprop", "lr": 0.01, "centered": True, "momentum": 0.5},
             {"name": "adagrad", "lr": 0.3, "lr_decay": 0.01, "weight_decay": 0.1},
             {"name": "adam", "lr": 0.05, "convention": "keras"}]
    surfaces = [{"name": "quadratic", "a": 1, "b": 0.3, "c": 8}, {"name": "rosenbrock", "p": 1, "q": 30},
                {"name": "himmelblau"}, {"name": "saddle"}]
    for trial in range(6):
        picks = rng.choice(len(kinds), size=int(rng.integers(1, 4)), replace=False)
        optimizers = [kinds[int(i)] for i in picks]
        if trial >= 4:
            n = int(rng.integers(5, 60))
            x = np.round(rng.uniform(-3, 3, n), 2)
            y = np.round(2 * x + 1 + rng.normal(0, 1, n), 2)
            surface = {"name": "regression", "x": x.tolist(), "y": y.tolist(),
                       "batch_size": int(rng.integers(1, n + 1)), "shuffle": bool(trial % 2), "seed": trial}
            start = [float(rng.uniform(-2, 2)), float(rng.uniform(-2, 2))]
        else:
            surface = surfaces[trial]
            start = [float(rng.uniform(-1.5, 1.5)), float(rng.uniform(-1.5, 1.5))]
        job = {"lesson": "optim", "surface": surface, "start": start, "optimizers": optimizers,
               "steps": int(rng.integers(20, 120))}
        if trial % 3 == 0:
            job["ema"] = 0.9
        yield job


def optim_compare(job, engine, pt, np_out):
    notes, ok = [], True
    for r, (a, b, c) in enumerate(zip(engine["runs"], pt["runs"], np_out["runs"])):
        flat = lambda run: np.array(run["path"], dtype=float).ravel()
        scale = max(1.0, float(np.max(np.abs(flat(a)))))
        d = float(np.max(np.abs(flat(a) - flat(b)))) / scale if len(a["path"]) == len(b["path"]) else np.inf
        dn = float(np.max(np.abs(flat(a) - flat(c)))) / scale if len(a["path"]) == len(c["path"]) else np.inf
        ok = ok and d <= 1e-9 and dn <= 1e-9 and (a["stopped"] is None) == (b["stopped"] is None)
        notes.append(f"{a['name']} {d:.1e} (NumPy {dn:.1e})")
    return ok and len(engine["runs"]) == len(pt["runs"]), "paths within " + ", ".join(notes)


# ---------------------------------------------------------------- networks
def mlp_jobs(rng):
    setups = [("tanh", "sigmoid", "bce", 1), ("relu", "linear", "mse", 2), ("sigmoid", "softmax", "cross_entropy", 3),
              ("leaky_relu", "linear", "hinge", 1), ("tanh", "tanh", "half_sse", 2)]
    optimizers = [{"name": "sgd", "lr": 0.1, "momentum": 0.9}, {"name": "adam", "lr": 0.01},
                  {"name": "rmsprop", "lr": 0.01}, {"name": "adamw", "lr": 0.02, "weight_decay": 0.1}]
    for trial, (act, out, loss, k) in enumerate(setups):
        layers = [2] + [int(rng.integers(1, 6)) for _ in range(int(rng.integers(1, 3)))] + [k]
        n = int(rng.integers(4, 20))
        x = np.round(rng.uniform(-2, 2, (n, 2)), 3).tolist()
        if loss == "cross_entropy":
            y = [int(v) for v in rng.integers(0, k, n)]
        elif loss == "hinge":
            y = [float(v) for v in rng.choice([-1.0, 1.0], n)]
        elif loss == "bce":
            y = [float(v) for v in rng.integers(0, 2, n)]
        else:
            y = np.round(rng.uniform(-1, 1, (n, k)), 3).tolist()
        job = {"lesson": "mlp", "layers": layers, "activation": act, "output_activation": out, "loss": loss,
               "init": "xavier_uniform", "seed": trial + 1, "data": {"x": x, "y": y},
               "scaling": ["none", "standardize", "minmax"][trial % 3],
               "optimizer": optimizers[trial % len(optimizers)], "batch_size": int(rng.integers(1, n + 1)),
               "shuffle": bool(trial % 2), "steps": int(rng.integers(1, 15))}
        if trial == 1:
            job["dropout"] = {"p": 0.3}
        yield job


def mlp_compare(job, engine, pt, np_out):
    def flat(out):
        vals = [out["loss"]] + list(np.ravel(out["predictions"])) + list(out.get("losses", []))
        for layer in out.get("weights", []):
            vals += list(np.ravel(layer))
        return np.array(vals, dtype=float)
    a, b, c = flat(engine), flat(pt), flat(np_out)
    if a.shape != b.shape or a.shape != c.shape:
        return False, f"shapes {a.shape} {b.shape} {c.shape}"
    scale = max(1.0, float(np.max(np.abs(a))))
    d, dn = float(np.max(np.abs(a - b))) / scale, float(np.max(np.abs(a - c))) / scale
    return d <= 1e-9 and dn <= 1e-9, f"loss, predictions, losses and weights within {d:.1e} (NumPy {dn:.1e})"


GENERATORS = {"conv": (conv_jobs, conv_compare), "batchnorm": (batchnorm_jobs, batchnorm_compare),
              "svm": (svm_jobs, svm_compare), "optim": (optim_jobs, optim_compare),
              "mlp": (mlp_jobs, mlp_compare)}


def main():
    cli = sys.argv[1]
    rng = np.random.default_rng(15)
    p = subprocess.run([cli, "lessons", "--json"], capture_output=True, text=True, timeout=60)
    lessons = json.loads(p.stdout)
    check(p.returncode == 0 and lessons, f"lessons --json lists {[l['name'] for l in lessons]}")
    without = []
    for lesson in lessons:
        name, frameworks = lesson["name"], lesson.get("python", [])
        if "torch" not in frameworks:
            code, text = export(cli, {"lesson": name}, "torch")
            message = json.loads(text).get("error", "") if text.strip().startswith("{") else text
            check(name not in REQUIRED, f"{name}: a PyTorch export is required for this lesson")
            check(code == 1 and f"the {name} lesson has no PyTorch export yet" in message,
                  f"{name}: no PyTorch export yet, and the CLI says so: {message!r}")
            without.append(name)
            continue
        if name not in GENERATORS:
            check(False, f"{name}: has a PyTorch export but no random jobs here (add it to GENERATORS)")
            continue
        jobs, compare = GENERATORS[name]
        for i, job in enumerate(jobs(rng)):
            code, engine = run(cli, job)
            tcode, program = export(cli, job, "torch")
            ncode, numpy_program = export(cli, job)
            ok = code == 0 and tcode == 0 and ncode == 0 and "import torch" in program and \
                "torch.float64" in program and "numpy" not in program
            what = f"{name} {i}" + "".join(f" {k}={job[k]}" for k in ("mode", "convention", "solver") if k in job)
            if not ok:
                check(False, f"{what}: exports ({code}, {tcode}, {ncode}) {engine}")
                continue
            pt, err = execute(program)
            np_out, nerr = execute(numpy_program)
            if pt is None or np_out is None:
                check(False, f"{what}: the programs run ({err or nerr})")
                continue
            ok, note = compare(job, engine, pt, np_out)
            check(ok, f"{what}: PyTorch program agrees: {note}")

    # The flag: numpy is the default, both spellings, a bad framework is a usage error.
    job = next(conv_jobs(np.random.default_rng(1)))
    default, numpy_flag = export(cli, job), export(cli, job, "numpy")
    check(default == numpy_flag and "import numpy as np" in default[1], "--framework numpy is the default")
    p = subprocess.run([cli, "python", "-", "--framework=torch"], input=json.dumps(job),
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 0 and p.stdout == export(cli, job, "torch")[1], "--framework=torch after the file")
    p = subprocess.run([cli, "python", "--framework", "jax", "-"], input=json.dumps(job),
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2 and "numpy or torch" in json.loads(p.stdout)["error"], "--framework jax -> usage error")
    p = subprocess.run([cli, "job", "--framework", "torch", "-"], input=json.dumps(job),
                       capture_output=True, text=True, timeout=60)
    check(p.returncode == 2, "job takes no --framework")
    code, text = export(cli, {"lesson": "conv", "input": 1}, "torch")
    check(code == 1 and "needs \"input\" and \"kernel\"" in json.loads(text)["error"],
          "an invalid job -> the job's own error, not a program")
    if without:
        print("note: no PyTorch export yet for " + ", ".join(without) + " (their registry lines leave it out)")
    sys.exit(1 if failed() else 0)


if __name__ == "__main__":
    main()
