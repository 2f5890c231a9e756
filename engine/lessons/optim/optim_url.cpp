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

}  // namespace

std::string optim_apply_url(OptimLesson& lesson, const UrlParams& params, UrlParams* unused) {
  std::string msg;
  auto bad = [&](const std::string& key, const std::string& val, const std::string& rule) {
    msg += key + "=" + quote_value(val) + " ignored: " + rule + "; ";
  };
  // The preset first: the other fields override it.
  std::string preset = "valley";
  for (const auto& [key, val] : params) {
    if (key != "preset") continue;
    OptimSetup probe;
    if (optim_make_preset(val, &probe))
      preset = val;
    else
      bad(key, val, "valley, rosenbrock, saddle, minibatch, adagrad, too_large or large");
  }
  OptimSetup s;
  optim_make_preset(preset, &s);
  const OptimSetup base = s;
  long long step = -1, v;
  std::string level_text;
  double d, e;
  // Surface and run fields.
  bool surface_given = false, start_given = false, ema_given = false, pts_given = false;
  long long n = -1, data_seed = -1, batch = -1;
  std::vector<double> px, py;
  std::map<int, std::vector<std::pair<std::string, std::string>>> racer_fields;
  std::map<int, std::string> kinds;
  for (const auto& [key, val] : params) {
    if (key == "preset") continue;
    if (key == "surface") {
      SurfaceKind k;
      if (parse_surface_name(val, &k)) {
        if (k != s.surface.kind) {
          s.surface = Surface();
          s.surface.kind = k;
        }
        surface_given = true;
      } else {
        bad(key, val, "quadratic, rosenbrock, beale, himmelblau, saddle or regression");
      }
    } else if (key == "start") {
      if (parse_pair(val, &d, &e))
        s.x0 = d, s.y0 = e, start_given = true;
      else
        bad(key, val, "two numbers x,y");
    } else if (key == "steps") {
      if (parse_int(val, 1, OptimLimits::kMaxSteps, &v))
        s.steps = v;
      else
        bad(key, val, "a whole number from 1 to 10000");
    } else if (key == "ema") {
      if (parse_double(val, &d) && d >= 0 && d < 1)
        s.ema = true, s.ema_decay = d, ema_given = true;
      else
        bad(key, val, "a decay in [0, 1)");
    } else if (key == "step") {
      if (!parse_int(val, 0, 1ll << 52, &step)) bad(key, val, "a whole number ≥ 0"), step = -1;
    } else if (key == "level") {
      level_text = val;
    } else if (key.size() >= 2 && key[0] == 'o' && key[1] >= '1' && key[1] <= '4' &&
               (key.size() == 2 || key[2] == '.')) {
      const int r = key[1] - '1';
      if (key.size() == 2)
        kinds[r] = val;
      else
        racer_fields[r].emplace_back(key.substr(3), val);
    } else if (key == "a" || key == "b" || key == "c" || key == "p" || key == "q" || key == "n" ||
               key == "data_seed" || key == "pts" || key == "batch" || key == "shuffle" ||
               key == "seed") {
      // Read once the surface is known (below).
    } else if (unused) {
      unused->emplace_back(key, val);
    }
  }
  (void)start_given;
  (void)ema_given;
  Surface& sf = s.surface;
  const bool regression = sf.kind == SurfaceKind::kRegression;
  for (const auto& [key, val] : params) {
    const bool quad_key = key == "a" || key == "b" || key == "c";
    const bool rosen_key = key == "p" || key == "q";
    const bool data_key = key == "n" || key == "data_seed" || key == "pts" || key == "batch" ||
                          key == "shuffle" || key == "seed";
    if (!quad_key && !rosen_key && !data_key) continue;
    if ((quad_key && sf.kind != SurfaceKind::kQuadratic) ||
        (rosen_key && sf.kind != SurfaceKind::kRosenbrock) || (data_key && !regression)) {
      bad(key, val, std::string("not a field of the ") + surface_name(sf.kind) + " surface");
      continue;
    }
    if (quad_key || rosen_key) {
      if (parse_double(val, &d) && std::fabs(d) <= 1e6)
        (key == "a" ? sf.a : key == "b" ? sf.b : key == "c" ? sf.c : key == "p" ? sf.p : sf.q) = d;
      else
        bad(key, val, "a number within ±1e6");
    } else if (key == "n") {
      if (parse_int(val, kOptimMinN, kOptimMaxN, &v))
        n = v;
      else
        bad(key, val, "a whole number from 1 to 10000");
    } else if (key == "data_seed" || key == "seed") {
      if (!parse_int(val, 0, 1ll << 52, &v))
        bad(key, val, "a whole number ≥ 0");
      else if (key == "seed")
        sf.seed = (uint64_t)v;
      else
        data_seed = v;
    } else if (key == "pts") {
      if (parse_points(val, &px, &py))
        pts_given = true;
      else
        bad(key, val, "x,y pairs, 1 to 300 points within ±1e6");
    } else if (key == "batch") {
      if (parse_int(val, 1, kOptimMaxN, &v))
        batch = v;
      else
        bad(key, val, "a whole number from 1 to n");
    } else if (key == "shuffle") {
      if (val == "0" || val == "1")
        sf.shuffle = val == "1";
      else
        bad(key, val, "0 or 1");
    }
  }
  // The data: the points given, or a generated set.
  bool edited = false;
  const bool base_regression = base.surface.kind == SurfaceKind::kRegression;
  int64_t gen_n = base_regression ? base.surface.n() : 100;
  uint64_t gen_seed = 1;
  if (regression) {
    if (n >= 0) gen_n = n;
    if (data_seed >= 0) gen_seed = (uint64_t)data_seed;
    if (pts_given) {
      sf.x = px, sf.y = py, edited = true;
    } else if (n >= 0 || data_seed >= 0 || sf.x.empty()) {
      optim_regression_data(gen_n, gen_seed, &sf.x, &sf.y);
    }
    const int64_t def_batch = base_regression && surface_given == false && n < 0 && !pts_given
                                  ? base.surface.batch()
                                  : sf.n();
    sf.batch_size = def_batch;
    if (batch >= 0) {
      if (batch <= sf.n())
        sf.batch_size = batch;
      else
        bad("batch", std::to_string(batch), "at most n = " + std::to_string(sf.n()));
    }
  }
  if (surface_given && sf.kind != base.surface.kind && !start_given)
    surface_default_start(sf.kind, &s.x0, &s.y0);
  // The optimizers: a link that names kinds (o1=adam&o2=sgd…, as url() writes)
  // lists every racer, each from its kind's defaults; one that only tunes
  // fields (o1.lr=0.05) changes those of the preset's racers and keeps the
  // rest (a new convention starts from that convention's defaults).
  if (!kinds.empty() || !racer_fields.empty()) {
    const bool listed = !kinds.empty();
    int count = listed ? 0 : (int)base.racers.size();
    for (const auto& [r, k] : kinds) count = std::max(count, r + 1);
    for (const auto& [r, f] : racer_fields) count = std::max(count, r + 1);
    std::vector<OptimRacer> racers;
    for (int r = 0; r < count; ++r) {
      const std::string name = "o" + std::to_string(r + 1);
      const bool in_base = r < (int)base.racers.size();
      if (!kinds.count(r) && !racer_fields.count(r)) {
        if (!listed && in_base) racers.push_back(base.racers[r]);
        continue;
      }
      OptimKind kind = in_base ? base.racers[r].config.kind : OptimKind::kSgd;
      if (kinds.count(r) && !parse_optim_kind(kinds[r], &kind)) {
        bad(name, kinds[r], "sgd, adagrad, rmsprop, adam or adamw; using sgd");
        kind = OptimKind::kSgd;
      }
      Convention conv = in_base ? base.racers[r].config.convention : Convention::kTorch;
      for (const auto& [k, val] : racer_fields[r])
        if (k == "conv" && !parse_convention(val, &conv))
          bad(name + ".conv", val, "torch or keras");
      OptimRacer racer;
      const bool same = in_base && !kinds.count(r) && base.racers[r].config.convention == conv;
      racer.config = same ? base.racers[r].config : optim_defaults(kind, conv);
      if (same) racer.hidden = base.racers[r].hidden;
      for (const auto& [k, val] : racer_fields[r]) {
        const std::string key = name + "." + k;
        if (k == "conv") continue;
        if (k == "hide") {
          if (val == "0" || val == "1")
            racer.hidden = val == "1";
          else
            bad(key, val, "0 or 1");
          continue;
        }
        const std::string canon = optim_canonical_key(k, conv);
        bool known = false;
        for (const std::string& c : optim_keys(kind, conv)) known = known || c == canon;
        if (!known) {
          bad(key, val, std::string("not a hyperparameter of ") + optim_kind_name(kind));
          continue;
        }
        OptimConfig next = racer.config;
        if (!parse_double(val, &d) || !optim_set_raw(next, canon, d) ||
            (optim_is_bool_key(canon) && d != 0 && d != 1)) {
          bad(key, val, optim_is_bool_key(canon) ? "0 or 1" : "a number");
          continue;
        }
        // Each value alone must be valid (nesterov is checked with momentum below).
        OptimConfig alone = optim_defaults(kind, conv);
        optim_set_raw(alone, canon, d);
        if (canon == "nesterov") alone.momentum = 0.9;
        const std::string err = optim_validate(alone);
        if (!err.empty()) {
          bad(key, val, err);
          continue;
        }
        racer.config = next;
      }
      if (!optim_validate(racer.config).empty() && racer.config.nesterov) {
        msg += name + ".nesterov ignored: " + optim_validate(racer.config) + "; ";
        racer.config.nesterov = false;
      }
      racers.push_back(racer);
    }
    if (!racers.empty()) s.racers = racers;
  }
  const bool any_visible =
      std::any_of(s.racers.begin(), s.racers.end(), [](const OptimRacer& r) { return !r.hidden; });
  if (!any_visible) {
    msg += "every optimizer was hidden; showing the first; ";
    s.racers[0].hidden = false;
  }
  std::string err = lesson.set_setup(s);
  if (!err.empty()) {
    msg += "the fields do not fit together (" + err + "); using the " + preset + " preset; ";
    lesson.set_preset(preset);
  } else {
    lesson.set_data_origin(gen_n, gen_seed, edited);
  }
  // set_setup keeps the lesson's preset name; a link names its own.
  if (err.empty()) lesson.set_preset_name(preset);
  int level = -1;
  if (!level_text.empty()) {
    level = level_of(level_text, lesson.setup().surface.kind == SurfaceKind::kRegression);
    if (level < 0)
      bad("level", level_text,
          lesson.setup().surface.kind == SurfaceKind::kRegression ? "op, update, epoch or run"
                                                                  : "op, update or run");
  }
  return finish_apply_url(lesson, level, step, std::move(msg));
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
