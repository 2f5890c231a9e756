#include "svm_url.h"

#include <algorithm>

#include "svm_edits.h"
#include "svm_presets.h"

namespace sw {

static const char* kLevelKeys[] = {"op", "sample", "epoch"};

// "x,y,l,x,y,l,…" → points; "" or what is wrong.
static std::string parse_points(const std::string& text, std::vector<SvmPoint>* out) {
  if (text.empty()) return "numbers separated by commas";
  std::vector<double> v;
  std::vector<SvmPoint> pts;
  std::string err = svm_parse_numbers(text, 3 * kSvmMaxUrlPoints, "at most 300 points", &v);
  if (err.empty()) err = svm_points_of(v, &pts);
  if (!err.empty()) return err;
  SvmProblem p;
  p.points = pts;
  err = svm_validate(p);
  if (!err.empty()) return err;
  *out = std::move(pts);
  return "";
}

// The edit fields over the set src's preset generates: src becomes the edited
// set. Returns the message for fields that were ignored (each alone).
static std::string apply_edits(SvmPointSource& src, const UrlParams& fields) {
  std::string msg;
  auto bad = [&](const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  std::vector<SvmPoint> gen;
  svm_make_preset(src.preset, src.n, src.data_seed, &gen);
  const int m = (int)gen.size();
  SvmEdits e;
  // Deletions first: a moved or relabelled point must still exist.
  for (const auto& [key, val] : fields) {
    if (key != "deleted") continue;
    std::string err = svm_parse_edit_field(key, val, m, &e);
    if (!err.empty()) bad(key, val, err);
  }
  for (const auto& [key, val] : fields) {
    if (key == "deleted") continue;
    SvmEdits f = e;
    std::string err = svm_parse_edit_field(key, val, m, &f);
    for (const auto& [i, xy] : f.moved)
      if (err.empty() && e.deleted.count(i)) err = "point " + std::to_string(i) + " is deleted";
    for (int i : f.flipped)
      if (err.empty() && e.deleted.count(i)) err = "point " + std::to_string(i) + " is deleted";
    if (err.empty())
      e = std::move(f);
    else
      bad(key, val, err);
  }
  if (e.size() == 0) return msg;
  SvmProblem p;
  svm_apply_edits(gen, e, &p.points, &src.origin);
  std::string err = svm_validate(p);
  if (!err.empty()) {
    msg += "the edits leave no valid set (" + err + "); using the generated points; ";
    src.origin.clear();
    return msg;
  }
  src.custom = true;
  src.points = std::move(p.points);
  return msg;
}

// Appends "key="value" ignored: rule; " to the message of svm_apply_url.
static void report_bad(std::string& msg, const std::string& key, const std::string& val,
                       const std::string& rule) {
  msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
}

// Everything a link says, as read key by key before any of it is applied.
// A link describes the whole lesson: fields it leaves out take their defaults.
struct SvmLink {
  SgdConfig c = svm_default_config();
  std::string preset = "separable";
  long long n = 40, seed = 1, data_seed = -1, step = -1;
  double C = 1;
  int level = -1;
  bool show_exact = false, have_pts = false;
  std::vector<SvmPoint> pts;
  UrlParams edit_fields;  // read once preset, n and the data seed are known
};

// The data: preset, n, seed, data_seed, pts= and the edit keys (kept for later).
static bool read_data_key(const std::string& key, const std::string& val, SvmLink& link,
                          std::string& msg) {
  long long v;
  if (key == "preset") {
    bool known = val == "custom";
    for (const auto& name : svm_presets()) known = known || val == name;
    if (known)
      link.preset = val;
    else
      report_bad(msg, key, val, "separable, overlap, outlier, few, xor or custom");
  } else if (key == "n") {
    if (parse_int(val, kSvmMinN, kSvmMaxN, &v))
      link.n = v;
    else
      report_bad(msg, key, val, "a whole number from 4 to 10000");
  } else if (key == "seed") {
    if (parse_int(val, 0, 1ll << 52, &v))
      link.seed = v;
    else
      report_bad(msg, key, val, "a whole number ≥ 0");
  } else if (key == "data_seed") {
    if (parse_int(val, 0, 1ll << 52, &v))
      link.data_seed = v;
    else
      report_bad(msg, key, val, "a whole number ≥ 0");
  } else if (svm_is_edit_key(key)) {
    link.edit_fields.emplace_back(key, val);
  } else if (key == "pts") {
    std::string err = parse_points(val, &link.pts);
    if (err.empty())
      link.have_pts = true;
    else
      report_bad(msg, key, val, err);
  } else {
    return false;
  }
  return true;
}

// The model and its training: C, solver, schedule, eta, epochs.
static bool read_training_key(const std::string& key, const std::string& val, SvmLink& link,
                              std::string& msg) {
  long long v;
  double d;
  if (key == "C") {
    if (parse_double(val, &d) && svm_validate_C(d).empty())
      link.C = d;
    else
      report_bad(msg, key, val, "a number from 1e-6 to 1e6");
  } else if (key == "solver") {
    if (val == "sgd" || val == "exact")
      link.show_exact = val == "exact";
    else
      report_bad(msg, key, val, "sgd or exact");
  } else if (key == "schedule") {
    if (!sgd_parse_schedule(val, &link.c.schedule))
      report_bad(msg, key, val, "decay, pegasos or constant");
  } else if (key == "eta") {
    if (parse_double(val, &d) && d > 0 && d <= SgdLimits::kMaxEta)
      link.c.eta = d;
    else
      report_bad(msg, key, val, "a number greater than 0 and at most 100");
  } else if (key == "epochs") {
    if (parse_int(val, 1, SgdLimits::kMaxEpochs, &v))
      link.c.epochs = (int)v;
    else
      report_bad(msg, key, val, "a whole number from 1 to 1000");
  } else {
    return false;
  }
  return true;
}

// The view: step and level (op, sample, epoch).
static bool read_view_key(const std::string& key, const std::string& val, SvmLink& link,
                          std::string& msg) {
  if (key == "step") {
    if (!parse_int(val, 0, 1ll << 52, &link.step)) report_bad(msg, key, val, "a whole number ≥ 0");
  } else if (key == "level") {
    // A bad value is reported even after a good one, which it leaves in place.
    const int level = int(std::find(kLevelKeys, kLevelKeys + 3, val) - kLevelKeys);
    if (level < 3)
      link.level = level;
    else
      report_bad(msg, key, val, "op, sample or epoch");
  } else {
    return false;
  }
  return true;
}

// The point set the link describes: a generated preset, custom points (pts=)
// or a preset with hand edits.
static SvmPointSource point_source(const SvmLesson& lesson, SvmLink& link, std::string& msg) {
  if (link.preset == "custom" && !link.have_pts) {
    msg += "preset=custom needs pts=x,y,label,…; using separable; ";
    link.preset = "separable";
  }
  SvmPointSource src;
  src.preset = link.preset;
  src.n = (int)link.n;
  src.data_seed = link.data_seed >= 0 ? link.data_seed : link.seed;
  if (link.have_pts) {
    // Custom points keep the generator they came from.
    if (link.preset == "custom") src.preset = lesson.preset();
    src.custom = true;
    src.points = std::move(link.pts);
    for (const auto& [key, val] : link.edit_fields)
      report_bad(msg, key, val, "pts= gives the whole set");
  } else if (!link.edit_fields.empty()) {
    msg += apply_edits(src, link.edit_fields);
  }
  return src;
}

// The fields are valid one by one but not together (η·λ > 1, epochs·n > 10⁶):
// replace as little of the learner's choice as works — η, then the epochs,
// then both — and say which; the schedule stays. `err` is why they failed.
static void fall_back_training(SvmLesson& lesson, const SvmPointSource& src, const SvmLink& link,
                               const SgdConfig& def, const std::string& err, std::string& msg) {
  const SgdConfig& c = link.c;
  const uint64_t seed = (uint64_t)link.seed;
  // λ of the data (the defaults always fit it): a constant η may be at most 1/λ.
  lesson.set_all(src, seed, link.C, def);
  const double fit_eta = c.schedule == SgdSchedule::kConstant
                             ? std::min(def.eta, 1 / lesson.problem().lambda())
                             : def.eta;
  SgdConfig eta = c, epochs = c, both = c;
  eta.eta = both.eta = fit_eta;
  epochs.epochs = both.epochs = def.epochs;
  const std::pair<const SgdConfig*, std::string> tries[] = {
      {&eta, "η = " + double_text(fit_eta)},
      {&epochs, std::to_string(def.epochs) + " epochs"},
      {&both, "η = " + double_text(fit_eta) + " and " + std::to_string(def.epochs) + " epochs"},
      {&def, "the default training settings"}};
  for (const auto& [alt, what] : tries) {
    if (!lesson.set_all(src, seed, link.C, *alt).empty()) continue;
    msg += "the training settings do not fit the data (" + err + "); using " + what +
           (alt != &def
                ? " with the " + std::string(sgd_schedule_name(c.schedule)) + " schedule kept; "
                : "; ");
    break;
  }
}

std::string svm_apply_url(SvmLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  const SgdConfig def = svm_default_config();
  SvmLink link;
  for (const auto& [key, val] : params) {
    if (read_data_key(key, val, link, msg) || read_training_key(key, val, link, msg) ||
        read_view_key(key, val, link, msg))
      continue;
    if (unused) unused->emplace_back(key, val);
  }
  const SvmPointSource src = point_source(lesson, link, msg);
  std::string err = lesson.set_all(src, (uint64_t)link.seed, link.C, link.c);
  if (!err.empty()) fall_back_training(lesson, src, link, def, err, msg);
  lesson.set_show_exact(link.show_exact);
  return finish_apply_url(lesson, link.level, link.step, std::move(msg));
}

// Room kept in the browser's link budget for the fields the app and the
// embedding page add around the lesson's (lesson=, theme=, embed=, panels=).
constexpr size_t kLinkReserve = 160;

// The link (without "lesson="); `note` says when hand edits do not fit in it.
static std::string link(const SvmLesson& l, std::string* note) {
  const SvmProblem& p = l.problem();
  const SgdConfig& c = l.config();
  const std::string seed = "&seed=" + std::to_string(l.seed());
  const std::string rest =
      "&C=" + double_text(p.C) + "&solver=" + (l.show_exact() ? "exact" : "sgd") +
      "&schedule=" + sgd_schedule_name(c.schedule) + "&eta=" + double_text(c.eta) +
      "&epochs=" + std::to_string(c.epochs) + "&level=" + kLevelKeys[l.stepper().level()] +
      "&step=" + std::to_string(l.step());
  auto fits = [&](const std::string& data) {
    return url_form_size("lesson=svm&" + data + rest) + kLinkReserve <= kMaxUrlChars;
  };
  // The generator: preset, n and seed (and the data's own seed when the seed
  // was changed after editing).
  std::string generated = "preset=" + l.preset() + "&n=" + std::to_string(l.n_setting()) + seed;
  if (l.data_seed() != l.seed()) generated += "&data_seed=" + std::to_string(l.data_seed());
  if (!l.edited()) return generated + rest;

  if (p.n() <= kSvmMaxUrlPoints) {  // small sets in full: pts=x,y,label,…
    std::string u = "preset=custom&pts=";
    for (int64_t i = 0; i < p.n(); ++i) {
      const SvmPoint& q = p.points[i];
      u += (i ? "," : "") + double_text(q.x1) + "," + double_text(q.x2) + "," +
           (q.y > 0 ? "1" : "-1");
    }
    if (fits(u + seed)) return u + seed + rest;
  }
  // Larger ones as the generator plus the edits (svm_edits.h).
  SvmEdits e;
  const bool derived = svm_diff(l.generated(), p.points, l.origin(), &e);
  // Every entry takes at least 4 characters ("7%2C"): skip lists that cannot fit.
  const bool small = e.moved.size() <= kSvmMaxUrlEdits && e.flipped.size() <= kSvmMaxUrlEdits &&
                     e.deleted.size() <= kSvmMaxUrlEdits && e.added.size() <= kSvmMaxUrlEdits &&
                     4 * e.size() <= kMaxUrlChars;
  if (derived && small) {
    const std::string u = e.size() ? generated + "&" + svm_edits_fields(e) : generated;
    if (fits(u)) return u + rest;
  }
  if (note) {
    *note = derived ? "too many hand edits for a link (" + std::to_string(e.size()) +
                          " changes to the generated points): the link opens the generated set "
                          "without them"
                    : "this hand-made set of " + std::to_string(p.n()) +
                          " points is too large for a link: the link opens the generated set "
                          "instead";
  }
  return generated + rest;
}

std::string svm_url(const SvmLesson& l) {
  return link(l, nullptr);
}

std::string svm_link_note(const SvmLesson& l) {
  std::string note;
  link(l, &note);
  return note;
}

}  // namespace sw
