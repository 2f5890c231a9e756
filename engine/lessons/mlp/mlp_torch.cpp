// The network lesson as a PyTorch program (`stepwise python --framework torch`):
// nn.Linear layers in float64 with the job's weights, the loss from
// torch.nn.functional, autograd, and torch.optim's own optimizer class (the
// PyTorch convention; a Keras-convention optimizer is refused with a message).
// The data, each step's batch and each step's dropout masks come from the
// engine as one JSON blob (mlp_python_blob), so the program repeats the same
// batches and masks. Prints the job's JSON (predictions, loss, grads, losses,
// weights, biases, grad_norms).
#include "mlp_job.h"

namespace sw {

// The JSON blob both exports read (mlp_python.cpp).
bool mlp_python_blob(const Json& job, Json& blob, std::string& err);

namespace {

const char* kTorch = R"PY(
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
L = len(D["layers"]) - 1
X = torch.tensor(D["x"])  # scaled as the engine scales (below)
Y = torch.tensor(D["y"])
if D["scaling"] == "standardize":
    mean = X.mean(0)
    std = X.std(0, unbiased=False)  # population std (÷ n)
    X = (X - mean) / torch.where(std > 0, std, torch.ones_like(std))
elif D["scaling"] == "minmax":
    lo, hi = X.min(0).values, X.max(0).values
    X = (X - lo) / torch.where(hi > lo, hi - lo, torch.ones_like(hi))

net = [torch.nn.Linear(D["layers"][l], D["layers"][l + 1]) for l in range(L)]
with torch.no_grad():
    for l, lin in enumerate(net):
        lin.weight.copy_(torch.tensor(D["weights"][l]).reshape(lin.weight.shape))
        lin.bias.copy_(torch.tensor(D["biases"][l]))
params = [p for lin in net for p in (lin.weight, lin.bias)]
ACT = {"sigmoid": torch.sigmoid, "tanh": torch.tanh, "relu": torch.relu,
       "leaky_relu": lambda z: F.leaky_relu(z, 0.01), "linear": lambda z: z,
       "softmax": lambda z: torch.softmax(z, dim=1)}


def forward(x, masks):
    """z of the output layer and ŷ; masks: per hidden layer a 0/1 tensor, or None."""
    a = x
    for l, lin in enumerate(net):
        z = lin(a)
        if l == L - 1:
            return z, ACT[D["output_activation"]](z)
        a = ACT[D["activation"][l]](z)
        if masks is not None:
            a = a * masks[l] / (1 - D["p"])  # inverted dropout


def loss_fn(z, yh, y):
    kind = D["loss"]
    if kind == "mse":
        return F.mse_loss(yh, y)
    if kind == "half_sse":
        return 0.5 * ((yh - y) ** 2).sum()
    if kind == "bce":
        return F.binary_cross_entropy(yh, y)
    if kind == "cross_entropy":
        return F.cross_entropy(z, y.long())
    return torch.clamp(1 - y * yh, min=0).mean()  # hinge


def masks_at(t, idx=None):
    m = D["masks"] if D["masks"] is not None else (D["step_masks"][t] if D["step_masks"] else None)
    if m is None:
        return None
    m = [torch.tensor(layer, dtype=torch.float64) for layer in m]
    return m if idx is None else [layer[idx] for layer in m]


def data_loss(t):
    z, yh = forward(X, masks_at(t))
    return loss_fn(z, yh, Y)


o = D["optimizer"]
kw = {k: v for k, v in o.items() if k not in ("name", "convention")}
if "betas" in kw:
    kw["betas"] = tuple(kw["betas"])
cls = {"sgd": torch.optim.SGD, "adagrad": torch.optim.Adagrad, "rmsprop": torch.optim.RMSprop,
       "adam": torch.optim.Adam, "adamw": torch.optim.AdamW}[o["name"]]
opt = cls(params, **kw)

z, yh = forward(X, masks_at(0))
loss = loss_fn(z, yh, Y)
grads = torch.autograd.grad(loss, params)
out = {"predictions": yh.tolist(), "loss": loss.item(),
       "grads": {"weights": [g.flatten().tolist() for g in grads[0::2]],
                 "biases": [g.tolist() for g in grads[1::2]]}}
if D["steps"] > 0:
    losses, norms = [], []
    for t in range(D["steps"]):
        with torch.no_grad():
            losses.append(data_loss(t).item())
        idx = torch.tensor(D["batches"][t])
        opt.zero_grad()
        z, yh = forward(X[idx], masks_at(t, idx))
        loss_fn(z, yh, Y[idx]).backward()
        norms.append([lin.weight.grad.abs().mean().item() for lin in net])
        opt.step()
    with torch.no_grad():
        losses.append(data_loss(D["steps"]).item())
    out.update({"losses": losses, "weights": [lin.weight.detach().flatten().tolist() for lin in net],
                "biases": [lin.bias.detach().tolist() for lin in net], "grad_norms": norms})
print(json.dumps(out))
)PY";

}  // namespace

bool mlp_torch(const Json& job, std::string& out, std::string& err) {
  Json blob;
  if (!mlp_python_blob(job, blob, err)) return false;
  if (blob["optimizer"]["convention"] != "torch")
    return err =
               "the PyTorch export uses torch.optim: a Keras-convention optimizer has no class "
               "there (use the NumPy export)",
           false;
  out =
      "# The network lesson's job in PyTorch (float64): nn.Linear, autograd, torch.optim.\n"
      "# Run with python3 (PyTorch installed); prints the job's JSON.\nimport json\n\nimport "
      "torch\n\nD = json.loads(r'''" +
      blob.dump() + "''')\n" + kTorch;
  return true;
}

}  // namespace sw
