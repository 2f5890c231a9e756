#include "conv_url.h"

#include "conv_presets.h"

namespace sw {

static const char* kLevelKeys[] = {"op", "cell", "channel", "layer"};

std::string conv_apply_url(ConvLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  auto bad = [&](const std::string& key, const std::string& val, const char* rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  ConvShape def;  // defaults for fields that fail
  ConvShape s = def;
  // A link describes the whole lesson: fields it leaves out take their defaults.
  std::string input = "digit", kernel;
  long long seed = 1, step = -1;
  int level = -1;
  for (const auto& [key, val] : params) {
    long long v;
    int pair[2];
    struct Size { const char* key; int* field; int lo, hi; };
    const Size sizes[] = {{"C", &s.C, 1, ConvLimits::kMaxChannels}, {"H", &s.H, 1, 256},
                          {"W", &s.W, 1, 256}, {"F", &s.F, 1, ConvLimits::kMaxFilters},
                          {"KH", &s.KH, 1, ConvLimits::kMaxKernel}, {"KW", &s.KW, 1, ConvLimits::kMaxKernel}};
    bool handled = false;
    for (const Size& z : sizes) {
      if (key != z.key) continue;
      handled = true;
      if (parse_int(val, z.lo, z.hi, &v)) *z.field = (int)v;
      else bad(key, val, ("a whole number from " + std::to_string(z.lo) + " to " + std::to_string(z.hi)).c_str());
    }
    if (handled) continue;
    if (key == "stride") {
      if (parse_int_pair(val, 1, ConvLimits::kMaxStride, pair)) s.stride_h = pair[0], s.stride_w = pair[1];
      else bad(key, val, "1 to 16, as \"s\" or \"rows,cols\"");
    } else if (key == "padding") {
      if (parse_int_pair(val, 0, ConvLimits::kMaxPad, pair)) s.pad_h = pair[0], s.pad_w = pair[1];
      else bad(key, val, "0 to 32, as \"p\" or \"rows,cols\"");
    } else if (key == "dilation") {
      if (parse_int_pair(val, 1, ConvLimits::kMaxDilation, pair)) s.dil_h = pair[0], s.dil_w = pair[1];
      else bad(key, val, "1 to 16, as \"d\" or \"rows,cols\"");
    } else if (key == "act") {
      if (val == "relu" || val == "none") s.relu = val == "relu";
      else bad(key, val, "none or relu");
    } else if (key == "input") {
      input = val;
    } else if (key == "kernel") {
      kernel = val;
    } else if (key == "seed") {
      if (!parse_int(val, 0, 1ll << 52, &seed)) bad(key, val, "a whole number ≥ 0"), seed = 1;
    } else if (key == "step") {
      if (!parse_int(val, 0, 1ll << 52, &step)) bad(key, val, "a whole number ≥ 0");
    } else if (key == "level") {
      for (int l = 0; l < 4; ++l)
        if (val == kLevelKeys[l]) level = l;
      if (level < 0) bad(key, val, "op, cell, channel or layer");
    } else if (unused) {
      unused->emplace_back(key, val);
    }
  }
  // The geometry as a whole may still be impossible (kernel larger than the
  // padded input): then fall back to the default geometry and say why.
  std::string err = lesson.set_shape(s);
  if (!err.empty()) {
    msg += "the sizes in the link do not fit together (" + err + "); using the defaults; ";
    lesson.set_shape(def);
  }
  lesson.set_seed((uint64_t)seed);
  if (!lesson.set_input_preset(input).empty()) {
    bad("input", input, "an input preset (digit, edges, checkerboard, gradient, random)");
    lesson.set_input_preset("digit");
  }
  if (kernel.empty()) kernel = lesson.shape().KH == 3 && lesson.shape().KW == 3 ? "sobel_x" : "gaussian";
  std::string e = lesson.set_kernel_preset(kernel);
  if (!e.empty()) {
    msg += "kernel=" + quote_value(kernel) + " ignored: " + e + "; ";
    // The default kernel, or a random one where Sobel does not fit.
    if (!lesson.set_kernel_preset("sobel_x").empty()) lesson.set_kernel_preset("random");
  }
  if (level >= 0) lesson.stepper().set_level(lesson.trace(), level);
  if (step >= 0) {
    if (step > lesson.trace().size()) msg += "step=" + std::to_string(step) + " is past the end; ";
    lesson.stepper().seek(lesson.trace(), step);
  }
  if (!msg.empty()) msg.resize(msg.size() - 2);
  return msg;
}

std::string conv_url(const ConvLesson& l) {
  const ConvShape& s = l.shape();
  auto pair = [](int a, int b) { return a == b ? std::to_string(a) : std::to_string(a) + "," + std::to_string(b); };
  std::string u = "C=" + std::to_string(s.C) + "&H=" + std::to_string(s.H) + "&W=" + std::to_string(s.W) +
                  "&F=" + std::to_string(s.F) + "&KH=" + std::to_string(s.KH) + "&KW=" + std::to_string(s.KW) +
                  "&stride=" + pair(s.stride_h, s.stride_w) + "&padding=" + pair(s.pad_h, s.pad_w) +
                  "&dilation=" + pair(s.dil_h, s.dil_w) + "&act=" + (s.relu ? "relu" : "none") +
                  "&input=" + url_encode(l.input_preset()) + "&kernel=" + url_encode(l.kernel_preset()) +
                  "&seed=" + std::to_string(l.seed()) + "&level=" + kLevelKeys[l.stepper().level()] +
                  "&step=" + std::to_string(l.step());
  return u;
}

}  // namespace sw
