// The SVM lesson as a NumPy program: the "reproduce in Python" export.
//
// "sgd" jobs replay the engine's training exactly: the same SplitMix64
// generator and Fisher–Yates shuffle give the same sample order, and the six
// operations use the same arithmetic in the same order (Python floats are
// IEEE doubles), so w and b agree to the last bit. "exact" jobs solve the
// problem independently of the engine's SMO: Newton's method on a smoothed
// hinge (three unknowns w₁, w₂, b), then the KKT equations on the points that
// end up on the margin lines, solved as one linear system.
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
  std::string x = "X = np.array([", y = "y = np.array([";
  for (int64_t i = 0; i < p.n(); ++i) {
    const SvmPoint& q = p.points[i];
    x += (i ? ", " : "") + std::string("[") + num(q.x1) + ", " + num(q.x2) + "]";
    y += (i ? ", " : "") + std::to_string(q.y);
    if (i % 6 == 5 && i + 1 < p.n()) x += "\n              ";
    if (i % 24 == 23 && i + 1 < p.n()) y += "\n              ";
  }
  return x + "], dtype=np.float64)\n" + y + "], dtype=np.float64)\n";
}

const char* kSgd = R"PY(
# Stochastic subgradient descent on  lam/2 |w|^2 + (1/n) sum hinge,  lam = 1/(C n):
# each epoch visits the points in a fresh order drawn from Stepwise's SplitMix64.
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


xs, ys = X.tolist(), y.tolist()
w1 = w2 = b = 0.0
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
        (x1, x2), yi = xs[i], ys[i]
        s = w1 * x1 + w2 * x2 + b              # score
        m = yi * s                              # margin
        h = 1.0 - m if 1.0 - m > 0 else 0.0     # hinge loss
        gw1 = lam * w1 - (yi * x1 if h > 0 else 0.0)  # subgradient (b is not regularised)
        gw2 = lam * w2 - (yi * x2 if h > 0 else 0.0)
        gb = -yi if h > 0 else 0.0
        w1, w2 = w1 - eta * gw1, w2 - eta * gw2  # update w
        b = b - eta * gb                          # update b
w = np.array([w1, w2])
steps = epochs * (6 * n + 1)
)PY";

const char* kExact = R"PY(
# 1. Newton's method on a smoothed problem: the hinge max(0, z), z = 1 - y f(x), replaced by
#    z - mu/2 (z >= mu), z^2/(2 mu) (0 < z < mu), 0 (z <= 0); three unknowns th = (w1, w2, b).
n = len(y)
Xt = np.c_[X - X.mean(0), np.ones(n)]  # centred: the bias is not regularised, so this is free
R = np.diag([1.0, 1.0, 0.0])


def alphas(th, mu):  # C times the smoothed hinge's slope: the multipliers alpha_i in [0, C]
    return C * np.clip((1 - y * (Xt @ th)) / mu, 0, 1)


def slope(th, d, mu):  # derivative of the smoothed objective along d
    return (R @ th) @ d - (alphas(th, mu) * y) @ (Xt @ d)


th, steps = np.zeros(3), 0  # steps: Newton steps (the engine counts SMO pair updates instead)
for mu in [1e-1 ** k for k in range(8)]:
    for it in range(60):
        a = alphas(th, mu)
        g = R @ th - Xt.T @ (a * y)
        if np.all(np.abs(g) <= 1e-13 * (np.abs(Xt).T @ a + np.abs(R @ th) + C)):
            break
        zone = (a > 0) & (a < C)
        H = R + (C / mu) * Xt[zone].T @ Xt[zone]
        s = np.array([1 / np.sqrt(v) if v > 0 else 1.0 for v in np.diag(H)])  # Jacobi scaling
        d = s * np.linalg.solve(s[:, None] * H * s[None, :] + 1e-12 * np.eye(3), -s * g)
        step = 1.0
        if slope(th + d, d, mu) > 0:  # past the minimum along d: bisect for slope 0
            lo, hi = 0.0, 1.0
            for _ in range(200):
                if (hi - lo) * np.linalg.norm(d) <= 1e-15 * (1 + np.abs(th).sum()):
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
on = np.abs(f - 1) <= tol
inside = f < 1 - tol
Z = y[:, None] * Xt[:, :2]
u, cy, k = C * Z[inside].sum(0), C * y[inside].sum(), int(on.sum())
A = np.zeros((3 + k, 3 + k))
r = np.zeros(3 + k)
A[0, 0] = A[1, 1] = 1.0
r[:2], r[2] = u, -cy
A[0:2, 3:] = -Z[on].T
A[2, 3:] = y[on]
A[3:, 0:2] = Z[on]
A[3:, 2] = y[on]
r[3:] = 1.0
if k > 0:
    sol = np.linalg.lstsq(A, r, rcond=None)[0]
    if np.all(sol[3:] >= -1e-9 * C) and np.all(sol[3:] <= C * (1 + 1e-9)) and np.allclose(A @ sol, r, atol=1e-9):
        th = sol[:3]
w = th[:2]
b = th[2] - w @ X.mean(0)  # undo the centring
)PY";

const char* kOutput = R"PY(
f = X @ w + b
objective = 0.5 * (w @ w) + C * np.maximum(0, 1 - y * f).sum()
norm = math.hypot(w[0], w[1])
result = {"w": [float(w[0]), float(w[1])], "b": float(b), "objective": float(objective),
          "margin": 2 / norm if norm > 0 else None,
          "support_vectors": [int(i) for i in np.nonzero(y * f <= 1 + 1e-5)[0]], "steps": int(steps)}
print(json.dumps(result))

# The same model with scikit-learn (libsvm's SMO; the bias is not regularised either):
#   from sklearn.svm import SVC
#   clf = SVC(kernel="linear", C=C).fit(X, y)
#   w, b = clf.coef_[0], clf.intercept_[0]
# or by subgradient descent in PyTorch:
#   import torch
#   Xt, yt = torch.tensor(X), torch.tensor(y)
#   w, b = torch.zeros(2, requires_grad=True, dtype=torch.float64), torch.zeros((), requires_grad=True, dtype=torch.float64)
#   opt = torch.optim.SGD([w, b], lr=0.01)
#   for _ in range(10000):
#       opt.zero_grad()
#       loss = 0.5 * (w @ w) + C * torch.clamp(1 - yt * (Xt @ w + b), min=0).sum()
#       loss.backward(); opt.step()
)PY";

}  // namespace

bool svm_python(const Json& job, std::string& out, std::string& err) {
  SvmProblem p;
  SgdConfig c;
  std::string solver;
  bool trace;
  if (!svm_problem_from_job(job, p, c, solver, &trace, err)) return false;
  const bool sgd = solver == "sgd";
  out = "# Stepwise: the SVM lesson recomputed with NumPy (" +
        std::string(sgd ? "stochastic subgradient descent" : "the exact optimum") +
        ").\n"
        "#   P(w, b) = 1/2 |w|^2 + C * sum_i max(0, 1 - y_i (w . x_i + b)),  the bias b not "
        "regularised.\n"
        "import json\nimport math\n\nimport numpy as np\n\n" +
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
