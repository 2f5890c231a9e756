// fast::mlp_batch and fast::mlp_predict (kernels/mlp_simd.h) against
// ref::mlp_batch and ref::mlp_predict, the plain per-sample loops:
// bit-identical losses, gradients and outputs on random networks of every
// hidden activation, output and loss, widths that exercise the 8-, 4- and
// 2-column tiles and the scalar column of the kernel (1 … 16 units), batches
// that fill one or more 32-sample blocks and a partial last one, dropout
// masks, batches in any order with repeats, and inputs that saturate the
// activations.
#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/mlp_simd.h"
#include "rng.h"

using namespace sw;

namespace {

struct Case {
  MlpNet net;
  std::vector<double> x, y;
  std::vector<int32_t> idx;
  MlpMasks masks;
  double p = 0;
};

Case random_case(Rng& rng, int hidden_layers, Act hidden, Act out_act, LossKind loss, int k) {
  Case c;
  const int d = 1 + (int)rng.below(16);
  c.net.sizes = {d};
  for (int l = 0; l < hidden_layers; ++l) {
    c.net.sizes.push_back(1 + (int)rng.below(16));
    c.net.acts.push_back(hidden);
  }
  c.net.sizes.push_back(k);
  c.net.acts.push_back(out_act);
  c.net.loss = loss;
  mlp_init(c.net, InitKind::kHeNormal, 0, rng.next_u64() % 100000);
  const double spread = rng.uniform() < 0.3 ? 20 : 2;  // sometimes saturating
  for (auto& b : c.net.b)
    for (double& v : b) v = rng.uniform(-1, 1);
  const int n = 1 + (int)rng.below(40);
  for (int i = 0; i < n * d; ++i) c.x.push_back(rng.uniform(-spread, spread));
  for (int i = 0; i < n; ++i) {
    if (loss == LossKind::kCrossEntropy)
      c.y.push_back((double)rng.below(k));
    else if (loss == LossKind::kHinge)
      c.y.push_back(rng.uniform() < 0.5 ? -1 : 1);
    else
      for (int j = 0; j < k; ++j)
        c.y.push_back(loss == LossKind::kBce ? rng.uniform() : rng.uniform(-3, 3));
  }
  const int m = 1 + (int)rng.below(2 * n);
  for (int i = 0; i < m; ++i) c.idx.push_back((int32_t)rng.below(n));  // any order, repeats
  if (hidden_layers > 0 && rng.uniform() < 0.5) {
    c.p = rng.uniform(0, 0.9);
    c.masks = mlp_draw_masks(c.net, n, c.p, rng.next_u64() % 1000);
  }
  return c;
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void check_identical(const Case& c, const std::string& what) {
  MlpGrads gf, gr;
  const double lf = fast::mlp_batch(c.net, c.x, c.y, c.idx, c.masks, c.p, &gf);
  const double lr = ref::mlp_batch(c.net, c.x, c.y, c.idx, c.masks, c.p, &gr);
  INFO(what);
  CHECK(same_bits(lf, lr));
  const std::vector<double> a = gf.flat(), b = gr.flat();
  REQUIRE(a.size() == b.size());
  int differ = 0;
  for (size_t i = 0; i < a.size(); ++i) differ += !same_bits(a[i], b[i]);
  CHECK(differ == 0);
  // Without gradients: the same loss.
  CHECK(same_bits(fast::mlp_batch(c.net, c.x, c.y, c.idx, c.masks, c.p, nullptr), lr));
  // Every sample's outputs (the decision field's pass), with and without the masks.
  for (const bool masked : {true, false}) {
    const MlpMasks none;
    const std::vector<double> pf = fast::mlp_predict(c.net, c.x, masked ? c.masks : none, c.p);
    const std::vector<double> pr = ref::mlp_predict(c.net, c.x, masked ? c.masks : none, c.p);
    REQUIRE(pf.size() == pr.size());
    int pdiffer = 0;
    for (size_t i = 0; i < pf.size(); ++i) pdiffer += !same_bits(pf[i], pr[i]);
    CHECK(pdiffer == 0);
  }
}

}  // namespace

TEST_CASE("fast::mlp_batch is bit-identical to ref::mlp_batch") {
  Rng rng(20261205);
  const Act hidden[] = {Act::kSigmoid, Act::kTanh, Act::kRelu, Act::kLeakyRelu, Act::kLinear};
  struct Out {
    Act act;
    LossKind loss;
    int k;
  };
  const Out outs[] = {
      {Act::kSigmoid, LossKind::kBce, 1},          {Act::kSigmoid, LossKind::kBce, 3},
      {Act::kLinear, LossKind::kMse, 1},           {Act::kTanh, LossKind::kMse, 11},
      {Act::kLinear, LossKind::kHalfSse, 16},      {Act::kSoftmax, LossKind::kCrossEntropy, 2},
      {Act::kSoftmax, LossKind::kCrossEntropy, 9}, {Act::kLinear, LossKind::kHinge, 1}};
  int cases = 0;
  for (const Act h : hidden)
    for (const Out& o : outs)
      for (int layers = 0; layers <= 8; layers += 1 + (int)rng.below(3)) {
        const Case c = random_case(rng, layers, h, o.act, o.loss, o.k);
        check_identical(c, std::string(act_name(h)) + " ×" + std::to_string(layers) + " → " +
                               act_name(o.act) + " " + loss_name(o.loss));
        ++cases;
      }
  CHECK(cases > 100);
}

TEST_CASE("fast::mlp_batch: the benchmark's 2-16-16-16-1 tanh network, 1,000 points") {
  Rng rng(7);
  Case c;
  c.net.sizes = {2, 16, 16, 16, 1};
  c.net.acts = {Act::kTanh, Act::kTanh, Act::kTanh, Act::kSigmoid};
  c.net.loss = LossKind::kBce;
  mlp_init(c.net, InitKind::kXavierUniform, 0, 3);
  for (int i = 0; i < 2000; ++i) c.x.push_back(rng.uniform(-1, 1));
  for (int i = 0; i < 1000; ++i) {
    c.y.push_back(c.x[2 * i] * c.x[2 * i + 1] > 0 ? 1 : 0);
    c.idx.push_back(i);
  }
  check_identical(c, "2-16-16-16-1");
}

TEST_CASE(
    "mlp: a softmax output that underflows to 0 gives a finite ∂L/∂ŷ, and both kernels agree") {
  Case c;
  c.net.sizes = {1, 3};
  c.net.acts = {Act::kSoftmax};
  c.net.loss = LossKind::kCrossEntropy;
  c.net.W = {{1000, -1000, 0}};
  c.net.b = {{0, 0, 0}};
  c.x = {1};
  c.y = {1};  // the class whose probability is e^−2000 = 0 in double
  c.idx = {0};
  MlpSample s;
  mlp_forward(c.net, c.x.data(), c.y.data(), 1, {}, 0, s);
  REQUIRE(s.a[0][1] == 0.0);
  mlp_backward(c.net, c.y.data(), 1, {}, 0, s);
  CHECK(std::isfinite(s.dyhat[0][1]));
  CHECK(s.dyhat[0][1] < -1e300);
  CHECK(s.delta[0][1] == doctest::Approx(-1.0));  // ŷ − 1
  CHECK(s.loss == doctest::Approx(2000.0));       // −log softmax = 2000 exactly in the limit
  check_identical(c, "softmax underflow");
}
