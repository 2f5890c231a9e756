// conv2d: the convolution layer as deep-learning frameworks compute it.
//
// "Convolution" in PyTorch, TensorFlow and every CNN is cross-correlation:
// the kernel is NOT flipped. For output channel f at row y, column x:
//
//   out[f,y,x] = Σ_c Σ_i Σ_j in[c, y·sh − ph + i·dh, x·sw − pw + j·dw] · k[f,c,i,j] + b[f]
//
// with zero padding outside the input, and optionally ReLU(z) = max(0, z).
// Output size per direction: ⌊(H + 2p − d(k−1) − 1)/s⌋ + 1.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "tensor.h"

namespace sw {

struct ConvShape {
  int C = 1, H = 10, W = 10;  // input channels and size
  int F = 1, KH = 3, KW = 3;  // filters and kernel size
  int stride_h = 1, stride_w = 1;
  int pad_h = 1, pad_w = 1;
  int dil_h = 1, dil_w = 1;
  bool relu = false;

  int out_h() const;
  int out_w() const;
  int64_t terms_per_cell() const { return (int64_t)C * KH * KW; }
};

// ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1, or ≤ 0 when the kernel does not fit.
int conv_out_size(int n, int k, int stride, int pad, int dilation);

// "same" padding: p = d(k−1)/2 on each side, so that the output has ⌈H/s⌉ ×
// ⌈W/s⌉ cells — the input's own size at stride 1 (TensorFlow's "same"). The
// stride is kept. False, with the reason, when an effective kernel size
// d(k−1) + 1 is even (no symmetric padding centres it).
bool conv_same_padding(ConvShape* s, std::string* why);

// Documented limits: every input is checked against these before allocation,
// so no job, URL or typed value can exhaust memory.
struct ConvLimits {
  static constexpr int kMaxChannels = 64, kMaxFilters = 64;
  static constexpr int kMaxSide = 1024, kMaxKernel = 31;
  static constexpr int kMaxStride = 16, kMaxPad = 32, kMaxDilation = 16;
  static constexpr int64_t kMaxInput = 1 << 22;   // elements
  static constexpr int64_t kMaxOutput = 1 << 22;  // elements
  static constexpr int64_t kMaxMacs = 1ll << 31;  // multiply-adds of the whole layer (jobs)
  // The interactive lesson recomputes the layer on every change (a slider, a
  // link, a typed value), so it takes smaller layers than a job: at most this
  // many operations and input elements (every slider setting fits; a
  // change then costs well under a second even in the browser, instead of
  // a minute for 2³¹ operations).
  static constexpr int64_t kMaxLessonOps = 1ll << 25;
  static constexpr int64_t kMaxLessonInput = 1 << 18;  // input elements (4×256×256)
  // Every input, kernel and bias value lies within ±kMaxAbsValue: then no sum
  // of up to 64·31·31 products plus a bias can overflow float (3.4·10³⁸), so
  // every number of the trace and the output is finite.
  static constexpr float kMaxAbsValue = 1e15f;
};

// "" for a value the layer accepts (finite, within ±kMaxAbsValue), otherwise
// a message naming it: "input[4] = 1e+20 is outside ±1e15".
std::string conv_check_value(const std::string& name, float v);

// "" when valid, otherwise a message naming the parameter and the rule.
std::string conv_validate_shape(const ConvShape& s);

struct ConvProblem {
  ConvShape shape;
  Tensor input;             // C×H×W
  Tensor kernel;            // F×C×KH×KW
  std::vector<float> bias;  // F
};

// Operations of the layer's trace: F·HO·WO·(C·KH·KW products + bias [+ ReLU]).
int64_t conv_trace_ops(const ConvShape& s);

// Checks the shape, tensor sizes and every value (conv_check_value).
std::string conv_validate(const ConvProblem& p);

// The whole layer, in exactly the order the trace steps through it
// (channel, kernel row, kernel column; then bias; then ReLU), in float —
// so the trace's last step equals this bit for bit. out: F×HO×WO.
void conv2d_forward(float* out, const float* in, const float* kernel, const float* bias,
                    const ConvShape& s);
Tensor conv2d_forward(const ConvProblem& p);

}  // namespace sw
