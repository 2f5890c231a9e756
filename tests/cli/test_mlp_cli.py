#!/usr/bin/python3
"""CLI tests of the network lesson: `stepwise-cli job` with {"lesson":"mlp",...}.

Random networks of every hidden activation, output activation and loss, with
and without dropout masks, feature scaling and mini-batches, against torch
autograd and torch.optim 1.13 in float64 written here (forward values, every
gradient, several training steps of every optimizer): 1e-9 relative. The
published backpropagation walk-through's numbers. The NumPy and PyTorch
exports run under /usr/bin/python3 and print the job's numbers. Invalid jobs
print {"error": ...} and exit 1.
usage: /usr/bin/python3 test_mlp_cli.py STEPWISE_CLI
"""
import json
import subprocess
import sys

import numpy as np
import torch
import torch.nn.functional as F

from cli_common import check, failed, run

torch.set_default_dtype(torch.float64)
TOL = 1e-9
ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
       "leaky_relu": lambda z: F.leaky_relu(z, 0.01), "linear": lambda z: z,
       "softmax": lambda z: torch.softmax(z, dim=1)}


def rel(a, b):
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return float("inf")
    return float(np.max(np.abs(a - b) / (1e-12 + np.maximum(np.abs(a), np.abs(b))), initial=0)) if a.size else 0.0


def close(a, b):
    """Relative 1e-9, or absolute 1e-13 near zero (sums that cancel)."""
    a, b = np.asarray(a, dtype=np.float64).ravel(), np.asarray(b, dtype=np.float64).ravel()
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= TOL * np.maximum(np.abs(a), np.abs(b)) + 1e-13))


def flat(v):
    return np.concatenate([np.asarray(x, dtype=np.float64).ravel() for x in v]) if len(v) else np.zeros(0)


def torch_reference(job):
    """The job computed by torch here: returns the same fields as the engine."""
    sizes, L = job["layers"], len(job["layers"]) - 1
    acts = job.get("activation", "tanh")
    acts = acts if isinstance(acts, list) else [acts] * (L - 1)
    out_act, loss_kind = job.get("output_activation", "sigmoid"), job.get("loss", "mse")
    X = torch.tensor(job["data"]["x"])
    if job.get("scaling") == "standardize":
        X = (X - X.mean(0)) / X.std(0, unbiased=False)
    elif job.get("scaling") == "minmax":
        X = (X - X.min(0).values) / (X.max(0).values - X.min(0).values)
    ce = loss_kind == "cross_entropy"
    Y = torch.tensor(job["data"]["y"]) if ce else torch.tensor(
        [y if isinstance(y, list) else [y] for y in job["data"]["y"]])
    Ws = [torch.tensor(w).reshape(sizes[l + 1], sizes[l]).requires_grad_() for l, w in enumerate(job["weights"])]
    Bs = [torch.tensor(b).requires_grad_() for b in job["biases"]]
    params = [p for l in range(L) for p in (Ws[l], Bs[l])]
    dr = job.get("dropout")
    masks = [torch.tensor(m, dtype=torch.float64) for m in dr["masks"]] if dr and job.get("mode", "train") == "train" else None

    def forward(x, idx):
        a = x
        for l in range(L):
            z = a @ Ws[l].T + Bs[l]
            if l == L - 1:
                return z, ACT[out_act](z)
            a = ACT[acts[l]](z)
            if masks is not None:
                a = a * masks[l][idx] / (1 - dr["p"])

    def loss_fn(z, yh, y):
        if loss_kind == "mse":
            return F.mse_loss(yh, y)
        if loss_kind == "half_sse":
            return 0.5 * ((yh - y) ** 2).sum()
        if loss_kind == "bce":
            return F.binary_cross_entropy(yh, y)
        if ce:
            return F.cross_entropy(z, y.long())
        return torch.clamp(1 - y * yh, min=0).mean()

    n = len(X)
    allidx = torch.arange(n)
    z, yh = forward(X, allidx)
    loss = loss_fn(z, yh, Y)
    grads = torch.autograd.grad(loss, params)
    res = {"predictions": yh.detach().numpy(), "loss": loss.item(),
           "gw": flat([g.detach() for g in grads[0::2]]), "gb": flat([g.detach() for g in grads[1::2]])}
    steps = job.get("steps", 0)
    if steps:
        o = dict(job["optimizer"])
        cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
               "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[o.pop("name")]
        if "betas" in o:
            o["betas"] = tuple(o["betas"])
        opt = cls(params, **o)
        bs = job.get("batch_size", n)
        per = (n + bs - 1) // bs
        losses = []
        for t in range(steps):
            with torch.no_grad():
                losses.append(loss_fn(*forward(X, allidx), Y).item())
            b = (t % per) * bs
            idx = torch.arange(b, min(n, b + bs))
            opt.zero_grad()
            loss_fn(*forward(X[idx], idx), Y[idx]).backward()
            opt.step()
        with torch.no_grad():
            losses.append(loss_fn(*forward(X, allidx), Y).item())
        res.update({"losses": losses, "weights": flat([w.detach() for w in Ws]),
                    "biases": flat([b.detach() for b in Bs])})
    return res


def random_job(rng, hidden_acts, out_act, loss, opt, dropout=False, scaling="none", batch=None, steps=4,
               inputs=2, outputs=1, n=9):
    layers = [inputs] + [int(rng.integers(2, 5)) for _ in hidden_acts] + [outputs]
    W = [rng.normal(0, 0.8, layers[l + 1] * layers[l]).tolist() for l in range(len(layers) - 1)]
    B = [rng.normal(0, 0.3, layers[l + 1]).tolist() for l in range(len(layers) - 1)]
    x = rng.normal(0, 1.5, (n, inputs)).round(3).tolist()
    if loss == "cross_entropy":
        y = rng.integers(0, outputs, n).tolist()
    elif loss == "bce":
        y = [rng.uniform(0, 1, outputs).round(3).tolist() if outputs > 1 else float(rng.integers(0, 2)) for _ in range(n)]
    elif loss == "hinge":
        y = [float(rng.choice([-1, 1])) for _ in range(n)]
    else:
        y = [rng.normal(0, 1, outputs).round(3).tolist() for _ in range(n)]
    job = {"lesson": "mlp", "layers": layers, "activation": hidden_acts, "output_activation": out_act,
           "loss": loss, "weights": W, "biases": B, "data": {"x": x, "y": y}, "scaling": scaling,
           "optimizer": opt, "steps": steps}
    if batch:
        job["batch_size"] = batch
    if dropout and hidden_acts:
        job["dropout"] = {"p": 0.3, "masks": [rng.integers(0, 2, (n, layers[l + 1])).tolist()
                                              for l in range(len(hidden_acts))]}
    return job


def compare(job, what):
    code, out = run(cli, job)
    if code != 0:
        check(False, f"{what}: runs ({out})")
        return
    ref = torch_reference(job)
    ok = close(flat(out["predictions"]), ref["predictions"]) and close(out["loss"], ref["loss"])
    ok = ok and close(flat(out["grads"]["weights"]), ref["gw"]) and close(flat(out["grads"]["biases"]), ref["gb"])
    if "losses" in ref:
        ok = ok and close(out["losses"], ref["losses"]) and close(flat(out["weights"]), ref["weights"])
        ok = ok and close(flat(out["biases"]), ref["biases"])
    if not ok:
        print("   engine", out["loss"], flat(out["grads"]["weights"])[:4], out.get("losses"))
        print("   torch ", ref["loss"], ref["gw"][:4], ref.get("losses"))
    check(ok, f"{what}: forward, loss, every gradient and the trained weights match torch")


cli = sys.argv[1]
rng = np.random.default_rng(13)

# The published walk-through (2-2-2 sigmoid, half squared error).
walk = {"lesson": "mlp", "layers": [2, 2, 2], "activation": "sigmoid", "output_activation": "sigmoid",
        "loss": "half_sse", "weights": [[0.15, 0.20, 0.25, 0.30], [0.40, 0.45, 0.50, 0.55]],
        "biases": [[0.35, 0.35], [0.60, 0.60]], "data": {"x": [[0.05, 0.10]], "y": [[0.01, 0.99]]},
        "optimizer": {"name": "sgd", "lr": 0.5}, "steps": 1}
code, out = run(cli, walk)
check(code == 0 and abs(out["loss"] - 0.298371109) < 5e-10, "walk-through: total error 0.298371109")
check(abs(out["weights"][1][0] - 0.35891648) < 5e-9 and abs(out["weights"][0][0] - 0.149780716) < 5e-10,
      "walk-through: w5 → 0.35891648 and w1 → 0.149780716 after one step (lr 0.5)")
compare(walk, "walk-through")

OPTS = [{"name": "sgd", "lr": 0.1}, {"name": "sgd", "lr": 0.05, "momentum": 0.9, "nesterov": True},
        {"name": "sgd", "lr": 0.05, "momentum": 0.8, "dampening": 0.2, "weight_decay": 0.01},
        {"name": "adagrad", "lr": 0.1, "lr_decay": 0.01}, {"name": "rmsprop", "lr": 0.01, "centered": True, "momentum": 0.5},
        {"name": "adam", "lr": 0.02}, {"name": "adam", "lr": 0.02, "amsgrad": True, "weight_decay": 0.01},
        {"name": "adamw", "lr": 0.02, "weight_decay": 0.1}]
HID = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
for i, h in enumerate(HID):
    compare(random_job(rng, [h, HID[(i + 1) % 5]], "linear", "mse", OPTS[i % len(OPTS)]), f"{h} hidden, mse")
compare(random_job(rng, ["tanh"], "sigmoid", "bce", OPTS[5], outputs=3), "sigmoid output, bce, 3 outputs")
compare(random_job(rng, ["relu", "tanh"], "softmax", "cross_entropy", OPTS[6], outputs=3), "softmax, cross_entropy")
compare(random_job(rng, ["tanh"], "linear", "hinge", OPTS[1]), "linear output, hinge")
compare(random_job(rng, ["sigmoid"], "tanh", "half_sse", OPTS[2], outputs=2), "tanh output, half_sse")
compare(random_job(rng, [], "linear", "mse", OPTS[0]), "no hidden layer")
for k, o in enumerate(OPTS):
    compare(random_job(rng, ["tanh", "relu"], "sigmoid", "bce", o, dropout=k % 2 == 0,
                       scaling=["none", "standardize", "minmax"][k % 3], batch=[None, 4, 1][k % 3], steps=7),
            f"{o['name']} {k}: dropout masks, scaling, batches, 7 steps")
compare(random_job(rng, ["tanh", "tanh"], "linear", "mse", OPTS[5], dropout=True, inputs=5, n=12),
        "5 inputs, dropout")

# Exports: NumPy and PyTorch programs print the job's numbers.
for fw in ("numpy", "torch"):
    job = random_job(rng, ["tanh", "relu"], "sigmoid", "bce", OPTS[5], dropout=True, batch=4, steps=5)
    code, out = run(cli, job)
    prog = subprocess.run([cli, "python", "--framework", fw, "-"], input=json.dumps(job), capture_output=True, text=True)
    res = subprocess.run(["/usr/bin/python3", "-c", prog.stdout], capture_output=True, text=True)
    ok = res.returncode == 0
    if ok:
        got = json.loads(res.stdout)
        ok = close(got["loss"], out["loss"]) and close(got["losses"], out["losses"])
        ok = ok and close(flat(got["weights"]), flat(out["weights"])) and close(flat(got["grads"]["weights"]), flat(out["grads"]["weights"]))
    else:
        print(res.stderr[-800:])
    check(ok, f"the {fw} export reproduces the job (dropout, batches, adam)")

# Invalid jobs.
BAD = [
    ({"layers": [2, 1], "loss": "bce", "output_activation": "linear"}, "bce needs a sigmoid output"),
    ({"layers": [2, 2], "loss": "cross_entropy", "output_activation": "softmax", "data": {"x": [[0, 0]], "y": [5]}}, "label"),
    ({"layers": [2, 3, 1], "dropout": {"p": 1.0}}, "p"),
    ({"layers": [2, 17, 1]}, "layers"),
    ({"layers": [2, 1], "weights": [[1, 2, 3]], "biases": [[0]]}, "weights"),
    ({"layers": [2, 1], "data": {"x": [[0, float("nan")]], "y": [1]}}, "nan"),
    ({"layers": [2, 1], "steps": 10 ** 6}, "steps"),
    ({"layers": [2, 1], "optimizer": {"name": "adam", "lr": -1}}, "lr"),
]
for patch, what in BAD:
    job = {"lesson": "mlp", "layers": [2, 1], "data": {"x": [[0, 1], [1, 0]], "y": [1, 0]}}
    job.update(patch)
    text = json.dumps(job).replace("NaN", "NaN")
    p = subprocess.run([cli, "job", "-"], input=text, capture_output=True, text=True)
    try:
        out = json.loads(p.stdout.strip() or "{}")
    except ValueError:
        out = {}
    check(p.returncode == 1 and "error" in out, f"invalid job refused with a message: {what} ({out.get('error')})")

sys.exit(1 if failed() else 0)
