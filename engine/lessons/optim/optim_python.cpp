// The optimizer lesson as a NumPy program: the "reproduce in Python" export.
//
// Every optimizer is transcribed from torch.optim 1.13 (or Keras 3 under
// "keras") with NumPy float64 arrays and the analytic gradients, in the same
// order of operations as the engine, so the paths agree to rounding. The
// program prints {"runs":[{"name","path","loss","state","stopped"}…],"updates"}
// like the job (without "steps", the lesson's operation count). The data part
// (optim_python_data) is shared with the PyTorch export (optim_torch.cpp).
#include <cstdio>

#include "optim_job.h"

namespace sw {

std::string optim_py_num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s == "inf") return "math.inf";
  if (s.find_first_of(".en") == std::string::npos) s += ".0";  // a float literal
  return s;
}

static std::string py_list(const std::vector<double>& v) {
  std::string s = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    s += (i ? ", " : "") + optim_py_num(v[i]);
    if (i % 8 == 7 && i + 1 < v.size()) s += "\n    ";
  }
  return s + "]";
}

// The job's numbers as Python constants, and the batch order (SplitMix64).
std::string optim_python_data(const OptimSetup& s) {
  const Surface& sf = s.surface;
  std::string out = "SURFACE = \"" + std::string(surface_name(sf.kind)) + "\"\n";
  out += "A, B, C = " + optim_py_num(sf.a) + ", " + optim_py_num(sf.b) + ", " + optim_py_num(sf.c) +
         "  # quadratic\n";
  out += "P, Q = " + optim_py_num(sf.p) + ", " + optim_py_num(sf.q) + "  # rosenbrock\n";
  out += "START = [" + optim_py_num(s.x0) + ", " + optim_py_num(s.y0) + "]\n";
  out += "STEPS = " + std::to_string(s.steps) + "\n";
  out += "EMA = " + (s.ema ? optim_py_num(s.ema_decay) : std::string("None")) + "\n";
  out += "OPTIMIZERS = json.loads('''" + [&] {
    Json a = Json::array();
    for (const OptimRacer& r : s.racers) a.push_back(optim_config_json(r.config));
    return a.dump();
  }() + "''')\n";
  out += "DATA_X = " + py_list(sf.x) + "\n";
  out += "DATA_Y = " + py_list(sf.y) + "\n";
  out += "BATCH = " + std::to_string(sf.batch()) + "\n";
  out += "SHUFFLE = " + std::string(sf.shuffle ? "True" : "False") + "\n";
  out += "SEED = " + std::to_string(sf.seed) + "\n";
  out += R"PY(LIMIT = 1e15  # a value beyond stops a run
MASK = (1 << 64) - 1


def epoch_order(e):
    """Epoch e's order of the points: 0..n-1, or a Fisher-Yates shuffle by SplitMix64."""
    n = len(DATA_X)
    order = list(range(n))
    if not SHUFFLE:
        return order
    state = (SEED * 0x9E3779B97F4A7C15 + 0x4F50 + e * 0xD1B54A32D192ED03) & MASK
    for i in range(n - 1, 0, -1):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        j = (z ^ (z >> 31)) % (i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def batch_of(t, cache={}):
    """The points of update t (0-based): consecutive slices of each epoch's order."""
    n = len(DATA_X)
    per = (n + BATCH - 1) // BATCH
    e, j = divmod(t, per)
    if e not in cache:
        cache.clear()
        cache[e] = epoch_order(e)
    return cache[e][j * BATCH:min(n, (j + 1) * BATCH)]


def bad(*values):
    return any(not math.isfinite(v) or abs(v) > LIMIT for v in values)

)PY";
  return out;
}

namespace {

const char* kNumpy = R"PY(
X, Y = np.array(DATA_X), np.array(DATA_Y)


def f(x, y):
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
    r = x * X + y - Y  # regression: the full-data loss at (w, b) = (x, y)
    return float(np.mean(r * r))


def grad(x, y, t):
    if SURFACE == "quadratic":
        return np.array([A * x + B * y, B * x + C * y])
    if SURFACE == "rosenbrock":
        return np.array([-2 * (P - x) - 4 * Q * x * (y - x * x), 2 * Q * (y - x * x)])
    if SURFACE == "beale":
        u = [c - x + x * y ** k for c, k in ((1.5, 1), (2.25, 2), (2.625, 3))]
        return np.array([sum(2 * u[k - 1] * (y ** k - 1) for k in (1, 2, 3)),
                         sum(2 * u[k - 1] * k * x * y ** (k - 1) for k in (1, 2, 3))])
    if SURFACE == "himmelblau":
        u, v = x * x + y - 11, x + y * y - 7
        return np.array([4 * x * u + 2 * v, 2 * u + 4 * y * v])
    if SURFACE == "saddle":
        return np.array([2 * x, y ** 3 - y])
    idx = batch_of(t)  # regression: the mean squared residual of update t's batch
    r = x * X[idx] + y - Y[idx]
    return np.array([2 * np.sum(r * X[idx]) / len(idx), 2 * np.sum(r) / len(idx)])


def update(o, th, g, st, t):
    """One update of optimizer o (a job entry) at step t = 1, 2, ...; st holds its state."""
    keras = o["convention"] == "keras"
    lr, wd = o["lr"], o.get("weight_decay", 0.0)
    name = o["name"]
    if keras and wd:  # Keras: decoupled decay for every optimizer
        th = th - th * wd * lr
    elif name == "adamw" and wd:
        th = th * (1 - lr * wd)
    elif wd and name != "adamw":
        g = g + wd * th  # PyTorch's L2 term
    if name == "sgd":
        mu = o["momentum"]
        if keras:
            if mu == 0:
                return th - g * lr
            st["momentum"] = st.get("momentum", np.zeros(2)) * mu - g * lr
            m = st["momentum"]
            return th + (m * mu - g * lr) if o["nesterov"] else th + m
        if mu != 0:
            b = st.get("momentum_buffer")
            b = g.copy() if b is None else b * mu + (1 - o["dampening"]) * g
            st["momentum_buffer"] = b
            g = g + mu * b if o["nesterov"] else b
        return th + (-lr) * g
    if name == "adagrad":
        eps = o["eps"]
        if keras:
            st["accumulator"] = st.get("accumulator", np.full(2, o["initial_accumulator_value"])) + g * g
            return th - (lr * g) / np.sqrt(st["accumulator"] + eps)
        clr = lr / (1 + (t - 1) * o["lr_decay"])
        st["sum"] = st.get("sum", np.full(2, o["initial_accumulator_value"])) + g * g
        return th + ((-clr) * g) / (np.sqrt(st["sum"]) + eps)
    if name == "rmsprop":
        al, eps, mu = o["alpha"], o["eps"], o["momentum"]
        if keras:
            v = st["velocity"] = al * st.get("velocity", np.zeros(2)) + (1 - al) * (g * g)
            if o["centered"]:
                a = st["average_gradient"] = al * st.get("average_gradient", np.zeros(2)) + (1 - al) * g
                den = np.sqrt((v - a * a) + eps)
            else:
                den = np.sqrt(v + eps)
            inc = (lr * g) / den
            if mu > 0:
                st["momentum"] = mu * st.get("momentum", np.zeros(2)) + inc
                return th - st["momentum"]
            return th - inc
        v = st["square_avg"] = st.get("square_avg", np.zeros(2)) * al + ((1 - al) * g) * g
        if o["centered"]:
            a = st["grad_avg"] = st.get("grad_avg", np.zeros(2)) * al + (1 - al) * g
            den = np.sqrt(v + (-1.0 * a) * a) + eps
        else:
            den = np.sqrt(v) + eps
        if mu > 0:
            st["momentum_buffer"] = st.get("momentum_buffer", np.zeros(2)) * mu + g / den
            return th + (-lr) * st["momentum_buffer"]
        return th + ((-lr) * g) / den
    b1, b2 = o["betas"]
    eps = o["eps"]
    bc1, bc2 = 1 - b1 ** float(t), 1 - b2 ** float(t)
    if keras:
        alpha = lr * math.sqrt(bc2) / bc1
        m = st["momentum"] = st.get("momentum", np.zeros(2)) + (g - st.get("momentum", np.zeros(2))) * (1 - b1)
        v = st["velocity"] = st.get("velocity", np.zeros(2)) + (g * g - st.get("velocity", np.zeros(2))) * (1 - b2)
        if o["amsgrad"]:
            v = st["velocity_hat"] = np.maximum(st.get("velocity_hat", np.zeros(2)), v)
        return th - (m * alpha) / (np.sqrt(v) + eps)
    m = st["exp_avg"] = st.get("exp_avg", np.zeros(2)) * b1 + (1 - b1) * g
    v = st["exp_avg_sq"] = st.get("exp_avg_sq", np.zeros(2)) * b2 + ((1 - b2) * g) * g
    if o["amsgrad"]:
        v = st["max_exp_avg_sq"] = np.maximum(st.get("max_exp_avg_sq", np.zeros(2)), v)
    step_size = lr / bc1
    return th + ((-step_size) * m) / (np.sqrt(v) / math.sqrt(bc2) + eps)


runs = []
for o in OPTIMIZERS:
    th, st = np.array(START, dtype=np.float64), {}
    ema = th.copy()
    path, loss, ema_path, stopped = [th.tolist()], [f(*th)], [ema.tolist()], None
    for t in range(1, STEPS + 1):
        g = grad(th[0], th[1], t - 1)
        new_st = {k: v.copy() for k, v in st.items()}
        new = update(o, th, g, new_st, t)
        new_ema = EMA * ema + (1 - EMA) * new if EMA is not None else ema
        fn = f(*new) if not bad(*new) else math.inf
        if bad(*g, *new, fn, *new_ema, *[x for v in new_st.values() for x in v]):
            stopped = "stopped at update %d" % t
            break
        th, st, ema = new, new_st, new_ema
        path.append(th.tolist()); loss.append(fn); ema_path.append(ema.tolist())
    state = {k: v.tolist() for k, v in st.items()}
    state["iterations" if o["convention"] == "keras" else "step"] = len(path) - 1
    run = {"name": o["name"], "path": path, "loss": loss, "state": state, "stopped": stopped}
    if EMA is not None:
        run["ema_path"] = ema_path
    runs.append(run)
print(json.dumps({"runs": runs, "updates": STEPS}))
)PY";

}  // namespace

bool optim_python(const Json& job, std::string& out, std::string& err) {
  OptimSetup s;
  bool trace;
  if (!optim_setup_from_job(job, s, &trace, err)) return false;
  out =
      "# Stepwise: the optimizer lesson recomputed with NumPy (float64): each optimizer\n"
      "# transcribed from torch.optim 1.13 (or Keras 3 under \"keras\"), analytic gradients.\n"
      "# `stepwise python --framework torch` prints the same with torch.optim and autograd.\n"
      "import json\nimport math\n\nimport numpy as np\n\n" +
      optim_python_data(s) + kNumpy;
  return true;
}

}  // namespace sw
