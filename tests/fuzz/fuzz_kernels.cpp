// Fuzz target: every SIMD kernel against its scalar reference (kernel_check.h).
//
// Input: the first byte picks a registered check (modulo their number, in
// name order); the rest is that check's shapes and values, read with
// FuzzedDataProvider. Workspaces persist between inputs, as in the lessons,
// so stale contents must never leak into a result.
//   build/fuzz/tests/fuzz/stepwise-fuzz-kernels tests/fuzz/corpus/kernels
// `STEPWISE_FUZZ_LIST=1 stepwise-fuzz-kernels` prints the checks;
// `STEPWISE_FUZZ_GEN=<dir> stepwise-fuzz-kernels` writes seed inputs there:
// for each check, a few inputs that start with its byte.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "kernels/kernel_check.h"

using namespace sw::fuzz;

namespace sw::fuzz {

std::vector<KernelCheck>& kernel_checks() {
  static std::vector<KernelCheck> checks;
  return checks;
}

KernelCheckRegistrar::KernelCheckRegistrar(const char* name, void (*run)(FuzzedDataProvider&)) {
  auto& v = kernel_checks();
  v.push_back({name, run});
  std::sort(v.begin(), v.end(), [](const KernelCheck& a, const KernelCheck& b) {
    return std::strcmp(a.name, b.name) < 0;
  });
}

}  // namespace sw::fuzz

// Seeds: each check's byte followed by a few fixed patterns (all zeros,
// a ramp, a repeated pattern that gives larger shapes).
static void write_seeds(const std::string& dir) {
  const auto& checks = kernel_checks();
  for (size_t i = 0; i < checks.size(); ++i)
    for (int pattern = 0; pattern < 3; ++pattern) {
      std::string data(1, (char)i);
      for (int k = 0; k < 600; ++k)
        data += (char)(pattern == 0 ? 0 : pattern == 1 ? k * 7 : (k % 5) * 61 + 3);
      std::ofstream(dir + "/" + checks[i].name + "-" + std::to_string(pattern), std::ios::binary)
          << data;
    }
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (std::getenv("STEPWISE_FUZZ_LIST")) {
    for (const KernelCheck& c : kernel_checks()) std::printf("%s\n", c.name);
    std::exit(0);
  }
  if (const char* dir = std::getenv("STEPWISE_FUZZ_GEN")) {
    write_seeds(dir);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const auto& checks = kernel_checks();
  if (size == 0 || checks.empty()) return 0;
  const KernelCheck& check = checks[data[0] % checks.size()];
  FuzzedDataProvider in(data + 1, size - 1);
  no_throw([&] { check.run(in); }, check.name);
  return 0;
}
