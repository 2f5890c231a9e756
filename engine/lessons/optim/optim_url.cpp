#include "optim_url.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "optim_presets.h"

namespace sw {

namespace {

const char* kLevelKeys[] = {"op", "update", "epoch", "run"};

// level= for a trace: op, update, (epoch,) run.
int level_of(const std::string& v, bool regression) {
  for (int l = 0; l < 4; ++l)
    if (v == kLevelKeys[l]) {
      if (!regression && l == 2) return -1;
      return !regression && l == 3 ? 2 : l;
    }
  return -1;
}

std::string level_key(int level, bool regression) {
  if (!regression && level == 2) return "run";
  return kLevelKeys[level];
}

bool parse_pair(const std::string& text, double* a, double* b) {
  const std::vector<std::string> parts = split_list(text, ',');
  return parts.size() == 2 && parse_double(parts[0], a) && parse_double(parts[1], b);
}

// "x,y,x,y,…" → points (1 … 300).
bool parse_points(const std::string& text, std::vector<double>* x, std::vector<double>* y) {
  const std::vector<std::string> parts = split_list(text, ',');
  if (parts.size() % 2 || parts.empty() || parts.size() > 2 * kOptimMaxUrlPoints) return false;
  x->clear(), y->clear();
  for (size_t i = 0; i < parts.size(); i += 2) {
    double a, b;
    if (!parse_double(parts[i], &a) || !parse_double(parts[i + 1], &b)) return false;
    if (std::fabs(a) > 1e6 || std::fabs(b) > 1e6) return false;
    x->push_back(a), y->push_back(b);
  }
  return true;
}

// What a link asks for, gathered key by key before any of it is applied, and
// the message naming each field that was ignored.
struct UrlRequest {
  std::string msg;
  std::string preset = "valley";
  long long step = -1;
  std::string level_text;
  bool surface_given = false, start_given = false, pts_given = false;
  long long n = -1, data_seed = -1, batch = -1;
  std::vector<double> px, py;                                                    // pts=
  std::map<int, std::vector<std::pair<std::string, std::string>>> racer_fields;  // oK.<field>
  std::map<int, std::string> kinds;                                              // oK=
  // The data's origin (generated n and seed, or hand-edited points).
  int64_t gen_n = 100;
  uint64_t gen_seed = 1;
  bool edited = false;

  void bad(const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  }
};

// preset=: read first, since every other field overrides it (the last valid one wins).
void read_preset(const UrlParams& params, UrlRequest& q) {
  for (const auto& [key, val] : params) {
    if (key != "preset") continue;
    OptimSetup probe;
    if (optim_make_preset(val, &probe))
      q.preset = val;
    else
      q.bad(key, val, "valley, rosenbrock, saddle, minibatch, adagrad, too_large or large");
  }
}

// o1 … o4 and o1.<field> … o4.<field>.
bool is_racer_key(const std::string& key) {
  return key.size() >= 2 && key[0] == 'o' && key[1] >= '1' && key[1] <= '4' &&
         (key.size() == 2 || key[2] == '.');
}

// The surface's own fields, read once the surface is known.
bool is_shape_key(const std::string& key) {
  return key == "a" || key == "b" || key == "c" || key == "p" || key == "q";
}
bool is_data_key(const std::string& key) {
  return key == "n" || key == "data_seed" || key == "pts" || key == "batch" || key == "shuffle" ||
         key == "seed";
}

// surface=: a new kind starts from that surface's defaults.
void read_surface(const std::string& key, const std::string& val, OptimSetup& s, UrlRequest& q) {
  SurfaceKind k;
  if (parse_surface_name(val, &k)) {
    if (k != s.surface.kind) {
      s.surface = Surface();
      s.surface.kind = k;
    }
    q.surface_given = true;
  } else {
    q.bad(key, val, "quadratic, rosenbrock, beale, himmelblau, saddle or regression");
  }
}

// surface=, start=, steps=, ema=, step=, level=: the setup's and the stepper's
// own fields; false for any other key.
bool read_setup_key(const std::string& key, const std::string& val, OptimSetup& s, UrlRequest& q) {
  double d, e;
  long long v;
  if (key == "surface") {
    read_surface(key, val, s, q);
  } else if (key == "start") {
    if (parse_pair(val, &d, &e))
      s.x0 = d, s.y0 = e, q.start_given = true;
    else
      q.bad(key, val, "two numbers x,y");
  } else if (key == "steps") {
    if (parse_int(val, 1, OptimLimits::kMaxSteps, &v))
      s.steps = v;
    else
      q.bad(key, val, "a whole number from 1 to 10000");
  } else if (key == "ema") {
    if (parse_double(val, &d) && d >= 0 && d < 1)
      s.ema = true, s.ema_decay = d;
    else
      q.bad(key, val, "a decay in [0, 1)");
  } else if (key == "step") {
    if (!parse_int(val, 0, 1ll << 52, &q.step)) q.bad(key, val, "a whole number ≥ 0"), q.step = -1;
  } else if (key == "level") {
    q.level_text = val;
  } else {
    return false;
  }
  return true;
}

// Every key but the preset, in link order: the setup's fields now, the racers'
// collected, the surface's left for read_surface_fields, the rest unused.
void read_keys(const UrlParams& params, OptimSetup& s, UrlRequest& q, UrlParams* unused) {
  for (const auto& [key, val] : params) {
    if (key == "preset" || read_setup_key(key, val, s, q)) continue;
    if (is_racer_key(key)) {
      const int r = key[1] - '1';
      if (key.size() == 2)
        q.kinds[r] = val;
      else
        q.racer_fields[r].emplace_back(key.substr(3), val);
    } else if (!is_shape_key(key) && !is_data_key(key) && unused) {
      unused->emplace_back(key, val);
    }
  }
}

// n=, data_seed=, seed=, pts=, batch=, shuffle= on a regression surface.
void read_data_key(const std::string& key, const std::string& val, Surface& sf, UrlRequest& q) {
  long long v;
  if (key == "n") {
    if (parse_int(val, kOptimMinN, kOptimMaxN, &v))
      q.n = v;
    else
      q.bad(key, val, "a whole number from 1 to 10000");
  } else if (key == "data_seed" || key == "seed") {
    if (!parse_int(val, 0, 1ll << 52, &v))
      q.bad(key, val, "a whole number ≥ 0");
    else if (key == "seed")
      sf.seed = (uint64_t)v;
    else
      q.data_seed = v;
  } else if (key == "pts") {
    if (parse_points(val, &q.px, &q.py))
      q.pts_given = true;
    else
      q.bad(key, val, "x,y pairs, 1 to 300 points within ±1e6");
  } else if (key == "batch") {
    if (parse_int(val, 1, kOptimMaxN, &v))
      q.batch = v;
    else
      q.bad(key, val, "a whole number from 1 to n");
  } else if (key == "shuffle") {
    if (val == "0" || val == "1")
      sf.shuffle = val == "1";
    else
      q.bad(key, val, "0 or 1");
  }
}

// a=, b=, c= (quadratic), p=, q= (rosenbrock) and the data keys (regression);
// a field of another surface is named and ignored.
void read_surface_fields(const UrlParams& params, Surface& sf, UrlRequest& q) {
  const bool regression = sf.kind == SurfaceKind::kRegression;
  for (const auto& [key, val] : params) {
    const bool quad_key = key == "a" || key == "b" || key == "c";
    const bool rosen_key = key == "p" || key == "q";
    const bool data_key = is_data_key(key);
    if (!quad_key && !rosen_key && !data_key) continue;
    if ((quad_key && sf.kind != SurfaceKind::kQuadratic) ||
        (rosen_key && sf.kind != SurfaceKind::kRosenbrock) || (data_key && !regression)) {
      q.bad(key, val, std::string("not a field of the ") + surface_name(sf.kind) + " surface");
      continue;
    }
    if (quad_key || rosen_key) {
      double d;
      if (parse_double(val, &d) && std::fabs(d) <= 1e6)
        (key == "a" ? sf.a : key == "b" ? sf.b : key == "c" ? sf.c : key == "p" ? sf.p : sf.q) = d;
      else
        q.bad(key, val, "a number within ±1e6");
    } else {
      read_data_key(key, val, sf, q);
    }
  }
}

// The data: the points given, or a generated set; then the batch size.
void apply_regression_data(const OptimSetup& base, Surface& sf, UrlRequest& q) {
  const bool base_regression = base.surface.kind == SurfaceKind::kRegression;
  q.gen_n = base_regression ? base.surface.n() : 100;
  if (sf.kind != SurfaceKind::kRegression) return;
  if (q.n >= 0) q.gen_n = q.n;
  if (q.data_seed >= 0) q.gen_seed = (uint64_t)q.data_seed;
  if (q.pts_given) {
    sf.x = q.px, sf.y = q.py, q.edited = true;
  } else if (q.n >= 0 || q.data_seed >= 0 || sf.x.empty()) {
    optim_regression_data(q.gen_n, q.gen_seed, &sf.x, &sf.y);
  }
  const int64_t def_batch = base_regression && q.surface_given == false && q.n < 0 && !q.pts_given
                                ? base.surface.batch()
                                : sf.n();
  sf.batch_size = def_batch;
  if (q.batch >= 0) {
    if (q.batch <= sf.n())
      sf.batch_size = q.batch;
    else
      q.bad("batch", std::to_string(q.batch), "at most n = " + std::to_string(sf.n()));
  }
}

// oK.<key>=<number>: one hyperparameter, kept only if it is the kind's, parses,
// and is valid on its own (nesterov is checked with momentum later).
void apply_racer_field(const std::string& name, const std::string& k, const std::string& val,
                       OptimKind kind, Convention conv, OptimRacer& racer, UrlRequest& q) {
  const std::string key = name + "." + k;
  if (k == "conv") return;
  if (k == "hide") {
    if (val == "0" || val == "1")
      racer.hidden = val == "1";
    else
      q.bad(key, val, "0 or 1");
    return;
  }
  const std::string canon = optim_canonical_key(k, conv);
  bool known = false;
  for (const std::string& c : optim_keys(kind, conv)) known = known || c == canon;
  if (!known) {
    q.bad(key, val, std::string("not a hyperparameter of ") + optim_kind_name(kind));
    return;
  }
  double d;
  OptimConfig next = racer.config;
  if (!parse_double(val, &d) || !optim_set_raw(next, canon, d) ||
      (optim_is_bool_key(canon) && d != 0 && d != 1)) {
    q.bad(key, val, optim_is_bool_key(canon) ? "0 or 1" : "a number");
    return;
  }
  // Each value alone must be valid (nesterov is checked with momentum below).
  OptimConfig alone = optim_defaults(kind, conv);
  optim_set_raw(alone, canon, d);
  if (canon == "nesterov") alone.momentum = 0.9;
  const std::string err = optim_validate(alone);
  if (!err.empty()) {
    q.bad(key, val, err);
    return;
  }
  racer.config = next;
}

// Racer r named or tuned by the link: its kind (oK=), convention (oK.conv=),
// starting config (the preset's if only tuned in the same convention), fields.
OptimRacer make_racer(int r, const OptimSetup& base, UrlRequest& q) {
  const std::string name = "o" + std::to_string(r + 1);
  const bool in_base = r < (int)base.racers.size();
  OptimKind kind = in_base ? base.racers[r].config.kind : OptimKind::kSgd;
  if (q.kinds.count(r) && !parse_optim_kind(q.kinds[r], &kind)) {
    q.bad(name, q.kinds[r], "sgd, adagrad, rmsprop, adam or adamw; using sgd");
    kind = OptimKind::kSgd;
  }
  Convention conv = in_base ? base.racers[r].config.convention : Convention::kTorch;
  for (const auto& [k, val] : q.racer_fields[r])
    if (k == "conv" && !parse_convention(val, &conv)) q.bad(name + ".conv", val, "torch or keras");
  OptimRacer racer;
  const bool same = in_base && !q.kinds.count(r) && base.racers[r].config.convention == conv;
  racer.config = same ? base.racers[r].config : optim_defaults(kind, conv);
  if (same) racer.hidden = base.racers[r].hidden;
  for (const auto& [k, val] : q.racer_fields[r])
    apply_racer_field(name, k, val, kind, conv, racer, q);
  if (!optim_validate(racer.config).empty() && racer.config.nesterov) {
    q.msg += name + ".nesterov ignored: " + optim_validate(racer.config) + "; ";
    racer.config.nesterov = false;
  }
  return racer;
}

// The optimizers: a link that names kinds (o1=adam&o2=sgd…, as url() writes)
// lists every racer, each from its kind's defaults; one that only tunes
// fields (o1.lr=0.05) changes those of the preset's racers and keeps the
// rest (a new convention starts from that convention's defaults).
void apply_racers(const OptimSetup& base, OptimSetup& s, UrlRequest& q) {
  if (q.kinds.empty() && q.racer_fields.empty()) return;
  const bool listed = !q.kinds.empty();
  int count = listed ? 0 : (int)base.racers.size();
  for (const auto& [r, k] : q.kinds) count = std::max(count, r + 1);
  for (const auto& [r, f] : q.racer_fields) count = std::max(count, r + 1);
  std::vector<OptimRacer> racers;
  for (int r = 0; r < count; ++r) {
    const bool in_base = r < (int)base.racers.size();
    if (!q.kinds.count(r) && !q.racer_fields.count(r)) {
      if (!listed && in_base) racers.push_back(base.racers[r]);
      continue;
    }
    racers.push_back(make_racer(r, base, q));
  }
  if (!racers.empty()) s.racers = racers;
}

// At least one racer is shown.
void keep_one_visible(OptimSetup& s, UrlRequest& q) {
  const bool any_visible =
      std::any_of(s.racers.begin(), s.racers.end(), [](const OptimRacer& r) { return !r.hidden; });
  if (!any_visible) {
    q.msg += "every optimizer was hidden; showing the first; ";
    s.racers[0].hidden = false;
  }
}

// Hands the setup to the lesson; if the fields do not fit together, the preset alone.
void commit_setup(OptimLesson& lesson, const OptimSetup& s, UrlRequest& q) {
  std::string err = lesson.set_setup(s);
  if (!err.empty()) {
    q.msg += "the fields do not fit together (" + err + "); using the " + q.preset + " preset; ";
    lesson.set_preset(q.preset);
  } else {
    lesson.set_data_origin(q.gen_n, q.gen_seed, q.edited);
  }
  // set_setup keeps the lesson's preset name; a link names its own.
  if (err.empty()) lesson.set_preset_name(q.preset);
}

// level=, against the surface the lesson ended up with (epoch: regression only); −1 if absent.
int read_level(const OptimLesson& lesson, UrlRequest& q) {
  int level = -1;
  if (!q.level_text.empty()) {
    level = level_of(q.level_text, lesson.setup().surface.kind == SurfaceKind::kRegression);
    if (level < 0)
      q.bad("level", q.level_text,
            lesson.setup().surface.kind == SurfaceKind::kRegression ? "op, update, epoch or run"
                                                                    : "op, update or run");
  }
  return level;
}

}  // namespace

// The preset, then the link's fields over it (surface, start, run, data,
// optimizers), then the lesson rebuilt once and the step and level restored.
std::string optim_apply_url(OptimLesson& lesson, const UrlParams& params, UrlParams* unused) {
  UrlRequest q;
  // The preset first: the other fields override it.
  read_preset(params, q);
  OptimSetup s;
  optim_make_preset(q.preset, &s);
  const OptimSetup base = s;
  // The surface and run fields, then the surface's own (once its kind is known).
  read_keys(params, s, q, unused);
  read_surface_fields(params, s.surface, q);
  apply_regression_data(base, s.surface, q);
  if (q.surface_given && s.surface.kind != base.surface.kind && !q.start_given)
    surface_default_start(s.surface.kind, &s.x0, &s.y0);
  apply_racers(base, s, q);
  keep_one_visible(s, q);
  // Nothing reaches the lesson before this.
  commit_setup(lesson, s, q);
  const int level = read_level(lesson, q);
  return finish_apply_url(lesson, level, q.step, std::move(q.msg));
}

// Room kept in the browser's link budget for the fields around the lesson's.
constexpr size_t kLinkReserve = 160;

static std::string link(const OptimLesson& l, std::string* note) {
  const OptimSetup& s = l.setup();
  const Surface& sf = s.surface;
  const bool regression = sf.kind == SurfaceKind::kRegression;
  std::string u = "preset=" + l.preset() + "&surface=" + surface_name(sf.kind);
  if (sf.kind == SurfaceKind::kQuadratic)
    u += "&a=" + double_text(sf.a) + "&b=" + double_text(sf.b) + "&c=" + double_text(sf.c);
  if (sf.kind == SurfaceKind::kRosenbrock)
    u += "&p=" + double_text(sf.p) + "&q=" + double_text(sf.q);
  std::string data;
  if (regression) {
    const std::string gen =
        "&n=" + std::to_string(l.data_n()) + "&data_seed=" + std::to_string(l.data_seed());
    data = gen;
    if (l.data_edited()) {
      std::string pts;
      if (sf.n() <= kOptimMaxUrlPoints) {
        pts = "&pts=";
        for (int64_t i = 0; i < sf.n(); ++i)
          pts += (i ? "," : "") + double_text(sf.x[i]) + "," + double_text(sf.y[i]);
      }
      if (!pts.empty() &&
          url_form_size("lesson=optim&" + u + pts) + kLinkReserve + 600 <= kMaxUrlChars)
        data = pts;
      else if (note)
        *note = "the " + std::to_string(sf.n()) +
                " hand-edited points do not fit in a link: the link opens the generated set";
    }
    data += "&batch=" + std::to_string(sf.batch()) + "&shuffle=" + (sf.shuffle ? "1" : "0") +
            "&seed=" + std::to_string(sf.seed);
  }
  u += data + "&start=" + double_text(s.x0) + "," + double_text(s.y0) +
       "&steps=" + std::to_string(s.steps);
  if (s.ema) u += "&ema=" + double_text(s.ema_decay);
  for (size_t r = 0; r < s.racers.size(); ++r) {
    const OptimConfig& c = s.racers[r].config;
    const std::string o = "o" + std::to_string(r + 1);
    u += "&" + o + "=" + optim_kind_name(c.kind);
    if (c.convention == Convention::kKeras) u += "&" + o + ".conv=keras";
    for (const std::string& k : optim_keys(c.kind, c.convention))
      u += "&" + o + "." + k + "=" + double_text(optim_get(c, k));
    if (s.racers[r].hidden) u += "&" + o + ".hide=1";
  }
  u += "&level=" + level_key(l.stepper().level(), regression) + "&step=" + std::to_string(l.step());
  return u;
}

std::string optim_url(const OptimLesson& l) {
  return link(l, nullptr);
}

std::string optim_link_note(const OptimLesson& l) {
  std::string note;
  link(l, &note);
  return note;
}

}  // namespace sw
