// The optimizer lesson as a PyTorch program (`stepwise python --framework torch`).
//
// PyTorch-convention optimizers are torch.optim's own classes (SGD, Adagrad,
// RMSprop, Adam, AdamW) stepping one float64 parameter tensor [x, y] whose
// gradient comes from autograd on f (regression: the batch's mean squared
// residual, batches in the engine's order). Keras-convention optimizers have
// no torch.optim class: they are Keras 3's update_step transcribed in torch.
// Prints the same JSON as the NumPy export.
#include "optim_job.h"

namespace sw {

std::string optim_python_data(const OptimSetup& s);  // optim_python.cpp

namespace {

const char* kTorch = R"PY(
X, Y = torch.tensor(DATA_X), torch.tensor(DATA_Y)


def f(p, idx=None):
    x, y = p[0], p[1]
    if SURFACE == "quadratic":
        return 0.5 * (A * x * x + 2 * B * x * y + C * y * y)
    if SURFACE == "rosenbrock":
        return (P - x) ** 2 + Q * (y - x * x) ** 2
    if SURFACE == "beale":
        return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y ** 2) ** 2 + (2.625 - x + x * y ** 3) ** 2
    if SURFACE == "himmelblau":
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2
    if SURFACE == "saddle":
        return x * x + y ** 4 / 4 - y * y / 2
    xs, ys = (X, Y) if idx is None else (X[idx], Y[idx])
    return ((x * xs + y - ys) ** 2).mean()


def make(o, p):
    """torch.optim for the PyTorch convention; None for Keras (keras_step below)."""
    if o["convention"] == "keras":
        return None
    kw = {k: v for k, v in o.items() if k not in ("name", "convention")}
    if "betas" in kw:
        kw["betas"] = tuple(kw["betas"])
    cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
           "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[o["name"]]
    return cls([p], **kw)


@torch.no_grad()
def keras_step(o, p, g, st, t):
    """Keras 3's update_step (and its decoupled weight decay) on p, in torch."""
    lr, wd, name = o["lr"], o.get("weight_decay", 0.0), o["name"]
    zeros = lambda: torch.zeros(2)
    if wd:
        p.copy_(p - p * wd * lr)
    if name == "sgd":
        mu = o["momentum"]
        if mu == 0:
            p.copy_(p - g * lr)
            return
        m = st["momentum"] = st.get("momentum", zeros()) * mu - g * lr
        p.copy_(p + (m * mu - g * lr) if o["nesterov"] else p + m)
    elif name == "adagrad":
        acc = st["accumulator"] = st.get("accumulator", torch.full((2,), o["initial_accumulator_value"])) + g * g
        p.copy_(p - (lr * g) / torch.sqrt(acc + o["eps"]))
    elif name == "rmsprop":
        rho, eps, mu = o["alpha"], o["eps"], o["momentum"]
        v = st["velocity"] = rho * st.get("velocity", zeros()) + (1 - rho) * (g * g)
        if o["centered"]:
            a = st["average_gradient"] = rho * st.get("average_gradient", zeros()) + (1 - rho) * g
            den = torch.sqrt((v - a * a) + eps)
        else:
            den = torch.sqrt(v + eps)
        inc = (lr * g) / den
        if mu > 0:
            st["momentum"] = mu * st.get("momentum", zeros()) + inc
            p.copy_(p - st["momentum"])
        else:
            p.copy_(p - inc)
    else:
        b1, b2 = o["betas"]
        alpha = lr * math.sqrt(1 - b2 ** float(t)) / (1 - b1 ** float(t))
        m0, v0 = st.get("momentum", zeros()), st.get("velocity", zeros())
        m = st["momentum"] = m0 + (g - m0) * (1 - b1)
        v = st["velocity"] = v0 + (g * g - v0) * (1 - b2)
        if o["amsgrad"]:
            v = st["velocity_hat"] = torch.maximum(st.get("velocity_hat", zeros()), v)
        p.copy_(p - (m * alpha) / (torch.sqrt(v) + o["eps"]))


def state_of(o, opt, p, st, t):
    if opt is None:
        s = {k: v.tolist() for k, v in st.items()}
        s["iterations"] = t
        return s
    s = {k: (v.tolist() if torch.is_tensor(v) and v.dim() > 0 else float(v))
         for k, v in opt.state[p].items() if v is not None}
    s["step"] = t
    return s


runs = []
for o in OPTIMIZERS:
    p = torch.tensor(START, requires_grad=True)
    opt, st = make(o, p), {}
    ema = p.detach().clone()
    path, loss, ema_path, stopped = [p.tolist()], [float(f(p))], [ema.tolist()], None
    state = state_of(o, opt, p, st, 0)
    for t in range(1, STEPS + 1):
        p.grad = None
        value = f(p, batch_of(t - 1) if SURFACE == "regression" else None)
        value.backward()
        g = p.grad.detach().clone()
        if opt is not None:
            opt.step()
        else:
            keras_step(o, p, g, st, t)
        with torch.no_grad():
            new = p.detach().clone()
            new_ema = EMA * ema + (1 - EMA) * new if EMA is not None else ema
            fn = float(f(new)) if not bad(*new.tolist()) else math.inf
        s = state_of(o, opt, p, st, t)
        values = [x for v in s.values() if isinstance(v, list) for x in v]
        if bad(*g.tolist(), *new.tolist(), fn, *new_ema.tolist(), *values):
            stopped = "stopped at update %d" % t
            break
        ema, state = new_ema, s
        path.append(new.tolist()); loss.append(fn); ema_path.append(ema.tolist())
    run = {"name": o["name"], "path": path, "loss": loss, "state": state, "stopped": stopped}
    if EMA is not None:
        run["ema_path"] = ema_path
    runs.append(run)
print(json.dumps({"runs": runs, "updates": STEPS}))
)PY";

}  // namespace

bool optim_torch(const Json& job, std::string& out, std::string& err) {
  OptimSetup s;
  bool trace;
  if (!optim_setup_from_job(job, s, &trace, err)) return false;
  out =
      "# Stepwise: the optimizer lesson recomputed with PyTorch (torch.optim, autograd, float64).\n"
      "import json\nimport math\n\nimport torch\n\n"
      "torch.set_default_dtype(torch.float64)\n\n" +
      optim_python_data(s) + kTorch;
  return true;
}

}  // namespace sw
