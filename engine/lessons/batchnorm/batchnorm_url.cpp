#include "batchnorm_url.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>

namespace sw {

static const char* kLevelKeys[] = {"op", "element", "channel", "batch"};

bool parse_float_list(const std::string& t, std::vector<float>* out) {
  const std::vector<std::string> items = split_list(t, ',');
  if (items.size() > (size_t)BnLessonLimits::kMaxC) return false;  // one per channel at most
  std::vector<float> v(items.size());
  for (size_t i = 0; i < items.size(); ++i)
    if (!parse_float(items[i], &v[i])) return false;
  *out = std::move(v);
  return true;
}

std::string float_text(float v) {
  char buf[32];
  for (int digits = 6; digits <= 9; ++digits) {
    std::snprintf(buf, sizeof buf, "%.*g", digits, (double)v);
    if (std::strtof(buf, nullptr) == v) break;
  }
  std::string s = buf;
  size_t e = s.find("e+");
  if (e != std::string::npos) s.erase(e + 1, 1);  // "1e+06" -> "1e06": no '+' in links
  return s;
}

static std::string float_list(const std::vector<float>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) s += (i ? "," : "") + float_text(v[i]);
  return s;
}

namespace {

// What a link asks for, parsed field by field; fields that fail their rule
// are reported through `bad` and keep these defaults.
struct BnLink {
  BnShape shape;
  bool sized = false;  // the link gives N, C or the shape
  std::string preset = "scales";
  long long seed = 1, step = -1, draw = 0, updates = 0;
  int level = -1;
  bool has_eps = false, has_mom = false, backward = false;
  float eps = 0, mom = 0;
  BnConfig cfg;
  std::string gamma, beta, rmean, rvar, edits;  // checked once the channel count is known
};

using Bad = std::function<void(const std::string&, const std::string&, const std::string&)>;

// N, C, H, W and shape=N,C[,H,W]; false if `key` is none of them.
bool parse_size_field(const std::string& key, const std::string& val, BnLink& k, const Bad& bad) {
  using L = BnLessonLimits;
  BnShape& s = k.shape;
  if (key == "N" || key == "C" || key == "H" || key == "W") {
    k.sized |= key != "H" && key != "W";
    const int hi = key == "N" ? L::kMaxN : key == "C" ? L::kMaxC : L::kMaxSide;
    long long v;
    if (!parse_int(val, 1, hi, &v))
      return bad(key, val, "a whole number from 1 to " + std::to_string(hi)), true;
    if (key == "N") s.N = (int)v;
    if (key == "C") s.C = (int)v;
    if (key == "H") s.H = (int)v, s.spatial = true;
    if (key == "W") s.W = (int)v, s.spatial = true;
    return true;
  }
  if (key != "shape") return false;
  k.sized = true;
  std::vector<float> d;
  bool ok = parse_float_list(val, &d) && (d.size() == 2 || d.size() == 4);
  for (float x : d) ok = ok && x == std::floor(x) && x >= 1 && x <= L::kMaxN;
  if (!ok) return bad(key, val, "N,C or N,C,H,W"), true;
  s.N = (int)d[0], s.C = (int)d[1];
  s.spatial = d.size() == 4;
  s.H = s.spatial ? (int)d[2] : 1, s.W = s.spatial ? (int)d[3] : 1;
  return true;
}

// Every other field; false if `key` is not the lesson's.
bool parse_setting_field(const std::string& key, const std::string& val, BnLink& k,
                         const Bad& bad) {
  if (key == "preset") {
    k.preset = val;
  } else if (key == "seed") {
    if (!parse_int(val, 0, 1ll << 52, &k.seed)) bad(key, val, "a whole number ≥ 0"), k.seed = 1;
  } else if (key == "mode") {
    if (!bn_parse_mode(val, &k.cfg.mode)) bad(key, val, "train or inference");
  } else if (key == "convention") {
    if (!bn_parse_convention(val, &k.cfg.convention)) bad(key, val, "pytorch or keras");
  } else if (key == "epsilon") {
    k.has_eps = parse_float(val, &k.eps) && k.eps >= (float)BnLimits::kMinEpsilon &&
                k.eps <= (float)BnLimits::kMaxEpsilon;
    if (!k.has_eps) bad(key, val, "a number from 1e-12 to 1");
  } else if (key == "momentum") {
    k.has_mom = parse_float(val, &k.mom) && k.mom >= 0 && k.mom <= 1;
    if (!k.has_mom) bad(key, val, "a number from 0 to 1");
  } else if (key == "gamma" || key == "beta" || key == "rmean" || key == "rvar" ||
             key == "x_edits") {
    (key == "gamma"   ? k.gamma
     : key == "beta"  ? k.beta
     : key == "rmean" ? k.rmean
     : key == "rvar"  ? k.rvar
                      : k.edits) = val;
  } else if (key == "batch" || key == "updates") {
    long long& v = key == "batch" ? k.draw : k.updates;
    if (!parse_int(val, 0, 1000000000, &v)) bad(key, val, "a whole number from 0 to 10⁹"), v = 0;
  } else if (key == "backward") {
    if (val == "1" || val == "0")
      k.backward = val == "1";
    else
      bad(key, val, "0 or 1");
  } else if (key == "step") {
    if (!parse_int(val, 0, 1ll << 52, &k.step)) bad(key, val, "a whole number ≥ 0");
  } else if (key == "level") {
    for (int l = 0; l < 4; ++l)
      if (val == kLevelKeys[l]) k.level = l;
    if (k.level < 0) bad(key, val, "op, element, channel or batch");
  } else {
    return false;
  }
  return true;
}

// Data first: seed and preset reset the batch number and running statistics.
void apply_data(BnLesson& lesson, BnLink& k, std::string& msg, const Bad& bad) {
  lesson.set_seed((uint64_t)k.seed);
  const auto& presets = bn_presets();
  if (std::find(presets.begin(), presets.end(), k.preset) == presets.end()) {
    bad("preset", k.preset, "scales, outlier, constant, single, random or large");
    k.preset = "scales";
  }
  lesson.set_preset(k.preset);
  BnShape s = k.shape;
  if (k.preset == "single") s.N = 1;                          // the preset is N = 1
  if (k.preset == "large" && !k.sized) s = bn_large_shape();  // and this one 4096 × 256
  const std::string err = lesson.set_shape(s);
  if (!err.empty()) {
    msg += "the sizes in the link do not fit together (" + err + "); using the defaults; ";
    BnShape d = k.preset == "large" ? bn_large_shape() : BnShape();
    if (k.preset == "single") d.N = 1;
    lesson.set_shape(d);
  }
}

// Per-channel lists must have C entries; running statistics with them.
void apply_channels(BnLesson& lesson, const BnLink& k, std::string& msg, const Bad& bad) {
  const int C = lesson.shape().C;
  auto list = [&](const char* key, const std::string& text, float lo, float hi, float fill) {
    std::vector<float> out(C, fill), v;
    if (text.empty()) return out;
    bool ok = parse_float_list(text, &v) && (int)v.size() == C;
    for (float x : v) ok = ok && x >= lo && x <= hi;
    if (ok) return v;
    bad(key, text,
        std::to_string(C) + " comma-separated numbers from " + float_text(lo) + " to " +
            float_text(hi));
    return out;
  };
  const std::vector<float> gamma = list("gamma", k.gamma, -1e6f, 1e6f, 1.f),
                           beta = list("beta", k.beta, -1e6f, 1e6f, 0.f),
                           rmean = list("rmean", k.rmean, -1e15f, 1e15f, 0.f),
                           rvar = list("rvar", k.rvar, 0.f, 1e30f, 1.f);
  lesson.set_gamma_beta(gamma, beta);
  lesson.set_backward(k.backward);
  const std::string err = lesson.set_running(rmean, rvar, k.updates, k.draw);
  if (!err.empty()) msg += err + "; ";
}

// Typed cells last, on top of the drawn batch; all or nothing.
void apply_edits(BnLesson& lesson, const std::string& text, std::string& msg, const Bad& bad) {
  if (text.empty()) return;
  const BnShape& sh = lesson.shape();
  std::vector<std::pair<int64_t, float>> edits;
  if (!parse_cell_edits(text, sh.tensor_shape(), kMaxLinkEdits, &edits))
    return bad("x_edits", text,
               "n.c:value entries (n.c.h.w:value for feature maps) inside the batch");
  for (size_t i = 0; i < edits.size(); ++i) {
    const int64_t at = edits[i].first, hw = sh.hw(), c = at / hw % sh.C;
    const int y = (int)(at % hw / sh.W), x = (int)(at % hw % sh.W);
    const std::string err = lesson.set_input((int)(at / hw / sh.C), (int)c, y, x, edits[i].second);
    if (!err.empty()) {
      msg += "x_edits ignored from entry " + std::to_string(i) + ": " + err + "; ";
      return;
    }
  }
}

}  // namespace

std::string bn_apply_url(BnLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  const Bad bad = [&](const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  BnLink k;
  k.shape.N = 8, k.shape.C = 2;
  for (const auto& [key, val] : params)
    if (!parse_size_field(key, val, k, bad) && !parse_setting_field(key, val, k, bad) && unused)
      unused->emplace_back(key, val);
  if (!k.shape.spatial) k.shape.H = k.shape.W = 1;

  apply_data(lesson, k, msg, bad);
  // Configuration: the convention brings its own ε and momentum unless given.
  lesson.set_mode(k.cfg.mode);
  lesson.set_convention(k.cfg.convention);
  if (k.has_eps) lesson.set_epsilon(k.eps);
  if (k.has_mom) lesson.set_momentum(k.mom);
  apply_channels(lesson, k, msg, bad);
  apply_edits(lesson, k.edits, msg, bad);
  return finish_apply_url(lesson, k.level, k.step, std::move(msg));
}

std::string bn_url(const BnLesson& l) {
  const BnSettings& st = l.settings();
  const BnShape& s = st.shape;
  std::string u = "N=" + std::to_string(s.N) + "&C=" + std::to_string(s.C);
  if (s.spatial) u += "&H=" + std::to_string(s.H) + "&W=" + std::to_string(s.W);
  u += "&preset=" + url_encode(st.preset) + "&seed=" + std::to_string(st.seed) +
       "&mode=" + bn_mode_key(st.config.mode) +
       "&convention=" + bn_convention_key(st.config.convention) +
       "&epsilon=" + float_text(st.config.epsilon) + "&momentum=" + float_text(st.config.momentum);
  const bool plain_affine =
      std::all_of(st.gamma.begin(), st.gamma.end(), [](float g) { return g == 1.f; }) &&
      std::all_of(st.beta.begin(), st.beta.end(), [](float b) { return b == 0.f; });
  if (!plain_affine) u += "&gamma=" + float_list(st.gamma) + "&beta=" + float_list(st.beta);
  if (st.draw) u += "&batch=" + std::to_string(st.draw);
  const bool fresh =
      st.updates == 0 &&
      std::all_of(st.running_mean.begin(), st.running_mean.end(),
                  [](float m) { return m == 0.f; }) &&
      std::all_of(st.running_var.begin(), st.running_var.end(), [](float v) { return v == 1.f; });
  if (!fresh)
    u += "&updates=" + std::to_string(st.updates) + "&rmean=" + float_list(st.running_mean) +
         "&rvar=" + float_list(st.running_var);
  if (st.backward) u += "&backward=1";
  // Typed cells: n.c:v (n.c.h.w:v for feature maps); very long lists are left
  // out of links (the link then carries the drawn batch only).
  if (!st.edits.empty() && st.edits.size() <= kMaxLinkEdits) {
    std::string e;
    for (const auto& [flat, v] : st.edits)
      e += (e.empty() ? "" : ",") + cell_index_text(flat, s.tensor_shape()) + ":" + float_text(v);
    u += "&x_edits=" + e;
  }
  u += std::string("&level=") + kLevelKeys[l.stepper().level()] +
       "&step=" + std::to_string(l.step());
  return u;
}

}  // namespace sw
