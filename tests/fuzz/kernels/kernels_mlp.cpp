// Kernel check of the network lesson (kernel_check.h):
//   mlp_batch   fast::mlp_batch against ref::mlp_batch (kernels/mlp_simd.h):
//               the loss and every gradient bit for bit, as the header states
//               and tests/unit/test_mlp_kernels.cpp checks on random networks —
//               here on fuzzed architectures (0–8 hidden layers of 1–16 units,
//               1–16 inputs and outputs), every hidden activation, every valid
//               output/loss pair, dropout masks and p, batches with repeats,
//               and weights and inputs up to ±10³ (saturating, overflowing to
//               ±∞ or NaN in both alike: then the bits must still agree).

#include "kernel_check.h"
#include "kernels/mlp_simd.h"

namespace sw::fuzz {
namespace {

std::vector<double> doubles(FuzzedDataProvider& in, size_t n, float max_abs) {
  const std::vector<float> f = fuzz_values(in, n, max_abs);
  return std::vector<double>(f.begin(), f.end());
}

void mlp_batch(FuzzedDataProvider& in) {
  MlpNet net;
  const int hidden = in.ConsumeIntegralInRange(0, MlpLimits::kMaxHidden);
  net.sizes.push_back(in.ConsumeIntegralInRange(1, MlpLimits::kMaxInputs));
  const Act acts[] = {Act::kSigmoid, Act::kTanh, Act::kRelu, Act::kLeakyRelu, Act::kLinear};
  for (int l = 0; l < hidden; ++l) {
    net.sizes.push_back(in.ConsumeIntegralInRange(1, MlpLimits::kMaxUnits));
    net.acts.push_back(acts[in.ConsumeIntegralInRange(0, 4)]);
  }
  struct Out {
    Act act;
    LossKind loss;
  };
  const Out outs[] = {{Act::kSigmoid, LossKind::kBce},  {Act::kLinear, LossKind::kMse},
                      {Act::kTanh, LossKind::kMse},     {Act::kSigmoid, LossKind::kHalfSse},
                      {Act::kLinear, LossKind::kHinge}, {Act::kSoftmax, LossKind::kCrossEntropy}};
  const Out o = outs[in.ConsumeIntegralInRange(0, 5)];
  const int k = o.loss == LossKind::kHinge          ? 1
                : o.loss == LossKind::kCrossEntropy ? in.ConsumeIntegralInRange(2, 16)
                                                    : in.ConsumeIntegralInRange(1, 16);
  net.sizes.push_back(k);
  net.acts.push_back(o.act);
  net.loss = o.loss;
  if (!mlp_validate_shape(net).empty()) return;  // the lesson refuses it before any kernel
  for (int l = 0; l < net.layers(); ++l) {
    net.W.push_back(doubles(in, (size_t)net.sizes[l] * net.sizes[l + 1], 1e3f));
    net.b.push_back(doubles(in, net.sizes[l + 1], 1e3f));
  }
  const int n = in.ConsumeIntegralInRange(1, 24);
  const std::vector<double> x = doubles(in, (size_t)n * net.sizes[0], 1e3f);
  std::vector<double> y;
  for (int i = 0; i < n; ++i) {
    if (o.loss == LossKind::kCrossEntropy)
      y.push_back(in.ConsumeIntegralInRange(0, k - 1));
    else if (o.loss == LossKind::kHinge)
      y.push_back(in.ConsumeBool() ? 1 : -1);
    else
      for (int j = 0; j < k; ++j)
        y.push_back(o.loss == LossKind::kBce ? in.ConsumeIntegralInRange(0, 4) / 4.0
                                             : fuzz_value(in, 1e3f));
  }
  std::vector<int32_t> idx(in.ConsumeIntegralInRange(1, 2 * n));
  for (int32_t& i : idx) i = in.ConsumeIntegralInRange(0, n - 1);
  MlpMasks masks;
  double p = 0;
  if (hidden > 0 && in.ConsumeBool()) {
    p = in.ConsumeIntegralInRange(0, 95) / 100.0;
    for (int l = 0; l < hidden; ++l) {
      std::vector<unsigned char> row((size_t)n * net.sizes[l + 1]);
      for (unsigned char& v : row) v = in.ConsumeBool();
      masks.push_back(std::move(row));
    }
  }
  MlpGrads gf, gr;
  const double lf = fast::mlp_batch(net, x, y, idx, masks, p, &gf);
  const double lr = ref::mlp_batch(net, x, y, idx, masks, p, &gr);
  std::string arch;
  for (int s : net.sizes) arch += std::to_string(s) + " ";
  FUZZ_REQUIRE(same_double(lf, lr), "loss, sizes " + arch);
  const std::vector<double> a = gf.flat(), b = gr.flat();
  FUZZ_REQUIRE(a.size() == b.size(), "gradient count, sizes " + arch);
  for (size_t i = 0; i < a.size(); ++i)
    FUZZ_REQUIRE(same_double(a[i], b[i]), "gradient " + std::to_string(i) + ", sizes " + arch);
}
STEPWISE_KERNEL_CHECK(mlp_batch);

}  // namespace
}  // namespace sw::fuzz
