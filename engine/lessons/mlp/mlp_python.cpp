// The network lesson as a NumPy program (`stepwise python`): the forward pass,
// the loss, backpropagation by hand (the same chain rule the lesson steps) and
// the optimizer's update as torch.optim computes it (PyTorch convention), in
// float64. The data, each step's batch and dropout masks come from the engine
// as one JSON blob, shared with the PyTorch export (mlp_torch.cpp).
#include <numeric>

#include "mlp_job.h"
#include "optim_job.h"

namespace sw {

bool mlp_python_blob(const Json& job, Json& blob, std::string& err) {
  MlpSetup s;
  bool want_trace;
  if (!mlp_setup_from_job(job, s, &want_trace, err)) return false;
  const Json j = mlp_job_of(s);
  const int hidden = s.net.layers() - 1;
  const bool drop = s.train_mode && s.dropout > 0 && hidden > 0;
  double numbers = (double)s.steps * (double)s.batch();
  if (drop && s.masks.empty()) {
    double units = 0;
    for (int l = 1; l <= hidden; ++l) units += s.net.sizes[l];
    numbers += (double)(s.steps + 1) * (double)s.n() * units;
  }
  if (numbers > 2e6)
    return err =
               "the export would list more than 2e6 batch indices and mask values; ask for "
               "fewer steps",
           false;
  Json masks = nullptr, step_masks = nullptr;
  auto masks_json = [&](const MlpMasks& m) {
    Json layers = Json::array();
    for (int l = 0; l < hidden; ++l) {
      const int u = s.net.sizes[l + 1];
      Json rows = Json::array();
      for (int64_t i = 0; i < s.n(); ++i)
        rows.push_back(std::vector<int>(m[l].begin() + i * u, m[l].begin() + (i + 1) * u));
      layers.push_back(rows);
    }
    return layers;
  };
  if (drop && !s.masks.empty()) masks = masks_json(s.masks);
  if (drop && s.masks.empty()) {
    step_masks = Json::array();
    for (int64_t t = 0; t <= s.steps; ++t) step_masks.push_back(masks_json(mlp_step_masks(s, t)));
  }
  Json batches = Json::array();
  for (int64_t t = 0; t < s.steps; ++t) batches.push_back(mlp_batch_indices(s, t));
  Json y = Json::array();
  const int ty = s.targets();
  for (int64_t i = 0; i < s.n(); ++i) {
    if (s.net.loss == LossKind::kCrossEntropy)
      y.push_back((int)s.y[(size_t)i]);
    else
      y.push_back(std::vector<double>(s.y.begin() + i * ty, s.y.begin() + (i + 1) * ty));
  }
  Json acts = Json::array();
  for (int l = 0; l < hidden; ++l) acts.push_back(act_name(s.net.acts[l]));
  blob = {{"layers", s.net.sizes},
          {"activation", acts},
          {"output_activation", act_name(s.net.acts.back())},
          {"loss", loss_name(s.net.loss)},
          {"weights", j["weights"]},
          {"biases", j["biases"]},
          {"x", j["data"]["x"]},
          {"y", y},
          {"scaling", scaling_name(s.scaling)},
          {"p", s.dropout},
          {"masks", masks},
          {"step_masks", step_masks},
          {"batches", batches},
          {"optimizer", optim_config_json(s.opt)},
          {"steps", s.steps}};
  return true;
}

namespace {

const char* kNumpy = R"PY(
L = len(D["layers"]) - 1
X = np.array(D["x"], dtype=np.float64)
CE = D["loss"] == "cross_entropy"
Y = np.array(D["y"], dtype=np.float64)
if D["scaling"] == "standardize":
    mean = X.sum(0) / len(X)
    std = np.sqrt(((X - mean) ** 2).sum(0) / len(X))  # population std (÷ n)
    X = (X - mean) / np.where(std > 0, std, 1.0)
elif D["scaling"] == "minmax":
    lo, hi = X.min(0), X.max(0)
    X = (X - lo) / np.where(hi > lo, hi - lo, 1.0)
W = [np.array(w, dtype=np.float64).reshape(D["layers"][l + 1], D["layers"][l])
     for l, w in enumerate(D["weights"])]
B = [np.array(b, dtype=np.float64) for b in D["biases"]]
P = D["p"]

F = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh, "relu": lambda z: np.maximum(z, 0),
     "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z), "linear": lambda z: z}
DF = {"sigmoid": lambda z, a: a * (1 - a), "tanh": lambda z, a: 1 - a * a,
      "relu": lambda z, a: (z > 0) * 1.0, "leaky_relu": lambda z, a: np.where(z > 0, 1.0, 0.01),
      "linear": lambda z, a: np.ones_like(z)}


def masks_at(t, idx):
    m = D["masks"] if D["masks"] is not None else (D["step_masks"][t] if D["step_masks"] else None)
    return None if m is None else [np.array(layer, dtype=np.float64)[idx] for layer in m]


def forward(x, masks):
    """Per layer z, f(z) and a (after dropout); the output's ŷ is a[-1]."""
    zs, hs, as_ = [], [], [x]
    for l in range(L):
        z = as_[-1] @ W[l].T + B[l]
        if l == L - 1 and D["output_activation"] == "softmax":
            e = np.exp(z - z.max(1, keepdims=True))
            h = e / e.sum(1, keepdims=True)
        else:
            h = F[D["output_activation"] if l == L - 1 else D["activation"][l]](z)
        a = h * masks[l] / (1 - P) if (masks is not None and l < L - 1) else h
        zs.append(z), hs.append(h), as_.append(a)
    return zs, hs, as_


def loss_and_grads(x, y, masks):
    zs, hs, as_ = forward(x, masks)
    yh, m = as_[-1], len(x)
    k = yh.shape[1]
    kind = D["loss"]
    if kind == "mse":
        loss, dy = ((yh - y) ** 2).sum() / (m * k), 2 * (yh - y) / (m * k)
    elif kind == "half_sse":
        loss, dy = 0.5 * ((yh - y) ** 2).sum(), yh - y
    elif kind == "bce":
        loss = -(y * np.maximum(np.log(yh), -100) + (1 - y) * np.maximum(np.log(1 - yh), -100)).sum() / (m * k)
        dy = (yh - y) / np.maximum(yh * (1 - yh), 1e-12) / (m * k)
    elif kind == "cross_entropy":
        z = zs[-1] - zs[-1].max(1, keepdims=True)
        logp = z - np.log(np.exp(z).sum(1, keepdims=True))
        lab = y.astype(int)
        loss = -logp[np.arange(m), lab].sum() / m
        onehot = np.zeros_like(yh)
        onehot[np.arange(m), lab] = 1
    else:  # hinge
        margin = 1 - y * yh
        loss, dy = np.maximum(margin, 0).sum() / m, np.where(margin > 0, -y / m, 0.0)
    delta = (yh - onehot) / m if kind == "cross_entropy" else dy * DF[D["output_activation"]](zs[-1], hs[-1])
    gW, gB = [None] * L, [None] * L
    for l in range(L - 1, -1, -1):
        gW[l], gB[l] = delta.T @ as_[l], delta.sum(0)  # ∂L/∂W = δ·a, ∂L/∂b = δ
        if l > 0:
            g = delta @ W[l]  # Σ w·δ
            if masks is not None:
                g = g * masks[l - 1] / (1 - P)
            delta = g * DF[D["activation"][l - 1]](zs[l - 1], hs[l - 1])
    return loss, yh, gW, gB


o = D["optimizer"]
state = {}


def update(params, grads, t):
    """One torch.optim step (PyTorch convention) on every parameter array, in place."""
    lr, wd, name = o["lr"], o.get("weight_decay", 0.0), o["name"]
    for i, (p, g) in enumerate(zip(params, grads)):
        s = state.setdefault(i, {})
        if name == "adamw":
            p *= 1 - lr * wd
        elif wd:
            g = g + wd * p
        if name == "sgd":
            mu = o["momentum"]
            if mu:
                s["b"] = g.copy() if t == 1 else s["b"] * mu + (1 - o["dampening"]) * g
                g = g + mu * s["b"] if o["nesterov"] else s["b"]
            p -= lr * g
        elif name == "adagrad":
            clr = lr / (1 + (t - 1) * o["lr_decay"])
            s["sum"] = s.get("sum", np.full_like(p, o["initial_accumulator_value"])) + g * g
            p -= clr * g / (np.sqrt(s["sum"]) + o["eps"])
        elif name == "rmsprop":
            a = o["alpha"]
            s["v"] = s.get("v", np.zeros_like(p)) * a + (1 - a) * g * g
            v = s["v"]
            if o["centered"]:
                s["ga"] = s.get("ga", np.zeros_like(p)) * a + (1 - a) * g
                v = v - s["ga"] ** 2
            den = np.sqrt(v) + o["eps"]
            if o["momentum"] > 0:
                s["b"] = s.get("b", np.zeros_like(p)) * o["momentum"] + g / den
                p -= lr * s["b"]
            else:
                p -= lr * g / den
        else:  # adam, adamw
            b1, b2 = o["betas"]
            s["m"] = s.get("m", np.zeros_like(p)) * b1 + (1 - b1) * g
            s["v"] = s.get("v", np.zeros_like(p)) * b2 + (1 - b2) * g * g
            v = s["v"]
            if o["amsgrad"]:
                s["vmax"] = np.maximum(s.get("vmax", np.zeros_like(p)), v)
                v = s["vmax"]
            bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
            p -= (lr / bc1) * s["m"] / (np.sqrt(v) / np.sqrt(bc2) + o["eps"])


all_idx = np.arange(len(X))
loss, yh, gW, gB = loss_and_grads(X, Y, masks_at(0, all_idx))
out = {"predictions": yh.tolist(), "loss": float(loss),
       "grads": {"weights": [g.flatten().tolist() for g in gW], "biases": [g.tolist() for g in gB]}}
if D["steps"] > 0:
    losses, norms = [], []
    for t in range(D["steps"]):
        losses.append(float(loss_and_grads(X, Y, masks_at(t, all_idx))[0]))
        idx = np.array(D["batches"][t])
        _, _, gW, gB = loss_and_grads(X[idx], Y[idx], masks_at(t, idx))
        norms.append([float(np.abs(g).mean()) for g in gW])
        params = [p for l in range(L) for p in (W[l], B[l])]
        update(params, [g for l in range(L) for g in (gW[l], gB[l])], t + 1)
    losses.append(float(loss_and_grads(X, Y, masks_at(D["steps"], all_idx))[0]))
    out.update({"losses": losses, "weights": [w.flatten().tolist() for w in W],
                "biases": [b.tolist() for b in B], "grad_norms": norms})
print(json.dumps(out))
)PY";

}  // namespace

bool mlp_python(const Json& job, std::string& out, std::string& err) {
  Json blob;
  if (!mlp_python_blob(job, blob, err)) return false;
  if (blob["optimizer"]["convention"] != "torch")
    return err = "the NumPy export writes the PyTorch-convention updates only", false;
  out =
      "# The network lesson's job in NumPy (float64): forward, loss, backpropagation by hand,\n"
      "# torch.optim's update. Prints the job's JSON.\nimport json\n\nimport numpy as np\n\nD = "
      "json.loads(r'''" +
      blob.dump() + "''')\n" + kNumpy;
  return true;
}

}  // namespace sw
