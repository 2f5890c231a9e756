#include "svm_url.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "svm_presets.h"

namespace sw {

static const char* kLevelKeys[] = {"op", "sample", "epoch"};

bool parse_double(const std::string& t, double* out) {
  if (t.empty() || t.size() > 40) return false;
  for (char ch : t)
    if (!((ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '+' || ch == 'e' ||
          ch == 'E'))
      return false;  // no "inf", "nan", hex or spaces
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(t.c_str(), &end);
  if (errno || end != t.c_str() + t.size() || !std::isfinite(v)) return false;
  *out = v;
  return true;
}

// "x,y,l,x,y,l,…" → points; "" or what is wrong.
static std::string parse_points(const std::string& text, std::vector<SvmPoint>* out) {
  std::vector<double> v;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t comma = text.find(',', pos);
    if (comma == std::string::npos) comma = text.size();
    double d;
    if (!parse_double(text.substr(pos, comma - pos), &d)) return "numbers separated by commas";
    v.push_back(d);
    if (v.size() > 3 * (size_t)kSvmMaxUrlPoints) return "at most 300 points";
    pos = comma + 1;
  }
  if (v.size() % 3) return "triples x,y,label";
  std::vector<SvmPoint> pts;
  for (size_t i = 0; i < v.size(); i += 3) {
    if (v[i + 2] != 1 && v[i + 2] != -1) return "labels must be 1 or -1";
    pts.push_back({v[i], v[i + 1], (int)v[i + 2]});
  }
  SvmProblem p;
  p.points = pts;
  std::string err = svm_validate(p);
  if (!err.empty()) return err;
  *out = std::move(pts);
  return "";
}

static std::string num_text(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

std::string svm_apply_url(SvmLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  auto bad = [&](const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  // A link describes the whole lesson: fields it leaves out take their defaults.
  const SgdConfig def = svm_default_config();
  SgdConfig c = def;
  std::string preset = "separable";
  long long n = 40, seed = 1, step = -1, v;
  double C = 1, d;
  int level = -1;
  bool show_exact = false, have_pts = false;
  std::vector<SvmPoint> pts;
  for (const auto& [key, val] : params) {
    if (key == "preset") {
      bool known = val == "custom";
      for (const auto& name : svm_presets()) known = known || val == name;
      if (known)
        preset = val;
      else
        bad(key, val, "separable, overlap, outlier, few, xor or custom");
    } else if (key == "n") {
      if (parse_int(val, kSvmMinN, kSvmMaxN, &v))
        n = v;
      else
        bad(key, val, "a whole number from 4 to 10000");
    } else if (key == "seed") {
      if (parse_int(val, 0, 1ll << 52, &v))
        seed = v;
      else
        bad(key, val, "a whole number ≥ 0");
    } else if (key == "pts") {
      std::string err = parse_points(val, &pts);
      if (err.empty())
        have_pts = true;
      else
        bad(key, val, err);
    } else if (key == "C") {
      if (parse_double(val, &d) && svm_validate_C(d).empty())
        C = d;
      else
        bad(key, val, "a number from 1e-6 to 1e6");
    } else if (key == "solver") {
      if (val == "sgd" || val == "exact")
        show_exact = val == "exact";
      else
        bad(key, val, "sgd or exact");
    } else if (key == "schedule") {
      if (!sgd_parse_schedule(val, &c.schedule)) bad(key, val, "decay, pegasos or constant");
    } else if (key == "eta") {
      if (parse_double(val, &d) && d > 0 && d <= SgdLimits::kMaxEta)
        c.eta = d;
      else
        bad(key, val, "a number greater than 0 and at most 100");
    } else if (key == "epochs") {
      if (parse_int(val, 1, SgdLimits::kMaxEpochs, &v))
        c.epochs = (int)v;
      else
        bad(key, val, "a whole number from 1 to 1000");
    } else if (key == "step") {
      if (!parse_int(val, 0, 1ll << 52, &step)) bad(key, val, "a whole number ≥ 0");
    } else if (key == "level") {
      for (int l = 0; l < 3; ++l)
        if (val == kLevelKeys[l]) level = l;
      if (level < 0) bad(key, val, "op, sample or epoch");
    } else if (unused) {
      unused->emplace_back(key, val);
    }
  }
  if (preset == "custom" && !have_pts) {
    msg += "preset=custom needs pts=x,y,label,…; using separable; ";
    preset = "separable";
  }
  if (preset == "custom")
    preset = lesson.preset();  // custom points keep the generator they came from
  std::string err = lesson.set_all(preset, (int)n, (uint64_t)seed, have_pts ? &pts : nullptr, C, c);
  if (!err.empty()) {
    // The fields are valid one by one but not together (η·λ > 1, epochs·n > 10⁶).
    msg += "the training settings do not fit the data (" + err +
           "); using the default training settings; ";
    lesson.set_all(preset, (int)n, (uint64_t)seed, have_pts ? &pts : nullptr, C, def);
  }
  lesson.set_show_exact(show_exact);
  if (level >= 0) lesson.stepper().set_level(lesson.trace(), level);
  if (step >= 0) {
    if (step > lesson.trace().size()) msg += "step=" + std::to_string(step) + " is past the end; ";
    lesson.stepper().seek(lesson.trace(), step);
  } else {
    lesson.stepper().reset();
  }
  if (!msg.empty()) msg.resize(msg.size() - 2);
  return msg;
}

std::string svm_url(const SvmLesson& l) {
  const SvmProblem& p = l.problem();
  const SgdConfig& c = l.config();
  std::string u;
  if (l.edited() && p.n() <= kSvmMaxUrlPoints) {
    u = "preset=custom&pts=";
    for (int64_t i = 0; i < p.n(); ++i) {
      const SvmPoint& q = p.points[i];
      u += (i ? "," : "") + num_text(q.x1) + "," + num_text(q.x2) + "," + (q.y > 0 ? "1" : "-1");
    }
  } else {
    // A hand-edited set too large for a link falls back to its generator.
    u = "preset=" + l.preset() + "&n=" + std::to_string(l.n_setting());
  }
  u += "&seed=" + std::to_string(l.seed()) + "&C=" + num_text(p.C) +
       "&solver=" + (l.show_exact() ? "exact" : "sgd") +
       "&schedule=" + sgd_schedule_name(c.schedule) + "&eta=" + num_text(c.eta) +
       "&epochs=" + std::to_string(c.epochs) + "&level=" + kLevelKeys[l.stepper().level()] +
       "&step=" + std::to_string(l.step());
  return u;
}

}  // namespace sw
