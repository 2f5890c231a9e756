#include <algorithm>

#include "conv_job.h"
#include "conv_trace.h"
#include "conv_winograd.h"

namespace sw {

// padding: a whole number, a pair, or "valid" / "same" (stride 1, odd effective kernel).
static bool read_padding(const Json& v, const ConvShape& s, int pad[2], std::string& err) {
  if (v.is_string()) {
    std::string mode = v.get<std::string>();
    if (mode == "valid") {
      pad[0] = pad[1] = 0;
      return true;
    }
    if (mode == "same") {
      int span_h = s.dil_h * (s.KH - 1), span_w = s.dil_w * (s.KW - 1);
      if (s.stride_h != 1 || s.stride_w != 1 || span_h % 2 || span_w % 2) {
        err = "padding \"same\" needs stride 1 and an odd effective kernel size";
        return false;
      }
      pad[0] = span_h / 2, pad[1] = span_w / 2;
      return true;
    }
    err = "padding must be [rows, columns], a whole number, \"same\" or \"valid\" (got \"" + mode +
          "\")";
    return false;
  }
  return json_int_pair(v, "padding", 0, ConvLimits::kMaxPad, pad, err);
}

bool conv_problem_from_job(const Json& job, ConvProblem& p, bool* want_trace, std::string& err) {
  using L = ConvLimits;
  if (!json_check_keys(job,
                       {"lesson", "input", "kernel", "bias", "stride", "padding", "dilation",
                        "activation", "trace", "winograd"},
                       err))
    return false;
  if (!job.contains("input") || !job.contains("kernel")) {
    err = "a conv job needs \"input\" and \"kernel\"";
    return false;
  }
  if (!json_tensor(job["input"], "input", 3, L::kMaxSide, L::kMaxInput, p.input, err)) return false;
  if (!json_tensor(job["kernel"], "kernel", 4, L::kMaxSide, L::kMaxInput, p.kernel, err))
    return false;
  ConvShape& s = p.shape;
  s.C = p.input.shape[0], s.H = p.input.shape[1], s.W = p.input.shape[2];
  s.F = p.kernel.shape[0], s.KH = p.kernel.shape[2], s.KW = p.kernel.shape[3];
  if (p.kernel.shape[1] != s.C) {
    err = "kernel has " + std::to_string(p.kernel.shape[1]) + " input channels but the input has " +
          std::to_string(s.C);
    return false;
  }
  int pair[2];
  if (job.contains("stride")) {
    if (!json_int_pair(job["stride"], "stride", 1, L::kMaxStride, pair, err)) return false;
    s.stride_h = pair[0], s.stride_w = pair[1];
  } else {
    s.stride_h = s.stride_w = 1;
  }
  if (job.contains("dilation")) {
    if (!json_int_pair(job["dilation"], "dilation", 1, L::kMaxDilation, pair, err)) return false;
    s.dil_h = pair[0], s.dil_w = pair[1];
  } else {
    s.dil_h = s.dil_w = 1;
  }
  s.pad_h = s.pad_w = 0;
  if (job.contains("padding")) {
    if (!read_padding(job["padding"], s, pair, err)) return false;
    s.pad_h = pair[0], s.pad_w = pair[1];
  }
  if (job.contains("activation")) {
    std::string act;
    if (!json_string(job["activation"], "activation", act, err)) return false;
    if (act != "none" && act != "relu") {
      err = "activation must be \"none\" or \"relu\" (got \"" + act + "\")";
      return false;
    }
    s.relu = act == "relu";
  }
  p.bias.assign(s.F, 0.f);
  if (job.contains("bias")) {
    if (!json_numbers(job["bias"], "bias", L::kMaxFilters, p.bias, err)) return false;
    if ((int)p.bias.size() != s.F) {
      err = "bias has " + std::to_string(p.bias.size()) + " values; the kernel has " +
            std::to_string(s.F) + " filters";
      return false;
    }
  }
  *want_trace = false;
  if (job.contains("trace") && !json_bool(job["trace"], "trace", *want_trace, err)) return false;
  return (err = conv_validate(p)).empty();
}

bool conv_job(const Json& job, Json& out, std::string& err) {
  ConvProblem p;
  bool want_trace = false;
  if (!conv_problem_from_job(job, p, &want_trace, err)) return false;

  bool winograd = false;
  if (job.contains("winograd") && !json_bool(job["winograd"], "winograd", winograd, err))
    return false;
  if (winograd && !fast::winograd_applies(p.shape)) {
    err = "\"winograd\": true needs a 3×3 kernel, stride 1 and dilation 1";
    return false;
  }

  ConvTrace trace(std::move(p));
  Json ops;
  if (!job_trace(trace, want_trace, ops, err)) return false;
  out = Json{{"output", json_tensor_out(trace.result())}, {"steps", trace.size()}};
  if (winograd) {
    // The same layer by Winograd F(4×4, 3×3), and how far it is from "output".
    fast::WinogradWorkspace ws;
    const WinogradComparison w = conv_compare_winograd(trace.problem(), trace.result(), ws);
    out["winograd"] = Json{
        {"output", json_tensor_out(w.output)},       {"max_abs_diff", w.max_abs_diff},
        {"max_scaled_diff", w.max_scaled},           {"differing_cells", w.differing},
        {"bound", fast::kWinogradTolerance},         {"multiplies", w.multiplies},
        {"direct_multiplies", w.direct_multiplies},  {"max_tile_scaled_diff", w.max_tile_scaled},
        {"tile_bound", fast::kWinogradTileTolerance}};
  }
  if (want_trace) out["trace"] = std::move(ops);
  return true;
}

}  // namespace sw

namespace sw {

Json conv_job_of(const ConvProblem& p) {
  const ConvShape& s = p.shape;
  return Json{{"lesson", "conv"},
              {"input", json_tensor_out(p.input)},
              {"kernel", json_tensor_out(p.kernel)},
              {"bias", json_floats(p.bias)},
              {"stride", {s.stride_h, s.stride_w}},
              {"padding", {s.pad_h, s.pad_w}},
              {"dilation", {s.dil_h, s.dil_w}},
              {"activation", s.relu ? "relu" : "none"}};
}

}  // namespace sw
