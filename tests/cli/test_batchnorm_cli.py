#!/usr/bin/python3
"""CLI tests of {"lesson":"batchnorm"} jobs through `stepwise-cli job`.

Valid jobs are checked against an independent NumPy implementation (float64,
axis reductions over N, H, W; both conventions, both modes); the printed
trace is replayed record by record; gradients are checked against NumPy's
closed form; invalid jobs must print {"error": ...} and exit non-zero.
usage: test_batchnorm_cli.py STEPWISE_CLI
"""
import json
import sys

import numpy as np

from cli_common import check, failed, run


DEFAULTS = {"pytorch": (0.1, 1e-5), "keras": (0.99, 1e-3)}


def numpy_batchnorm(x, mode, convention, gamma, beta, eps, momentum, rmean, rvar):
    """y = gamma * (x - mu) / sqrt(var + eps) + beta, statistics per channel (axis 1)."""
    axes = (0,) if x.ndim == 2 else (0, 2, 3)
    bshape = (1, -1) if x.ndim == 2 else (1, -1, 1, 1)
    count = x.size // x.shape[1]
    if mode == "train":
        mu = x.mean(axis=axes)
        var = x.var(axis=axes)  # biased (ddof=0)
        if convention == "pytorch":
            new_rm = (1 - momentum) * rmean + momentum * mu
            unbiased = x.var(axis=axes, ddof=1) if count > 1 else None
            new_rv = rvar if unbiased is None else (1 - momentum) * rvar + momentum * unbiased
        else:
            new_rm = momentum * rmean + (1 - momentum) * mu
            new_rv = momentum * rvar + (1 - momentum) * var
    else:
        mu, var, new_rm, new_rv = rmean, rvar, rmean, rvar
    xhat = (x - mu.reshape(bshape)) / np.sqrt(var.reshape(bshape) + eps)
    y = gamma.reshape(bshape) * xhat + beta.reshape(bshape)
    return y, xhat, mu, var, new_rm, new_rv


def numpy_backward(dy, xhat, gamma, var_used, eps, training):
    axes = (0,) if dy.ndim == 2 else (0, 2, 3)
    bshape = (1, -1) if dy.ndim == 2 else (1, -1, 1, 1)
    count = dy.size // dy.shape[1]
    dbeta = dy.sum(axis=axes)
    dgamma = (dy * xhat).sum(axis=axes)
    scale = (gamma / np.sqrt(var_used + eps)).reshape(bshape)
    if not training:
        return scale * dy, dgamma, dbeta
    dx = scale * (dy - dbeta.reshape(bshape) / count - xhat * dgamma.reshape(bshape) / count)
    return dx, dgamma, dbeta


def random_job(rng, spatial=None, mode=None):
    """A random job and its NumPy result (y, xhat, mu, var, running_mean, running_var, gamma, eps)."""
    N = int(rng.integers(1, 10))
    C = int(rng.integers(1, 5))
    spatial = bool(rng.integers(0, 2)) if spatial is None else spatial
    shape = [N, C] + ([int(rng.integers(1, 5)), int(rng.integers(1, 5))] if spatial else [])
    offset = rng.uniform(-5, 5, size=C)
    scale = rng.uniform(0.1, 3, size=C)
    bshape = (1, -1) if not spatial else (1, -1, 1, 1)
    x = (offset.reshape(bshape) + scale.reshape(bshape) * rng.standard_normal(shape)).astype(np.float32)
    mode = mode or ("train" if rng.integers(0, 3) else "inference")
    convention = "pytorch" if rng.integers(0, 2) else "keras"
    job = {"lesson": "batchnorm", "mode": mode, "convention": convention,
           "input": {"shape": shape, "data": x.ravel().astype(float).tolist()}}
    momentum, eps = DEFAULTS[convention]
    gamma, beta = np.ones(C), np.zeros(C)
    rmean, rvar = np.zeros(C), np.ones(C)
    if rng.integers(0, 2):  # explicit values half of the time, the defaults otherwise
        gamma = np.round(rng.uniform(-2, 2, C), 3)
        beta = np.round(rng.uniform(-1, 1, C), 3)
        rmean = np.round(rng.uniform(-3, 3, C), 3)
        rvar = np.round(rng.uniform(0.2, 4, C), 3)
        momentum = float(np.round(rng.uniform(0, 1), 3))
        eps = float(rng.choice([1e-5, 1e-3, 0.1]))
        job.update({"gamma": gamma.tolist(), "beta": beta.tolist(), "running_mean": rmean.tolist(),
                    "running_var": rvar.tolist(), "momentum": momentum, "epsilon": eps})
    ref = numpy_batchnorm(x.astype(np.float64), mode, convention, gamma, beta, eps, momentum, rmean, rvar)
    return job, ref + (gamma, eps)


def close(a, b, tol=1e-4):
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= tol * (1 + np.abs(b))))


def main():
    cli = sys.argv[1]
    rng = np.random.default_rng(11)

    seen = set()
    for trial in range(80):
        job, (y, xhat, mu, var, rm, rv, _, _) = random_job(rng)
        code, out = run(cli, job)
        seen.add((job["mode"], job["convention"], len(job["input"]["shape"])))
        got = np.array(out["output"]["data"]).reshape(out["output"]["shape"])
        ok = (code == 0 and close(got, y) and close(out["batch_mean"], mu, 1e-5) and
              close(out["batch_var"], var, 1e-5) and close(out["running_mean"], rm, 1e-5) and
              close(out["running_var"], rv, 1e-5) and
              set(out) == {"output", "batch_mean", "batch_var", "running_mean", "running_var", "steps"})
        if not ok or trial % 20 == 0:
            check(ok, f"random job {trial}: {job['mode']}, {job['convention']}, shape {job['input']['shape']}")
        if not ok:
            print(json.dumps(job)[:400], json.dumps(out)[:400])
            return
    check(len(seen) == 8, f"all modes × conventions × ranks covered ({len(seen)} of 8)")
    check(True, "80 random batchnorm jobs equal the NumPy reference")

    # One value per channel (N = 1, N×C): variance 0, σ = √ε, x̂ = 0, y = β; no NaN.
    for conv in ("pytorch", "keras"):
        code, out = run(cli, {"lesson": "batchnorm", "convention": conv,
                              "input": {"shape": [1, 3], "data": [4, -2, 0.5]},
                              "beta": [0.25, -1, 2], "running_var": [2, 2, 2]})
        m = DEFAULTS[conv][0]
        expected_rv = [2, 2, 2] if conv == "pytorch" else [m * 2] * 3
        check(code == 0 and out["output"]["data"] == [0.25, -1, 2] and out["batch_var"] == [0, 0, 0] and
              close(out["running_var"], expected_rv, 1e-6),
              f"N = 1 ({conv}): y = β, running_var {out['running_var']}")

    # ε on a near-constant channel: x̂'s spread is √(σ²/(σ² + ε)).
    x = np.array([1.000, 1.001, 0.999, 1.000, 1.001, 0.999], dtype=np.float32).astype(np.float64)
    spreads = []
    for eps in (1e-7, 1e-5, 1e-3):
        code, out = run(cli, {"lesson": "batchnorm", "epsilon": eps,
                              "input": {"shape": [6, 1], "data": x.tolist()}})
        spreads.append(np.sqrt(np.mean(np.square(out["output"]["data"]))))
        check(code == 0 and abs(spreads[-1] - np.sqrt(x.var() / (x.var() + eps))) < 2e-3,
              f"ε = {eps:g}: spread of x̂ {spreads[-1]:.4f}")
    check(spreads[0] > spreads[1] > spreads[2], "more ε, smaller normalised values")

    # Running statistics over several batches: the job's output fed back in.
    for conv in ("pytorch", "keras"):
        rm, rv = np.zeros(2), np.ones(2)
        got_rm, got_rv = [0, 0], [1, 1]
        m, eps = DEFAULTS[conv]
        for b in range(6):
            xb = np.round(rng.normal([3, -1], [2, 0.5], size=(5, 2)), 2)
            _, _, _, _, rm, rv = numpy_batchnorm(xb, "train", conv, np.ones(2), np.zeros(2), eps, m, rm, rv)
            code, out = run(cli, {"lesson": "batchnorm", "convention": conv,
                                  "input": {"shape": [5, 2], "data": xb.ravel().tolist()},
                                  "running_mean": got_rm, "running_var": got_rv})
            got_rm, got_rv = out["running_mean"], out["running_var"]
        check(close(got_rm, rm, 1e-5) and close(got_rv, rv, 1e-5),
              f"{conv}: running statistics after 6 batches {np.round(got_rm, 4).tolist()}, "
              f"{np.round(got_rv, 4).tolist()}")

    # The trace: one record per op; replaying it reproduces every output.
    job, (y, *_rest) = random_job(rng, spatial=True, mode="train")
    job["trace"] = True
    code, out = run(cli, job)
    trace = out["trace"]
    check(code == 0 and len(trace) == out["steps"], f"trace has {len(trace)} = steps records")
    acc, xhat, outs = {}, {}, {}
    for rec in trace:
        t = (rec["target"]["tensor"], tuple(rec["target"]["index"]))
        reads = {r["tensor"]: r["value"] for r in rec["reads"]}
        if rec["kind"] in ("sum", "sqdev"):
            acc[t] = acc.get(t, 0.0) + rec["value"]
        elif rec["kind"] == "normalize":
            xhat[t[1]] = (reads["x"] - reads["μ"]) / reads["σ"]
        elif rec["kind"] == "affine":
            outs[t[1]] = reads["γ"] * xhat[t[1]] + reads["β"]
    replay = np.array([outs[idx] for idx in np.ndindex(*y.shape)]).reshape(y.shape)
    check(close(replay, y, 1e-4), "replaying the trace reproduces the output")
    check(all(set(r) >= {"kind", "target", "reads", "value", "result", "formula"} for r in trace),
          "every record has kind, target, reads, value, result, formula")
    kinds = [r["kind"] for r in trace]
    M = y.size // y.shape[1]
    check(kinds[:M + 1] == ["sum"] * M + ["mean"] and kinds[4 * M + 3:4 * M + 5] == ["running_mean", "running_var"],
          "per channel: sums, mean, ..., running updates")

    # Gradients (the optional grad_output) against the closed form.
    for mode in ("train", "inference"):
        job, (y, xhat, mu, var, rm, rv, gamma, eps) = random_job(rng, mode=mode)
        dy = np.round(rng.uniform(-1, 1, size=y.shape), 3)
        job["grad_output"] = {"shape": list(y.shape), "data": dy.ravel().tolist()}
        code, out = run(cli, job)
        dx, dg, db = numpy_backward(dy, xhat, gamma, var, eps, mode == "train")
        scale = max(1.0, np.abs(dx).max())
        got = np.array(out["grad_input"]["data"]).reshape(y.shape)
        check(code == 0 and np.abs(got - dx).max() < 2e-4 * scale and close(out["grad_gamma"], dg, 1e-4) and
              close(out["grad_beta"], db, 1e-4), f"gradients ({mode}) equal the closed form")

    ok_input = {"shape": [2, 2], "data": [1, 2, 3, 4]}
    invalid = [
        ('{"lesson":"batchnorm"}', 'a batchnorm job needs "input"'),
        ({"lesson": "batchnorm", "input": ok_input, "mode": "eval"}, 'mode must be "train" or "inference"'),
        ({"lesson": "batchnorm", "input": ok_input, "convention": "mxnet"}, 'convention must be "pytorch" or "keras"'),
        ({"lesson": "batchnorm", "input": ok_input, "epsilon": 0}, "epsilon must be greater than 0"),
        ({"lesson": "batchnorm", "input": ok_input, "epsilon": -1}, "epsilon must be greater than 0"),
        ({"lesson": "batchnorm", "input": ok_input, "momentum": 1.01}, "momentum must be between 0 and 1"),
        ({"lesson": "batchnorm", "input": ok_input, "momentum": -0.1}, "momentum must be between 0 and 1"),
        ({"lesson": "batchnorm", "input": ok_input, "gamma": [1]}, "gamma has 1 value; the input has 2 channels"),
        ({"lesson": "batchnorm", "input": ok_input, "running_var": [1, -1]}, "running_var[1] is negative"),
        ({"lesson": "batchnorm", "input": ok_input, "running_mean": [1, 2, 3]}, "running_mean has 3 values"),
        ({"lesson": "batchnorm", "input": ok_input, "eps": 1e-5}, "unknown field 'eps'"),
        ({"lesson": "batchnorm", "input": {"shape": [2, 2], "data": [1, 2, 3]}},
         "input.data has 3 values but shape 2×2 needs 4"),
        ({"lesson": "batchnorm", "input": {"shape": [4], "data": [1, 2, 3, 4]}},
         "input.shape must be [N, C] or [N, C, H, W]"),
        ({"lesson": "batchnorm", "input": {"shape": [2, 2], "data": [1, 2, 3, 1e30]}}, "input[3] is beyond"),
        ({"lesson": "batchnorm", "input": {"shape": [4096, 4096], "data": []}}, "exceeds the limit of 4194304 elements"),
        ({"lesson": "batchnorm", "input": {"shape": [1, 1, 5000, 1], "data": []}}, "input.shape[2] must be between 1 and 4096"),
        ('{"lesson":"batchnorm","input":{"shape":[1,1],"data":[NaN]}}', "the job is not valid JSON"),
        ('{"lesson":"batchnorm","input":{"shape":[1,1],"data":[Infinity]}}', "the job is not valid JSON"),
        ('{"lesson":"batchnorm","input":{"shape":[1,1],"data":[1e999]}}', "the job is not valid JSON"),
    ]
    for job, message in invalid:
        code, out = run(cli, job)
        check(code != 0 and message in out.get("error", "") and set(out) == {"error"},
              f"invalid job -> {out.get('error')!r}")


main()
sys.exit(1 if failed() else 0)
