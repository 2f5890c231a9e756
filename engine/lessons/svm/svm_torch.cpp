// The SVM lesson as a PyTorch program (`stepwise python --framework torch`).
//
// "sgd" jobs train in torch one sample at a time in the engine's order (the
// same SplitMix64 generator and Fisher–Yates shuffle, the same schedule),
// taking each subgradient from autograd: the regulariser as lam/2·|w|² by
// pow (one rounding, like the engine's lam·w) and the hinge as relu, whose
// derivative at 0 is 0 (the lesson's choice there). "exact" jobs find the
// optimum independently of the engine's SMO, as the NumPy export does, in
// torch: Newton's method on a smoothed hinge, then the KKT equations on the
// margin points by least squares. Both compute the objective, margin and
// support vectors from the final w and b. float64 throughout.
#include <cstdio>

#include "svm_job.h"
#include "svm_problem.h"
#include "svm_sgd.h"

namespace sw {

namespace {

std::string num(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string points_text(const SvmProblem& p) {
  std::string x = "X = torch.tensor([", y = "y = torch.tensor([";
  for (int64_t i = 0; i < p.n(); ++i) {
    const SvmPoint& q = p.points[i];
    x += (i ? ", " : "") + std::string("[") + num(q.x1) + ", " + num(q.x2) + "]";
    y += (i ? ", " : "") + std::to_string(q.y);
    if (i % 6 == 5 && i + 1 < p.n()) x += "\n                  ";
    if (i % 16 == 15 && i + 1 < p.n()) y += "\n                  ";
  }
  return x + "], dtype=torch.float64)\n" + y + "], dtype=torch.float64)\n";
}

const char* kSgd = R"PY(
# Stochastic subgradient descent on  lam/2 |w|^2 + (1/n) sum hinge,  lam = 1/(C n): each epoch
# visits the points in a fresh order drawn from Stepwise's SplitMix64, one sample per update.
n = len(y)
lam = 1.0 / (C * n)
MASK = (1 << 64) - 1
state = (seed * 0x9E3779B97F4A7C15 + 0x5356) & MASK


def next_u64():
    global state
    state = (state + 0x9E3779B97F4A7C15) & MASK
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


w = torch.zeros(2, requires_grad=True)
b = torch.zeros((), requires_grad=True)  # the bias: not regularised
t = 0
for epoch in range(epochs):
    order = list(range(n))
    for i in range(n - 1, 0, -1):  # Fisher-Yates
        j = next_u64() % (i + 1)
        order[i], order[j] = order[j], order[i]
    for i in order:
        t += 1
        if schedule == "pegasos":
            eta = 1.0 / (lam * t)
        elif schedule == "decay":
            eta = eta0 / (1.0 + eta0 * lam * t)
        else:
            eta = eta0
        score = w[0] * X[i, 0] + w[1] * X[i, 1] + b
        hinge = torch.relu(1 - y[i] * score)  # relu'(0) = 0: no hinge term exactly on the margin
        loss = lam / 2 * w.pow(2).sum() + hinge
        loss.backward()  # w.grad = lam w - y x (hinge > 0), b.grad = -y (hinge > 0)
        with torch.no_grad():
            w -= eta * w.grad
            b -= eta * b.grad
        w.grad = None
        b.grad = None
w, b = w.detach(), b.detach()
steps = epochs * (6 * n + 1)  # the lesson's operations: six per sample, one objective per epoch
)PY";

const char* kExact = R"PY(
# 1. Newton's method on a smoothed problem: the hinge max(0, z), z = 1 - y f(x), replaced by
#    z - mu/2 (z >= mu), z^2/(2 mu) (0 < z < mu), 0 (z <= 0); three unknowns th = (w1, w2, b).
n = len(y)
Xt = torch.cat([X - X.mean(0), torch.ones(n, 1)], 1)  # centred: the bias is not regularised
R = torch.diag(torch.tensor([1.0, 1.0, 0.0]))


def alphas(th, mu):  # C times the smoothed hinge's slope: the multipliers alpha_i in [0, C]
    return C * torch.clamp((1 - y * (Xt @ th)) / mu, 0, 1)


def slope(th, d, mu):  # derivative of the smoothed objective along d
    return float((R @ th) @ d - (alphas(th, mu) * y) @ (Xt @ d))


th, steps = torch.zeros(3), 0  # steps: Newton steps (the engine counts SMO pair updates instead)
for mu in [1e-1 ** k for k in range(8)]:
    for it in range(60):
        a = alphas(th, mu)
        g = R @ th - Xt.T @ (a * y)
        if bool(torch.all(g.abs() <= 1e-13 * (Xt.abs().T @ a + (R @ th).abs() + C))):
            break
        zone = (a > 0) & (a < C)
        H = R + (C / mu) * Xt[zone].T @ Xt[zone]
        s = torch.tensor([1 / math.sqrt(v) if v > 0 else 1.0 for v in torch.diag(H).tolist()])
        d = s * torch.linalg.solve(s[:, None] * H * s[None, :] + 1e-12 * torch.eye(3), -s * g)
        step = 1.0
        if slope(th + d, d, mu) > 0:  # past the minimum along d: bisect for slope 0
            lo, hi = 0.0, 1.0
            for _ in range(200):
                if (hi - lo) * float(torch.linalg.norm(d)) <= 1e-15 * (1 + float(th.abs().sum())):
                    break
                mid = (lo + hi) / 2
                lo, hi = (lo, mid) if slope(th + mid * d, d, mu) > 0 else (mid, hi)
            step = lo if lo > 0 else (lo + hi) / 2
        th = th + step * d
        steps += 1

# 2. The KKT conditions, solved exactly: points inside the band have alpha = C, points on the
#    margin lines (y f = 1) have 0 <= alpha <= C, the rest alpha = 0; with w = sum alpha y x and
#    sum alpha y = 0 that is a linear system in (w, b, alpha on the margin).
f = y * (Xt @ th)
tol = 1e-6
on = (f - 1).abs() <= tol
inside = f < 1 - tol
Z = y[:, None] * Xt[:, :2]
u, cy, k = C * Z[inside].sum(0), C * y[inside].sum(), int(on.sum())
A = torch.zeros(3 + k, 3 + k)
r = torch.zeros(3 + k)
A[0, 0] = A[1, 1] = 1.0
r[:2], r[2] = u, -cy
A[0:2, 3:] = -Z[on].T
A[2, 3:] = y[on]
A[3:, 0:2] = Z[on]
A[3:, 2] = y[on]
r[3:] = 1.0
if k > 0:
    sol = torch.linalg.lstsq(A, r[:, None], driver="gelsd").solution[:, 0]
    if (bool(torch.all(sol[3:] >= -1e-9 * C)) and bool(torch.all(sol[3:] <= C * (1 + 1e-9)))
            and torch.allclose(A @ sol, r, atol=1e-9)):
        th = sol[:3]
w = th[:2]
b = th[2] - w @ X.mean(0)  # undo the centring
)PY";

const char* kOutput = R"PY(
# The objective, margin and support vectors of this w and b.
f = X @ w + b
objective = 0.5 * (w @ w) + C * torch.clamp(1 - y * f, min=0).sum()
norm = math.hypot(float(w[0]), float(w[1]))
result = {"w": [float(w[0]), float(w[1])], "b": float(b), "objective": float(objective),
          "margin": 2 / norm if norm > 0 else None,
          "support_vectors": [int(i) for i in torch.nonzero(y * f <= 1 + 1e-5).flatten()],
          "steps": int(steps)}
print(json.dumps(result))
)PY";

}  // namespace

bool svm_torch(const Json& job, std::string& out, std::string& err) {
  SvmProblem p;
  SgdConfig c;
  std::string solver;
  bool trace;
  if (!svm_problem_from_job(job, p, c, solver, &trace, err)) return false;
  const bool sgd = solver == "sgd";
  out = "# Stepwise: the SVM lesson recomputed with PyTorch (" +
        std::string(sgd ? "stochastic subgradient descent, subgradients by autograd"
                        : "the exact optimum") +
        ").\n"
        "#   P(w, b) = 1/2 |w|^2 + C * sum_i max(0, 1 - y_i (w . x_i + b)),  the bias b not "
        "regularised.\n"
        "import json\nimport math\n\nimport torch\n\n"
        "torch.set_default_dtype(torch.float64)\n\n" +
        points_text(p) + "C = " + num(p.C) + "\n";
  if (sgd)
    out += "epochs, seed, schedule, eta0 = " + std::to_string(c.epochs) + ", " +
           std::to_string(c.seed) + ", \"" + sgd_schedule_name(c.schedule) + "\", " + num(c.eta) +
           "\n" + kSgd;
  else
    out += kExact;
  out += kOutput;
  return true;
}

}  // namespace sw
