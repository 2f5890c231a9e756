// bench_cases: the benchmark's inputs and the calls it times, shared by the
// native driver (native_main.cpp) and the WebAssembly module (wasm_api.cpp)
// that bench/run.mjs loads next to TensorFlow.js.
//
//   for (auto& c : bench::cases()) { c->run(bench::Impl::kSimd); ... }
//
// Every input comes from sw::Rng with a fixed seed, so native, wasm (SIMD and
// scalar builds) and — through the module's memory — TensorFlow.js all see
// the same numbers. Kernels are called through function pointers held by the
// case: the kernels then stay separate functions in the wasm module (Binaryen
// would inline a kernel with a single direct caller), which keeps their names
// for the `wasm-objdump -d` check and lets V8 tier each one up on its own.
#pragma once
#include <memory>
#include <string>
#include <vector>

namespace bench {

// fast:: kernel, scalar reference, and (3×3 stride-1 convolutions only) the
// Winograd F(4×4, 3×3) kernel.
enum class Impl { kSimd = 0, kRef = 1, kWinograd = 2 };

struct Buffer {
  std::string name;
  std::vector<float> data;
};

class Case {
 public:
  virtual ~Case() = default;
  virtual void run(Impl impl) = 0;
  virtual bool has(Impl impl) const { return impl != Impl::kWinograd; }

  std::string name;    // "conv_128x128x32_k3x3x32"
  std::string group;   // conv, batchnorm, hinge, smo, grid
  std::string layout;  // how the shape reads, e.g. "NCHW 1×32×128×128, F×C×KH×KW 32×32×3×3"
  double flops = 0;    // floating-point operations per call; 0 = not defined
  std::string params;           // JSON object with the sizes TensorFlow.js needs
  std::vector<Buffer> buffers;  // inputs, then outputs

  float* buf(const std::string& n);
};

// All cases, inputs generated on first use.
const std::vector<std::unique_ptr<Case>>& cases();

// A JSON object describing case i; buffer addresses are included when
// `with_pointers` (the wasm module's memory offsets, for run.mjs).
std::string describe(const Case& c, bool with_pointers);

}  // namespace bench
