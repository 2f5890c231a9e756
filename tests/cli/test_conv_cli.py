#!/usr/bin/python3
"""CLI tests: `stepwise-cli job` and `stepwise job` on valid and invalid JSON jobs.

Valid jobs are checked against an independent NumPy reference (float64,
explicit padding, strided/dilated slicing); invalid ones must print
{"error": "..."} with a clear message and exit non-zero.
usage: test_cli.py STEPWISE_CLI [STEPWISE_DESKTOP]
"""
import json
import os
import subprocess
import sys

import numpy as np

from cli_common import check, failed, run


def numpy_conv(x, k, b, stride, pad, dil, relu):
    """out[f,y,x] = sum_c,i,j xpad[c, y*sh + i*dh, x*sw + j*dw] * k[f,c,i,j] + b[f]"""
    C, H, W = x.shape
    F, _, KH, KW = k.shape
    xp = np.pad(x, ((0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    HO = (H + 2 * pad[0] - dil[0] * (KH - 1) - 1) // stride[0] + 1
    WO = (W + 2 * pad[1] - dil[1] * (KW - 1) - 1) // stride[1] + 1
    out = np.zeros((F, HO, WO))
    for i in range(KH):
        for j in range(KW):
            window = xp[:, i * dil[0]: i * dil[0] + stride[0] * (HO - 1) + 1: stride[0],
                        j * dil[1]: j * dil[1] + stride[1] * (WO - 1) + 1: stride[1]]
            out += np.einsum("chw,fc->fhw", window, k[:, :, i, j])
    out += np.asarray(b)[:, None, None]
    return np.maximum(out, 0) if relu else out


def random_job(rng):
    while True:
        C, F = rng.integers(1, 4, size=2)
        H, W = rng.integers(1, 12, size=2)
        KH, KW = rng.integers(1, 5, size=2)
        stride = rng.integers(1, 4, size=2).tolist()
        pad = rng.integers(0, 3, size=2).tolist()
        dil = rng.integers(1, 3, size=2).tolist()
        if dil[0] * (KH - 1) + 1 <= H + 2 * pad[0] and dil[1] * (KW - 1) + 1 <= W + 2 * pad[1]:
            break
    x = np.round(rng.uniform(-2, 2, size=(C, H, W)), 3)
    k = np.round(rng.uniform(-1, 1, size=(F, C, KH, KW)), 3)
    b = np.round(rng.uniform(-1, 1, size=F), 3)
    relu = bool(rng.integers(0, 2))
    job = {"lesson": "conv",
           "input": {"shape": [int(C), int(H), int(W)], "data": x.ravel().tolist()},
           "kernel": {"shape": [int(F), int(C), int(KH), int(KW)], "data": k.ravel().tolist()},
           "bias": b.tolist(), "stride": stride, "padding": pad, "dilation": dil,
           "activation": "relu" if relu else "none"}
    return job, numpy_conv(x, k, b, stride, pad, dil, relu)


def main():
    binaries = sys.argv[1:]
    rng = np.random.default_rng(7)
    cli = binaries[0]

    for trial in range(60):
        job, ref = random_job(rng)
        code, out = run(cli, job, via_file=trial % 2 == 0)
        got = np.array(out["output"]["data"]).reshape(out["output"]["shape"])
        ok = code == 0 and got.shape == ref.shape and np.allclose(got, ref, rtol=1e-5, atol=1e-5)
        if not ok or trial % 20 == 0:
            check(ok, f"random job {trial}: shape {list(ref.shape)}, max |diff| "
                      f"{np.abs(got - ref).max() if got.shape == ref.shape else 'shape mismatch'}")
        if not ok:
            return
    check(True, "60 random conv jobs equal the NumPy reference")

    # The trace: one record per op; replaying its products gives the output.
    job, ref = random_job(rng)
    job["trace"] = True
    code, out = run(cli, job)
    trace = out["trace"]
    check(code == 0 and len(trace) == out["steps"], f"trace has {len(trace)} = steps records")
    acc = {}
    for rec in trace:
        t = tuple(rec["target"]["index"])
        if rec["kind"] == "mac":
            acc[t] = acc.get(t, 0.0) + rec["reads"][0]["value"] * rec["reads"][1]["value"]
        elif rec["kind"] == "bias":
            acc[t] += rec["reads"][0]["value"]
        else:
            acc[t] = max(0.0, acc[t])
    replay = np.array([acc[idx] for idx in np.ndindex(*ref.shape)]).reshape(ref.shape)
    check(np.allclose(replay, ref, atol=1e-5), "replaying the trace reproduces the output")
    check(all(set(r) >= {"kind", "target", "value", "formula"} for r in trace),
          "every record has kind, target, value, formula")

    invalid = [
        ("{not json", "the job is not valid JSON"),
        ('{"lesson":"conv"}', 'a conv job needs "input" and "kernel"'),
        ('{"lesson":"nope"}', "unknown lesson 'nope'"),
        ({"lesson": "conv", "input": {"shape": [1, 3, 3], "data": [0] * 9},
          "kernel": {"shape": [1, 1, 2, 2], "data": [1, 1, 1, 1]}, "stride": [0, 1]},
         "stride[0] must be between 1 and 16 (got 0)"),
        ({"lesson": "conv", "input": {"shape": [1, 3, 3], "data": [0] * 9},
          "kernel": {"shape": [1, 1, 5, 5], "data": [1] * 25}},
         "kernel is taller than the padded input"),
        ({"lesson": "conv", "input": {"shape": [1, 3, 3], "data": [0] * 9},
          "kernel": {"shape": [1, 2, 2, 2], "data": [1] * 8}},
         "kernel has 2 input channels but the input has 1"),
        ({"lesson": "conv", "input": {"shape": [1, 3, 3], "data": [0] * 9},
          "kernel": {"shape": [1, 1, 2, 2], "data": [1] * 4}, "padding": [-1, 0]},
         "padding[0] must be between 0 and 32"),
        ({"lesson": "conv", "input": {"shape": [1000000000, 1, 1], "data": []},
          "kernel": {"shape": [1, 1, 1, 1], "data": [1]}},
         "input.shape[0] must be between 1 and 1024"),
        ('{"lesson":"conv","input":{"shape":[1,1,1],"data":[NaN]},"kernel":{"shape":[1,1,1,1],"data":[1]}}',
         "the job is not valid JSON"),
    ]
    for job, message in invalid:
        code, out = run(cli, job)
        check(code != 0 and message in out.get("error", ""), f"invalid job -> {out.get('error')!r}")

    # More values than any lesson takes (2^24): refused while parsing, before
    # they fill memory (a 240 MB job of zeros once took 5 GB and 75 s).
    many = '{"lesson":"conv","input":{"shape":[1,1,1],"data":[' + "0," * (1 << 24) + '0]},' \
           '"kernel":{"shape":[1,1,1,1],"data":[1]}}'
    code, out = run(cli, many)
    check(code == 1 and out.get("error") == "the job holds more than 16777216 values; no lesson takes that many",
          f"a job with 2^24 + 1 numbers -> {out.get('error')!r}")

    # "Reproduce in Python": the exported NumPy program recomputes the job's numbers.
    for trial in range(8):
        job, ref = random_job(rng)
        code, engine = run(cli, job)
        p = subprocess.run([cli, "python", "-"], input=json.dumps(job), capture_output=True, text=True)
        ok = p.returncode == 0 and "import numpy as np" in p.stdout and "torch" in p.stdout
        py = subprocess.run(["/usr/bin/python3", "-c", p.stdout], capture_output=True, text=True, timeout=60)
        ok = ok and py.returncode == 0
        if ok:
            got = json.loads(py.stdout)["output"]
            ok = got["shape"] == engine["output"]["shape"] and np.allclose(
                got["data"], engine["output"]["data"], rtol=1e-5, atol=1e-5)
        check(ok, f"python export {trial}: the NumPy program reproduces the engine's output" +
              ("" if ok else f" ({py.stderr.strip()[-200:]})"))
    # The same for batch norm: every mode, convention and rank.
    for trial in range(8):
        N, C = int(rng.integers(1, 6)), int(rng.integers(1, 4))
        shape = [N, C] if trial % 2 else [N, C, int(rng.integers(1, 4)), int(rng.integers(1, 4))]
        job = {"lesson": "batchnorm", "mode": ["train", "inference"][trial // 2 % 2],
               "convention": ["pytorch", "keras"][trial // 4],
               "input": {"shape": shape, "data": np.round(rng.normal(2, 3, size=int(np.prod(shape))), 3).tolist()},
               "gamma": np.round(rng.uniform(0.5, 2, C), 3).tolist(), "beta": np.round(rng.uniform(-1, 1, C), 3).tolist(),
               "running_mean": np.round(rng.uniform(-1, 1, C), 3).tolist(), "running_var": np.round(rng.uniform(0.5, 2, C), 3).tolist()}
        code, engine = run(cli, job)
        p = subprocess.run([cli, "python", "-"], input=json.dumps(job), capture_output=True, text=True)
        py = subprocess.run(["/usr/bin/python3", "-c", p.stdout], capture_output=True, text=True, timeout=60)
        ok = code == 0 and p.returncode == 0 and py.returncode == 0
        if ok:
            got = json.loads(py.stdout)
            ok = got["output"]["shape"] == engine["output"]["shape"] and all(
                np.allclose(got[k] if k != "output" else got[k]["data"],
                            engine[k] if k != "output" else engine[k]["data"], rtol=1e-4, atol=1e-4)
                for k in ["output", "batch_mean", "batch_var", "running_mean", "running_var"])
        check(ok, f"batchnorm python export {trial} ({job['mode']}, {job['convention']}, rank {len(shape)}) "
                  "reproduces the engine" + ("" if ok else f" ({py.stderr.strip()[-300:]})"))

    p = subprocess.run([cli, "python", "-"], input='{"lesson":"conv","input":1}', capture_output=True, text=True)
    check(p.returncode == 1 and "needs \"input\" and \"kernel\"" in json.loads(p.stdout)["error"],
          "python export of an invalid job -> clear error")

    p = subprocess.run([cli, "job"], capture_output=True, text=True)
    check(p.returncode == 2 and "usage" in json.loads(p.stdout)["error"], "missing file argument -> usage")
    p = subprocess.run([cli, "job", "/nonexistent.json"], capture_output=True, text=True)
    check(p.returncode == 2 and "cannot open" in json.loads(p.stdout)["error"], "missing file -> clear error")

    # The desktop binary runs the same jobs without opening a window.
    if len(binaries) > 1:
        job, ref = random_job(rng)
        env = dict(os.environ)
        env.pop("DISPLAY", None)
        p = subprocess.run([binaries[1], "job", "-"], input=json.dumps(job), capture_output=True,
                           text=True, env=env, timeout=60)
        got = np.array(json.loads(p.stdout)["output"]["data"]).reshape(ref.shape)
        check(p.returncode == 0 and np.allclose(got, ref, atol=1e-5), "`stepwise job -` works without a display")


main()
sys.exit(1 if failed() else 0)
