// The benchmark's WebAssembly module, built twice from the same sources:
// with -msimd128 (stepwise-bench-simd) and without (stepwise-bench-scalar,
// where the f32x4 code is lowered to scalar instructions). bench/run.mjs
// loads both in Node and times these exports from JavaScript.
#include <emscripten.h>

#include <string>

#include "bench_cases.h"
#include "kernels/batchnorm_simd.h"
#include "kernels/conv2d_simd.h"
#include "kernels/conv2d_winograd.h"
#include "kernels/mlp_simd.h"
#include "kernels/svm_simd.h"
#include "peak.h"

namespace {
std::string g_reply;
}

extern "C" {

EMSCRIPTEN_KEEPALIVE int bench_count() {
  return (int)bench::cases().size();
}

// Case i as JSON, with the memory offsets of its buffers.
EMSCRIPTEN_KEEPALIVE const char* bench_describe(int i) {
  g_reply = i >= 0 && i < bench_count() ? bench::describe(*bench::cases()[i], true) : "null";
  return g_reply.c_str();
}

// One call of case i: impl 0 = the fast:: kernel, 1 = the scalar reference,
// 2 = the Winograd kernel (cases whose description says "winograd": true).
EMSCRIPTEN_KEEPALIVE void bench_run(int i, int impl) {
  if (i < 0 || i >= bench_count() || impl < 0 || impl > 2) return;
  const auto which = (bench::Impl)impl;
  if (bench::cases()[i]->has(which)) bench::cases()[i]->run(which);
}

EMSCRIPTEN_KEEPALIVE float bench_peak(int iters, float m, float a) {
  return bench::madd_peak(iters, m, a);
}

// Every public fast:: kernel, by address: each then stays a function of its
// own in the module (even those no case calls), which scripts/check_simd.py
// inspects with wasm-objdump.
EMSCRIPTEN_KEEPALIVE const void* bench_kernel(int i) {
  using namespace sw::fast;
  static const void* const kernels[] = {
      (const void*)static_cast<void (*)(float*, const float*, const float*, const float*,
                                        const sw::ConvShape&, ConvWorkspace&)>(&conv2d_forward),
      (const void*)&conv2d_winograd,
      (const void*)&batchnorm_stats_nc,
      (const void*)&batchnorm_normalize_nc,
      (const void*)&batchnorm_forward_nc,
      (const void*)&batchnorm_stats_nchw,
      (const void*)&batchnorm_normalize_nchw,
      (const void*)&batchnorm_forward_nchw,
      (const void*)&svm_margins,
      (const void*)&svm_decision_values,
      (const void*)&svm_decision_grid,
      (const void*)&svm_hinge_subgradient,
      (const void*)&svm_smo_pass,
      (const void*)&sw::fast::mlp_batch,
      (const void*)&bench::madd_peak};
  const int n = (int)(sizeof kernels / sizeof kernels[0]);
  return i >= 0 && i < n ? kernels[i] : nullptr;
}

// "simd" or "scalar": what this module was compiled for.
EMSCRIPTEN_KEEPALIVE const char* bench_build() {
#if defined(__wasm_simd128__)
  return "simd";
#else
  return "scalar";
#endif
}
}
