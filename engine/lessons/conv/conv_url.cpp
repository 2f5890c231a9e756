#include "conv_url.h"

#include "conv_presets.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace sw {

static const char* kLevelKeys[] = {"op", "cell", "channel", "layer"};
constexpr size_t kMaxEdits = 4096;

// "c.y.x:v,…" against a tensor shape → flat offsets; false on any bad entry.
static bool parse_edits(const std::string& text, const Shape& shape, ConvLesson::Edits* out) {
  std::vector<std::pair<int64_t, float>> edits;
  if (!parse_cell_edits(text, shape, kMaxEdits, &edits)) return false;
  for (const auto& [flat, v] : edits) (*out)[flat] = v;  // the last of a cell wins
  return true;
}

// A float with 9 significant digits (reads back as the same float), without
// the '+' of "%g"'s exponent, which a link decodes as a space ("1e+15" → "1e15").
static std::string value_text(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", (double)v);
  std::string s = buf;
  s.erase(std::remove(s.begin(), s.end(), '+'), s.end());
  return s;
}

static std::string edits_text(const ConvLesson::Edits& edits, const Shape& shape) {
  std::string s;
  for (const auto& [flat, v] : edits)
    s += (s.empty() ? "" : ",") + cell_index_text(flat, shape) + ":" + value_text(v);
  return s;
}

// Appends "key="value" ignored: rule; " to the message of conv_apply_url.
static void report_bad(std::string& msg, const std::string& key, const std::string& val,
                       const char* rule) {
  msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
}

// Everything a link says, as read key by key before any of it is applied.
// A link describes the whole lesson: fields it leaves out take their defaults.
struct ConvLink {
  ConvShape s;
  std::string input = "digit", kernel;
  long long seed = 1, step = -1;
  std::string in_edits, k_edits, bias;
  int level = -1;
  bool winograd = false;
};

// The sizes C H W F KH KW: each a whole number in its own range.
static bool read_size_key(const std::string& key, const std::string& val, ConvLink& link,
                          std::string& msg) {
  ConvShape& s = link.s;
  long long v;
  struct Size {
    const char* key;
    int* field;
    int lo, hi;
  };
  const Size sizes[] = {{"C", &s.C, 1, ConvLimits::kMaxChannels},
                        {"H", &s.H, 1, 256},
                        {"W", &s.W, 1, 256},
                        {"F", &s.F, 1, ConvLimits::kMaxFilters},
                        {"KH", &s.KH, 1, ConvLimits::kMaxKernel},
                        {"KW", &s.KW, 1, ConvLimits::kMaxKernel}};
  bool handled = false;
  for (const Size& z : sizes) {
    if (key != z.key) continue;
    handled = true;
    if (parse_int(val, z.lo, z.hi, &v))
      *z.field = (int)v;
    else
      report_bad(
          msg, key, val,
          ("a whole number from " + std::to_string(z.lo) + " to " + std::to_string(z.hi)).c_str());
  }
  return handled;
}

// stride, padding, dilation ("n" or "rows,cols"), winograd and act.
static bool read_geometry_key(const std::string& key, const std::string& val, ConvLink& link,
                              std::string& msg) {
  ConvShape& s = link.s;
  int pair[2];
  if (key == "stride") {
    if (parse_int_pair(val, 1, ConvLimits::kMaxStride, pair))
      s.stride_h = pair[0], s.stride_w = pair[1];
    else
      report_bad(msg, key, val, "1 to 16, as \"s\" or \"rows,cols\"");
  } else if (key == "padding") {
    if (parse_int_pair(val, 0, ConvLimits::kMaxPad, pair))
      s.pad_h = pair[0], s.pad_w = pair[1];
    else
      report_bad(msg, key, val, "0 to 32, as \"p\" or \"rows,cols\"");
  } else if (key == "dilation") {
    if (parse_int_pair(val, 1, ConvLimits::kMaxDilation, pair))
      s.dil_h = pair[0], s.dil_w = pair[1];
    else
      report_bad(msg, key, val, "1 to 16, as \"d\" or \"rows,cols\"");
  } else if (key == "winograd") {
    if (val == "1" || val == "0")
      link.winograd = val == "1";
    else
      report_bad(msg, key, val, "0 or 1");
  } else if (key == "act") {
    if (val == "relu" || val == "none")
      s.relu = val == "relu";
    else
      report_bad(msg, key, val, "none or relu");
  } else {
    return false;
  }
  return true;
}

// input, kernel, the hand edits and the seed. The presets and edits are only
// kept here: they are checked once the geometry is known.
static bool read_data_key(const std::string& key, const std::string& val, ConvLink& link,
                          std::string& msg) {
  if (key == "input") {
    link.input = val;
  } else if (key == "kernel") {
    link.kernel = val;
  } else if (key == "in_edits") {
    link.in_edits = val;
  } else if (key == "k_edits") {
    link.k_edits = val;
  } else if (key == "bias") {
    link.bias = val;
  } else if (key == "seed") {
    if (!parse_int(val, 0, (long long)ConvLesson::kMaxSeed, &link.seed)) {
      report_bad(msg, key, val, "a whole number from 0 to 2⁵²");
      link.seed = 1;
    }
  } else {
    return false;
  }
  return true;
}

// The view: step and level (op, cell, channel, layer).
static bool read_view_key(const std::string& key, const std::string& val, ConvLink& link,
                          std::string& msg) {
  if (key == "step") {
    if (!parse_int(val, 0, 1ll << 52, &link.step)) report_bad(msg, key, val, "a whole number ≥ 0");
  } else if (key == "level") {
    // A bad value is reported even after a good one, which it leaves in place.
    const int level = int(std::find(kLevelKeys, kLevelKeys + 4, val) - kLevelKeys);
    if (level < 4)
      link.level = level;
    else
      report_bad(msg, key, val, "op, cell, channel or layer");
  } else {
    return false;
  }
  return true;
}

// The geometry as a whole may still be impossible (kernel larger than the
// padded input): then fall back to the default geometry and say why.
static void apply_shape(ConvLesson& lesson, const ConvShape& s, std::string& msg) {
  ConvShape def;  // defaults for fields that fail
  std::string err = lesson.set_shape(s);
  if (!err.empty()) {
    msg += "the sizes in the link do not fit together (" + err + "); using the defaults; ";
    lesson.set_shape(def);
  }
}

// The input and kernel presets (the kernel's default depends on its size).
static void apply_presets(ConvLesson& lesson, ConvLink& link, std::string& msg) {
  if (!lesson.set_input_preset(link.input).empty()) {
    report_bad(msg, "input", link.input,
               "an input preset (digit, edges, checkerboard, gradient, random)");
    lesson.set_input_preset("digit");
  }
  if (link.kernel.empty())
    link.kernel = lesson.shape().KH == 3 && lesson.shape().KW == 3 ? "sobel_x" : "gaussian";
  std::string e = lesson.set_kernel_preset(link.kernel);
  if (!e.empty()) {
    msg += "kernel=" + quote_value(link.kernel) + " ignored: " + e + "; ";
    // The default kernel, or a random one where Sobel does not fit.
    if (!lesson.set_kernel_preset("sobel_x").empty()) lesson.set_kernel_preset("random");
  }
}

// bias=b0,b1,… → one number per filter, or empty (and reported) when wrong.
static std::vector<float> parse_bias(const ConvLesson& lesson, const std::string& bias,
                                     std::string& msg) {
  std::vector<float> bv;
  if (bias.empty()) return bv;
  for (const std::string& t : split_list(bias, ',')) {
    float v;
    if (!parse_float(t, &v)) {
      report_bad(msg, "bias", bias, "one number per filter, comma-separated");
      bv.clear();
      break;
    }
    bv.push_back(v);
  }
  if (!bv.empty() && (int)bv.size() != lesson.shape().F) {
    report_bad(msg, "bias", bias, "one number per filter");
    bv.clear();
  }
  return bv;
}

// Hand edits and biases, after the presets they modify.
static void apply_hand_edits(ConvLesson& lesson, const ConvLink& link, std::string& msg) {
  ConvLesson::Edits ie, ke;
  if (!link.in_edits.empty() && !parse_edits(link.in_edits, lesson.problem().input.shape, &ie)) {
    report_bad(msg, "in_edits", link.in_edits,
               "c.y.x:value entries inside the input, comma-separated");
    ie.clear();
  }
  if (!link.k_edits.empty() && !parse_edits(link.k_edits, lesson.problem().kernel.shape, &ke)) {
    report_bad(msg, "k_edits", link.k_edits,
               "f.c.i.j:value entries inside the kernel, comma-separated");
    ke.clear();
  }
  std::vector<float> bv = parse_bias(lesson, link.bias, msg);
  // Biases the link leaves out (or gets wrong) are 0, like every other field
  // it leaves out — not whatever the lesson had before. Each field applies
  // (or is reported) on its own.
  const std::vector<float> zeros(lesson.shape().F, 0.f);
  if (bv.empty()) bv = zeros;
  if (bv != lesson.problem().bias) {
    std::string e2 = lesson.apply_edits({}, {}, &bv);
    if (!e2.empty()) {
      report_bad(msg, "bias", link.bias, e2.c_str());
      lesson.apply_edits({}, {}, &zeros);
    }
  }
  if (!ie.empty()) {
    std::string e2 = lesson.apply_edits(ie, {}, nullptr);
    if (!e2.empty()) report_bad(msg, "in_edits", link.in_edits, e2.c_str());
  }
  if (!ke.empty()) {
    std::string e2 = lesson.apply_edits({}, ke, nullptr);
    if (!e2.empty()) report_bad(msg, "k_edits", link.k_edits, e2.c_str());
  }
}

std::string conv_apply_url(ConvLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  ConvLink link;
  for (const auto& [key, val] : params) {
    if (read_size_key(key, val, link, msg) || read_geometry_key(key, val, link, msg) ||
        read_data_key(key, val, link, msg) || read_view_key(key, val, link, msg))
      continue;
    if (unused) unused->emplace_back(key, val);
  }
  apply_shape(lesson, link.s, msg);
  lesson.set_seed((uint64_t)link.seed);
  apply_presets(lesson, link, msg);
  apply_hand_edits(lesson, link, msg);
  lesson.set_winograd_enabled(link.winograd);
  return finish_apply_url(lesson, link.level, link.step, std::move(msg));
}

std::string conv_url(const ConvLesson& l) {
  const ConvShape& s = l.shape();
  auto pair = [](int a, int b) {
    return a == b ? std::to_string(a) : std::to_string(a) + "," + std::to_string(b);
  };
  std::string u = "C=" + std::to_string(s.C) + "&H=" + std::to_string(s.H) +
                  "&W=" + std::to_string(s.W) + "&F=" + std::to_string(s.F) +
                  "&KH=" + std::to_string(s.KH) + "&KW=" + std::to_string(s.KW) +
                  "&stride=" + pair(s.stride_h, s.stride_w) + "&padding=" + pair(s.pad_h, s.pad_w) +
                  "&dilation=" + pair(s.dil_h, s.dil_w) + "&act=" + (s.relu ? "relu" : "none") +
                  "&input=" + url_encode(l.input_preset()) +
                  "&kernel=" + url_encode(l.kernel_preset()) + "&seed=" + std::to_string(l.seed());
  bool any_bias = false;
  for (float b : l.problem().bias) any_bias |= b != 0.f;
  if (any_bias) {
    std::string b;
    for (float v : l.problem().bias) b += (b.empty() ? "" : ",") + value_text(v);
    u += "&bias=" + b;
  }
  if (!l.input_edits().empty())
    u += "&in_edits=" + edits_text(l.input_edits(), l.problem().input.shape);
  if (!l.kernel_edits().empty())
    u += "&k_edits=" + edits_text(l.kernel_edits(), l.problem().kernel.shape);
  if (l.winograd_enabled()) u += "&winograd=1";
  return u + "&level=" + kLevelKeys[l.stepper().level()] + "&step=" + std::to_string(l.step());
}

}  // namespace sw
