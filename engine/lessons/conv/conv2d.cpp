#include "conv2d.h"

#include <cmath>
#include <cstdio>

namespace sw {

int conv_out_size(int n, int k, int stride, int pad, int dilation) {
  int64_t span = (int64_t)n + 2 * (int64_t)pad - (int64_t)dilation * (k - 1) - 1;
  if (span < 0 || stride <= 0) return 0;
  return (int)(span / stride) + 1;
}

bool conv_same_padding(ConvShape* s, std::string* why) {
  const int span_h = s->dil_h * (s->KH - 1), span_w = s->dil_w * (s->KW - 1);
  if (span_h % 2 || span_w % 2) {
    *why = "\"same\" padding needs an odd effective kernel size d(k−1) + 1 (here " +
           std::to_string(span_h + 1) + " × " + std::to_string(span_w + 1) + ")";
    return false;
  }
  s->pad_h = span_h / 2, s->pad_w = span_w / 2;
  return true;
}

int ConvShape::out_h() const {
  return conv_out_size(H, KH, stride_h, pad_h, dil_h);
}
int ConvShape::out_w() const {
  return conv_out_size(W, KW, stride_w, pad_w, dil_w);
}

static std::string range_error(const char* what, int v, int lo, int hi) {
  return std::string(what) + " must be between " + std::to_string(lo) + " and " +
         std::to_string(hi) + " (got " + std::to_string(v) + ")";
}

std::string conv_validate_shape(const ConvShape& s) {
  using L = ConvLimits;
  struct Check {
    const char* what;
    int v, lo, hi;
  };
  const Check checks[] = {
      {"channels C", s.C, 1, L::kMaxChannels},
      {"height H", s.H, 1, L::kMaxSide},
      {"width W", s.W, 1, L::kMaxSide},
      {"filters F", s.F, 1, L::kMaxFilters},
      {"kernel height KH", s.KH, 1, L::kMaxKernel},
      {"kernel width KW", s.KW, 1, L::kMaxKernel},
      {"stride (rows)", s.stride_h, 1, L::kMaxStride},
      {"stride (columns)", s.stride_w, 1, L::kMaxStride},
      {"padding (rows)", s.pad_h, 0, L::kMaxPad},
      {"padding (columns)", s.pad_w, 0, L::kMaxPad},
      {"dilation (rows)", s.dil_h, 1, L::kMaxDilation},
      {"dilation (columns)", s.dil_w, 1, L::kMaxDilation},
  };
  for (const Check& c : checks)
    if (c.v < c.lo || c.v > c.hi) return range_error(c.what, c.v, c.lo, c.hi);

  int64_t eff_h = (int64_t)s.dil_h * (s.KH - 1) + 1, eff_w = (int64_t)s.dil_w * (s.KW - 1) + 1;
  int64_t padded_h = s.H + 2 * s.pad_h, padded_w = s.W + 2 * s.pad_w;
  if (eff_h > padded_h)
    return "kernel is taller than the padded input: d(k−1)+1 = " + std::to_string(eff_h) +
           " > H+2p = " + std::to_string(padded_h);
  if (eff_w > padded_w)
    return "kernel is wider than the padded input: d(k−1)+1 = " + std::to_string(eff_w) +
           " > W+2p = " + std::to_string(padded_w);

  int64_t in = (int64_t)s.C * s.H * s.W;
  if (in > L::kMaxInput)
    return "input has " + std::to_string(in) + " elements; the limit is " +
           std::to_string(L::kMaxInput);
  int64_t out = (int64_t)s.F * s.out_h() * s.out_w();
  if (out > L::kMaxOutput)
    return "output would have " + std::to_string(out) + " elements; the limit is " +
           std::to_string(L::kMaxOutput);
  if (out * s.terms_per_cell() > L::kMaxMacs)
    return "layer would need " + std::to_string(out * s.terms_per_cell()) +
           " multiply-adds; the limit is " + std::to_string(L::kMaxMacs);
  return "";
}

int64_t conv_trace_ops(const ConvShape& s) {
  return (int64_t)s.F * s.out_h() * s.out_w() * (s.terms_per_cell() + 1 + (s.relu ? 1 : 0));
}

std::string conv_check_value(const std::string& name, float v) {
  if (!std::isfinite(v)) return name + " is not a finite number";
  if (std::fabs(v) > ConvLimits::kMaxAbsValue) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", (double)v);
    return name + " = " + buf + " is outside ±1e15 (larger values could overflow float)";
  }
  return "";
}

static std::string check_values(const char* name, const std::vector<float>& v) {
  // The element's name is built only for a bad value: every rebuild of the
  // lesson (one per dragged value) checks the whole input, and a string per
  // element made that cost more than the convolution itself.
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]) || std::fabs(v[i]) > ConvLimits::kMaxAbsValue)
      return conv_check_value(std::string(name) + "[" + std::to_string(i) + "]", v[i]);
  return "";
}

std::string conv_validate(const ConvProblem& p) {
  const ConvShape& s = p.shape;
  std::string err = conv_validate_shape(s);
  if (!err.empty()) return err;
  if (p.input.shape != Shape{s.C, s.H, s.W})
    return "input shape " + shape_str(p.input.shape) +
           " does not match C×H×W = " + shape_str({s.C, s.H, s.W});
  if (p.kernel.shape != Shape{s.F, s.C, s.KH, s.KW})
    return "kernel shape " + shape_str(p.kernel.shape) +
           " does not match F×C×KH×KW = " + shape_str({s.F, s.C, s.KH, s.KW});
  if ((int)p.bias.size() != s.F)
    return "bias has " + std::to_string(p.bias.size()) + " values; expected one per filter (" +
           std::to_string(s.F) + ")";
  if (!(err = check_values("input", p.input.data)).empty()) return err;
  if (!(err = check_values("kernel", p.kernel.data)).empty()) return err;
  return check_values("bias", p.bias);
}

void conv2d_forward(float* out, const float* in, const float* kernel, const float* bias,
                    const ConvShape& s) {
  const int HO = s.out_h(), WO = s.out_w();
  for (int f = 0; f < s.F; ++f)
    for (int y = 0; y < HO; ++y)
      for (int x = 0; x < WO; ++x) {
        float acc = 0.f;
        for (int c = 0; c < s.C; ++c)
          for (int i = 0; i < s.KH; ++i) {
            int iy = y * s.stride_h - s.pad_h + i * s.dil_h;
            for (int j = 0; j < s.KW; ++j) {
              int ix = x * s.stride_w - s.pad_w + j * s.dil_w;
              bool inside = iy >= 0 && iy < s.H && ix >= 0 && ix < s.W;
              float v = inside ? in[((int64_t)c * s.H + iy) * s.W + ix] : 0.f;
              acc = acc + v * kernel[(((int64_t)f * s.C + c) * s.KH + i) * s.KW + j];
            }
          }
        acc = acc + bias[f];
        if (s.relu) acc = acc > 0.f ? acc : 0.f;
        out[((int64_t)f * HO + y) * WO + x] = acc;
      }
}

Tensor conv2d_forward(const ConvProblem& p) {
  Tensor out({p.shape.F, p.shape.out_h(), p.shape.out_w()});
  conv2d_forward(out.data.data(), p.input.data.data(), p.kernel.data.data(), p.bias.data(),
                 p.shape);
  return out;
}

}  // namespace sw
